// The embedded capture server as the language server keeps it: started by a
// command or on a run's first need, reused by later runs, stopped by a command
// or on shutdown; its status and every captured message are announced to the
// editor as they happen.
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { startLocalServer, type CapturedMessage, type LocalServerOptions, type RunningLocalServer } from '../captureServer/localServer';
import { envelopeSection } from '../captureServer/messageEnvelope';
import { RulesError } from '../captureServer/rules/parseRules';
import { readRulesFile } from '../captureServer/rules/readRulesFile';
import { messagePreview } from '../captureServer/messagePreview';
import { openContent } from '../captureServer/messageSpool';
import type {
  CapturedSessionTranscriptCommand,
  ListCapturedMessagesCommand,
  LocalServerStatus,
  PreviewCapturedMessageCommand,
  StartLocalServerCommand,
  StopLocalServerCommand,
} from '../contract/messages';
import { describeValue, invalidParams } from './commandArguments';
import type { EditorClient } from './editorClient';
import { capturedMessageSummary, capturedSessionSummary } from './wireReports';

/** The `250` to a message's end names its queue id so: `250 2.0.0 Ok: queued as 3f9c2a71d0` (localServer.ts). */
const QUEUED_AS = /\bqueued as ([0-9a-f]{10})\b/i;

export class CaptureServerService {
  /** The embedded server, started or starting; null when stopped. */
  private local: Promise<RunningLocalServer> | null = null;
  private stopping: Promise<void> = Promise.resolve();
  /** Port, folder and rules file of the next start: from the last StartLocalServerCommand, else any free port, in memory, no rules. */
  private settings: { port: number; dir: string | null; rules: string | null } = { port: 0, dir: null, rules: null };
  /** Where messages go when the editor's `smtp.localServer.folder` is '' (the client's storage, from initializationOptions); null: memory only. */
  defaultFolder: string | null = null;
  private disposed = false;
  /** The embedded server once it listens (null while starting or stopped). */
  private listening: RunningLocalServer | null = null;
  /** Which run line delivered each captured message, by message id (only while the server holds the message). */
  private readonly sentBy = new Map<string, { uri: string; line: number }>();

  constructor(
    private readonly client: EditorClient,
    /** Options under the ones a client gives (tests use them for fault injection). */
    private readonly options: LocalServerOptions = {},
  ) {}

  async start(params: StartLocalServerCommand.Params = {}): Promise<StartLocalServerCommand.Result> {
    if (this.local === null) this.settings = { port: params.port ?? 0, dir: params.dir ?? null, rules: params.rules ?? null };
    return this.status(await this.ensure(false));
  }

  async stop(): Promise<StopLocalServerCommand.Result> {
    const starting = this.local;
    this.local = null;
    this.listening = null;
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
    if (!server) return { messages: [], sessions: [] };
    return { messages: server.messages.map((message) => this.summary(message)), sessions: server.sessions.map(capturedSessionSummary) };
  }

  /**
   * A run's message end got `250 … queued as ID` from `server` (`host:port`):
   * when that is the embedded server and it holds the message, the message
   * remembers the run's line (and the inbox is told again), and its id is
   * returned for the step's report; else null.
   */
  linkRun(server: string, replyLines: readonly string[], sentBy: { uri: string; line: number }): string | null {
    // Synchronous, so the step's event goes out in its place among the run's events.
    const local = this.listening;
    if (!local || server !== `${local.host}:${local.port}`) return null;
    const id = replyLines.map((line) => QUEUED_AS.exec(line)?.[1]).find((found) => found !== undefined);
    const message = id === undefined ? undefined : local.messages.find((candidate) => candidate.id === id);
    if (!message) return null;
    this.sentBy.set(message.id, { uri: sentBy.uri, line: sentBy.line });
    // Only messages the server still holds keep their link.
    if (this.sentBy.size > local.messages.length * 2) {
      const held = new Set(local.messages.map((candidate) => candidate.id));
      for (const known of this.sentBy.keys()) if (!held.has(known)) this.sentBy.delete(known);
    }
    this.client.capturedMessage(this.summary(message));
    return message.id;
  }

  async sessionTranscript(params: CapturedSessionTranscriptCommand.Params): Promise<CapturedSessionTranscriptCommand.Result> {
    const server = await this.running();
    const session = server?.sessions.find((candidate) => candidate.id === params.id);
    if (!session) {
      const open = server?.messages.some((message) => message.sessionId === params.id) ?? false;
      throw invalidParams(open
        ? `Session "${params.id}" is still connected: its transcript is written when the connection closes.`
        : server
          ? `The local server holds no session "${params.id}" (it keeps the last 200); its .smtp file, if it had a folder, is still there.`
          : `The local server is not running, so session "${params.id}" is gone from memory; its .smtp file, if it had a folder, is still there.`);
    }
    if (session.text !== null) return { text: session.text, path: null };
    try {
      return { text: await readFile(session.path!, 'utf8'), path: session.path };
    } catch (error) {
      throw invalidParams(`The transcript ${session.path} cannot be read: ${(error as Error).message}`);
    }
  }

  async preview(params: PreviewCapturedMessageCommand.Params): Promise<PreviewCapturedMessageCommand.Result> {
    const server = await this.running();
    const message = server?.messages.find((candidate) => candidate.id === params.id);
    if (!message) {
      throw invalidParams(server
        ? `The local server holds no message "${params.id}" (it keeps the last 200); open its .eml file instead.`
        : `The local server is not running, so message "${params.id}" is gone from memory; open its .eml file instead.`);
    }
    const head = envelopeSection({ envelope: message.envelope, facts: message.facts, sentBy: this.sentBy.get(message.id) ?? null });
    return { text: head + await messagePreview(openContent(message.content), message.size) };
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

  private summary(message: CapturedMessage) {
    return capturedMessageSummary(message, this.sentBy.get(message.id));
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
    let settings: { port?: unknown; folder?: unknown; rules?: unknown } | null;
    try {
      settings = await this.client.localServerSettings();
    } catch {
      return; // the client could not say: the last settings stand
    }
    if (!settings) return;
    const { port, folder, rules } = settings;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) this.settings.port = port;
    else if (port !== undefined && port !== null) this.client.log(`SMTP: smtp.localServer.port must be an integer from 0 (any free port) to 65535, not ${describeValue(port)}; using ${this.settings.port}.`);
    if (typeof folder === 'string') this.settings.dir = folder.trim() === '' ? this.defaultFolder : folder;
    if (typeof rules === 'string') this.settings.rules = rules.trim() === '' ? null : rules;
  }

  private async listen(): Promise<RunningLocalServer> {
    await this.stopping; // a restart on a fixed port waits for the old server to let go of it
    const { port, dir, rules } = this.settings;
    const { onMessage, onSession } = this.options;
    this.sentBy.clear();
    let server: RunningLocalServer;
    try {
      server = await startLocalServer({
        ...this.options,
        // A rules file that cannot be used stops the start here, its error naming the rule and the field.
        rules: [...(this.options.rules ?? []), ...(rules === null ? [] : readRulesFile(rules))],
        host: '127.0.0.1',
        port,
        dir,
        onMessage: (message) => {
          onMessage?.(message);
          this.client.capturedMessage(this.summary(message));
        },
        onSession: (session) => {
          onSession?.(session);
          this.client.capturedSession(capturedSessionSummary(session));
        },
        log: (line) => this.client.log(`SMTP local server: ${line}`),
      });
    } catch (error) {
      const message = (error as Error).message.replace(/\.$/, '');
      const hint = /in use/.test(message) ? ' In the editor, change the setting smtp.localServer.port (0 picks a free port).' : error instanceof RulesError ? ' Fix the rules file, or change the setting smtp.localServer.rules.' : '';
      throw new ResponseError(LSPErrorCodes.RequestFailed, `The embedded local SMTP server could not start: ${message}.${hint}`);
    }
    this.client.log(`SMTP local server: listening on ${server.host}:${server.port}${dir ? `, saving messages in ${dir}` : ''}.`);
    this.client.localServerStatus(this.status(server));
    this.listening = server;
    return server;
  }
}
