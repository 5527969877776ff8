// The embedded capture server as the language server keeps it: started by a
// command or on a run's first need, reused by later runs, stopped by a command
// or on shutdown; its status and every captured message are announced to the
// editor as they happen.
import { resolve as resolvePath } from 'node:path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { startLocalServer, type LocalServerOptions, type RunningLocalServer } from '../captureServer/localServer';
import { messagePreview } from '../captureServer/messagePreview';
import { openContent } from '../captureServer/messageSpool';
import type {
  ListCapturedMessagesCommand,
  LocalServerStatus,
  PreviewCapturedMessageCommand,
  StartLocalServerCommand,
  StopLocalServerCommand,
} from '../contract/messages';
import { describeValue, invalidParams } from './commandArguments';
import type { EditorClient } from './editorClient';
import { capturedMessageSummary } from './wireReports';

export class CaptureServerService {
  /** The embedded server, started or starting; null when stopped. */
  private local: Promise<RunningLocalServer> | null = null;
  private stopping: Promise<void> = Promise.resolve();
  /** Port and folder of the next start: from the last StartLocalServerCommand, else any free port, in memory. */
  private settings: { port: number; dir: string | null } = { port: 0, dir: null };
  /** Where messages go when the editor's `smtp.localServer.folder` is '' (the client's storage, from initializationOptions); null: memory only. */
  defaultFolder: string | null = null;
  private disposed = false;

  constructor(
    private readonly client: EditorClient,
    /** Options under the ones a client gives (tests use them for fault injection). */
    private readonly options: LocalServerOptions = {},
  ) {}

  async start(params: StartLocalServerCommand.Params = {}): Promise<StartLocalServerCommand.Result> {
    if (this.local === null) this.settings = { port: params.port ?? 0, dir: params.dir ?? null };
    return this.status(await this.ensure(false));
  }

  async stop(): Promise<StopLocalServerCommand.Result> {
    const starting = this.local;
    this.local = null;
    if (starting !== null) {
      this.stopping = this.stopping.then(async () => {
        const server = await starting.catch(() => null);
        await server?.close();
      });
      await this.stopping;
      if (!this.disposed) this.client.localServerStatus({ running: false });
    }
    return { running: false };
  }

  async listMessages(): Promise<ListCapturedMessagesCommand.Result> {
    const server = await this.running();
    return { messages: server ? server.messages.map(capturedMessageSummary) : [] };
  }

  async preview(params: PreviewCapturedMessageCommand.Params): Promise<PreviewCapturedMessageCommand.Result> {
    const server = await this.running();
    const message = server?.messages.find((candidate) => candidate.id === params.id);
    if (!message) {
      throw invalidParams(server
        ? `The local server holds no message "${params.id}" (it keeps the last 200); open its .eml file instead.`
        : `The local server is not running, so message "${params.id}" is gone from memory; open its .eml file instead.`);
    }
    return { text: await messagePreview(openContent(message.content), message.size) };
  }

  /** For a run that needs it: the running server, or one started where the editor's settings say. */
  forRun(): Promise<RunningLocalServer> {
    return this.ensure(true);
  }

  /** On shutdown: the server stops, so the port is free when the process exits. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  /** The embedded server when it is up (or starting), without starting it. */
  private async running(): Promise<RunningLocalServer | null> {
    return this.local ? this.local.catch(() => null) : null;
  }

  /** The settings only change while no server runs, so they are the running server's. */
  private status(server: RunningLocalServer): LocalServerStatus {
    const { dir } = this.settings;
    return { running: true, host: server.host, port: server.port, tls: server.tls, certificateFingerprint256: server.certificateFingerprint256, dir: dir === null ? null : resolvePath(dir) };
  }

  /** `onDemand`: a run needs it, so the editor's settings say where it listens (a command's own port and folder win otherwise). */
  private ensure(onDemand: boolean): Promise<RunningLocalServer> {
    if (this.local === null) {
      const starting = (onDemand ? this.readEditorSettings() : Promise.resolve()).then(() => this.listen());
      this.local = starting;
      // A failed start is forgotten, so the next run tries again (the port may be free by then).
      starting.catch(() => {
        if (this.local === starting) this.local = null;
      });
    }
    return this.local;
  }

  private async readEditorSettings(): Promise<void> {
    let settings: { port?: unknown; folder?: unknown } | null;
    try {
      settings = await this.client.localServerSettings();
    } catch {
      return; // the client could not say: the last settings stand
    }
    if (!settings) return;
    const { port, folder } = settings;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) this.settings.port = port;
    else if (port !== undefined && port !== null) this.client.log(`SMTP: smtp.localServer.port must be an integer from 0 (any free port) to 65535, not ${describeValue(port)}; using ${this.settings.port}.`);
    if (typeof folder === 'string') this.settings.dir = folder.trim() === '' ? this.defaultFolder : folder;
  }

  private async listen(): Promise<RunningLocalServer> {
    await this.stopping; // a restart on a fixed port waits for the old server to let go of it
    const { port, dir } = this.settings;
    const onMessage = this.options.onMessage;
    let server: RunningLocalServer;
    try {
      server = await startLocalServer({
        ...this.options,
        host: '127.0.0.1',
        port,
        dir,
        onMessage: (message) => {
          onMessage?.(message);
          this.client.capturedMessage(capturedMessageSummary(message));
        },
        log: (line) => this.client.log(`SMTP local server: ${line}`),
      });
    } catch (error) {
      const inUse = /in use/.test((error as Error).message) ? ' In the editor, change the setting smtp.localServer.port (0 picks a free port).' : '';
      throw new ResponseError(LSPErrorCodes.RequestFailed, `The embedded local SMTP server could not start: ${(error as Error).message}.${inUse}`);
    }
    this.client.log(`SMTP local server: listening on ${server.host}:${server.port}${dir ? `, saving messages in ${dir}` : ''}.`);
    this.client.localServerStatus(this.status(server));
    return server;
  }
}
