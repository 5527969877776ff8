// The client end of a real LSP connection to the language server, for tests:
// the server in this process over memory streams, or dist/server.js as a
// child on stdio. Every message the server sends is queued so a test waits on
// the one it expects; every byte is kept in `wire` to prove what is never said.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CancellationTokenSource,
  ConfigurationRequest,
  ErrorCodes,
  ResponseError,
  createConnection,
  createMessageConnection,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  InitializedNotification,
  InitializeRequest,
  NotificationType,
  ShutdownRequest,
  RequestType,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type ConfigurationItem,
  type InitializeResult,
  type MessageConnection,
  type ProgressToken,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../../server/src/lsp/languageServer';
import {
  CapturedMessageNotification,
  CapturedSessionNotification,
  DocumentSessionsNotification,
  LocalServerStatusNotification,
  RunSessionCommand,
  SecretRequest,
  SessionEventNotification,
  type CapturedMessageSummary,
  type CapturedSessionSummary,
  type LocalServerStatus,
  type SmtpClientCapabilities,
} from '../../../server/src/contract/messages';

/** Every extension of contract/messages.ts, as the VS Code client declares them. */
export const ALL_SMTP_EXTENSIONS: Required<SmtpClientCapabilities> = {
  secretRequest: true,
  sessionEvents: true,
  localServerEvents: true,
  documentSessions: true,
  triggerSuggestCommand: true,
  textMateGrammar: true,
  confirmRemoteRun: true,
};

export const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');
export const TIMEOUT = { timeout: 15_000 };
const sessionEvent = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
const localServerStatus = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
const secretRequest = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
const capturedMessage = new NotificationType<CapturedMessageNotification.Params>(CapturedMessageNotification.method);
const capturedSession = new NotificationType<CapturedSessionNotification.Params>(CapturedSessionNotification.method);
const documentSessions = new NotificationType<DocumentSessionsNotification.Params>(DocumentSessionsNotification.method);

/** Messages in arrival order; next() hands out the first unclaimed one that matches, now or when it arrives. */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: { matches: (item: T) => boolean; resolve: (item: T) => void }[] = [];
  readonly all: T[] = [];

  push(item: T): void {
    this.all.push(item);
    const index = this.waiters.findIndex((waiter) => waiter.matches(item));
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(item);
    else this.items.push(item);
  }

  next(matches: (item: T) => boolean = () => true): Promise<T> {
    const index = this.items.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.items.splice(index, 1)[0]);
    return new Promise((resolve) => this.waiters.push({ matches, resolve }));
  }
}

export type Progress = { token: ProgressToken; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd };

/** A language server and the client end of its connection. */
export class Harness {
  readonly events = new Queue<SessionEventNotification.Params>();
  readonly statuses = new Queue<LocalServerStatus>();
  readonly captured = new Queue<CapturedMessageSummary>();
  readonly capturedSessions = new Queue<CapturedSessionSummary>();
  readonly documentSessions = new Queue<DocumentSessionsNotification.Params>();
  readonly progress = new Queue<Progress>();
  readonly secretRequests: SecretRequest.Params[] = [];
  readonly secretAsked = new Queue<{ params: SecretRequest.Params; withdrawn: Promise<void> }>();
  /** Everything the server wrote to the client, to prove what it never says. */
  wire = '';
  readonly client: MessageConnection;
  private readonly streams: PassThrough[] = [];
  private child: ChildProcess | null = null;

  /**
   * `ServerOptions`: startServer in this process over memory streams. `'process'`: dist/server.js as a child on stdio.
   * `{ args }`: node with these arguments (a script and its flags) as a child on stdio, e.g. `bin/smtp-session.js lsp`.
   */
  constructor(server: ServerOptions | 'process' | { args: string[] }, answerSecret: ((params: SecretRequest.Params) => SecretRequest.Result | Promise<SecretRequest.Result>) | null) {
    let fromServer: NodeJS.ReadableStream;
    let toServer: NodeJS.WritableStream;
    if (server === 'process' || 'args' in server) {
      assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
      this.child = spawn(process.execPath, server === 'process' ? [SERVER, '--stdio'] : server.args, { stdio: ['pipe', 'pipe', 'inherit'] });
      [fromServer, toServer] = [this.child.stdout!, this.child.stdin!];
    } else {
      const [input, output] = [new PassThrough(), new PassThrough()];
      this.streams.push(input, output);
      // Reader and writer rather than raw streams: given streams, the node connection exits the process when they close.
      startServer(createConnection(new StreamMessageReader(input), new StreamMessageWriter(output)), { validationDelayMs: 0, ...server });
      [fromServer, toServer] = [output, input];
    }
    fromServer.on('data', (chunk: Buffer) => (this.wire += chunk.toString('utf8')));
    this.client = createMessageConnection(fromServer, toServer);
    this.client.onNotification(sessionEvent, (params) => this.events.push(params));
    this.client.onNotification(localServerStatus, (params) => this.statuses.push(params));
    this.client.onNotification(capturedMessage, (params) => this.captured.push(params));
    this.client.onNotification(capturedSession, (params) => this.capturedSessions.push(params));
    this.client.onNotification(documentSessions, (params) => this.documentSessions.push(params));
    // Without a handler the client answers MethodNotFound, as an editor that does not know the request would.
    if (answerSecret) {
      this.client.onRequest(secretRequest, (params, token) => {
        this.secretRequests.push(params);
        this.secretAsked.push({ params, withdrawn: new Promise((resolve) => token.onCancellationRequested(() => resolve())) });
        return answerSecret(params);
      });
    }
    this.client.listen();
  }

  /** Answers workspace/configuration (declare `workspace.configuration` in initialize's capabilities too). */
  answerConfiguration(settings: (item: ConfigurationItem) => unknown): void {
    this.client.onRequest(ConfigurationRequest.type, (params) => params.items.map(settings));
  }

  /** `extensions`: the client's `experimental.smtp` (null: declares none, like an editor that only speaks standard LSP). */
  async initialize(capabilities: ClientCapabilities = {}, initializationOptions?: unknown, workspaceFolders: WorkspaceFolder[] | null = null, extensions: SmtpClientCapabilities | null = ALL_SMTP_EXTENSIONS): Promise<InitializeResult> {
    const declared = extensions === null ? capabilities : { ...capabilities, experimental: { ...(capabilities.experimental as object | undefined), smtp: extensions } };
    const result = await this.client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: declared, workspaceFolders, initializationOptions });
    await this.client.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** Watches $/progress for tokens the server creates (the client must then support window.workDoneProgress). */
  acceptServerProgress(): void {
    this.client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      this.client.onProgress(WorkDoneProgress.type, token, (value) => this.progress.push({ token, value }));
    });
  }

  open(uri: string, text: string): Promise<void> {
    return this.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'smtp', version: 1, text } });
  }

  execute<R>(command: string, argument?: unknown, token?: CancellationTokenSource['token']): Promise<R> {
    const params = { command, arguments: argument === undefined ? [] : [argument] };
    return this.client.sendRequest(ExecuteCommandRequest.type, params, token) as Promise<R>;
  }

  run(params: RunSessionCommand.Params, token?: CancellationTokenSource['token']): Promise<RunSessionCommand.Result> {
    return this.execute(RunSessionCommand.command, params, token);
  }

  /** The next event of a run with this type. */
  event(runId: string, type: string): Promise<SessionEventNotification.Params> {
    return this.events.next((params) => params.runId === runId && params.event.type === type);
  }

  /** Shuts the server down, then closes: nothing it still sends (diagnostics, a log line) finds the connection gone. */
  async close(): Promise<void> {
    await this.client.sendRequest(ShutdownRequest.type);
    this.dispose();
  }

  dispose(): void {
    this.client.dispose();
    for (const stream of this.streams) stream.destroy();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid);
  }
}

/** Resolves with the connection error code when nothing listens on the port any more. */
/** Executes `command` and expects it to fail with InvalidParams whose message matches `pattern`. */
export async function refusal(harness: Harness, command: string, argument: unknown, pattern: RegExp): Promise<void> {
  const error = await harness.execute(command, argument).then(() => assert.fail('expected an error'), (failure: unknown) => failure);
  assert.ok(error instanceof ResponseError, String(error));
  assert.equal(error.code, ErrorCodes.InvalidParams);
  assert.match(error.message, pattern);
}

export function connectionRefused(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      reject(new Error(`port ${port} still accepts connections`));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
