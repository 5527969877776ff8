// Runs sessions for the language server's clients: the LSP side of the engine.
// It reads the document, starts the embedded local server when a session
// needs it (and keeps it for the next run), plays the sessions with
// playSession, forwards their events, asks the client for secrets, and stops a
// run when asked. The messages are declared in contract/messages.ts; this file
// only implements them. The engine (engine/) knows nothing of LSP.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CancellationTokenSource,
  ErrorCodes,
  LSPErrorCodes,
  NotificationType,
  RequestType,
  ResponseError,
  WorkDoneProgressReporter,
  type CancellationToken,
  type Connection,
  type Disposable,
  type ExecuteCommandParams,
} from 'vscode-languageserver';
import { visibleVariables } from '../analysis/variableScope';
import { explainQuery, ExplainQueryError } from '../features/explainQuery';
import { IMPORT_FROM_NAMES, importTranscript, type ImportFrom } from '../import/importTranscript';
import {
  CancelSessionCommand,
  CapturedMessageNotification,
  ExplainCommand,
  ImportTranscriptCommand,
  ListCapturedMessagesCommand,
  ListSessionsCommand,
  LocalServerStatusNotification,
  PreviewCapturedMessageCommand,
  RunSessionCommand,
  SecretRequest,
  SERVER_COMMANDS,
  SessionEventNotification,
  StartLocalServerCommand,
  StopLocalServerCommand,
  type CapturedMessageSummary,
  type LocalServerStatus,
  type RunEvent,
  type SessionRun,
} from '../contract/messages';
import { startLocalServer, type CapturedMessage, type LocalServerOptions, type RunningLocalServer } from '../captureServer/localServer';
import { describeSecretVariables, readEnvironmentSecret } from '../engine/environmentSecrets';
import { messagePreview } from '../captureServer/messagePreview';
import { formatRecording, type RecordedSession } from '../engine/recordTranscript';
import type { SecretProvider } from '../engine/resolveVariables';
import { playSession, type StepResult } from '../engine/playSession';
import { SessionError } from '../engine/sessionErrors';
import type { Session, TranscriptFile } from '../transcript/ast';
import { parseTranscript } from '../transcript/parseTranscript';

/** What the runner needs from the client side of the connection; `connectionRunnerClient` provides it over LSP. */
export interface RunnerClient {
  sessionEvent(params: SessionEventNotification.Params): void;
  localServerStatus(params: LocalServerStatus): void;
  capturedMessage(params: CapturedMessageNotification.Params): void;
  /**
   * The editor's `smtp.localServer` settings, read each time the embedded
   * server starts on demand; null when the client cannot say (no
   * workspace/configuration). `folder` '' means the runner's default folder.
   */
  localServerSettings(): Promise<{ port?: unknown; folder?: unknown } | null>;
  /** The client's answer to smtp/secret. Rejects with the client's error (code MethodNotFound when it does not implement it). */
  secret(params: SecretRequest.Params, cancel: AbortSignal): Promise<SecretRequest.Result>;
  /** Work-done progress for a run: the request's own token when the client sent one, else one the server creates (a no-op without client support). */
  progress(workDone: WorkDoneProgressReporter | undefined): Promise<RunProgress>;
  log(message: string): void;
}

export interface RunProgress {
  begin(title: string, percentage?: number, message?: string, cancellable?: boolean): void;
  report(percentage: number, message: string): void;
  done(): void;
  /** Fires when the user presses the progress's Cancel (server-created progress only). */
  readonly cancellation: CancellationToken | null;
}

/** The open documents, as the runner reads them: TextDocuments from vscode-languageserver fits. */
export interface OpenDocuments {
  get(uri: string): { getText(): string; readonly version: number } | undefined;
}

export interface SessionRunnerOptions {
  /** Where `{{$env}}` and, for clients without smtp/secret, `{{$secret}}` come from. Default: the server's environment. */
  env?: NodeJS.ProcessEnv;
  /** Options for the embedded local server under the ones a client gives (tests use them for fault injection). */
  localServer?: LocalServerOptions;
}

/** At most this many environment values per run: an environment is a handful of names, not a data store. */
const MAX_VARIABLES = 500;
const MAX_VARIABLE_VALUE_LENGTH = 100_000;

interface ActiveRun {
  uri: string;
  controller: AbortController;
}

export class SessionRunner {
  private readonly runs = new Map<string, ActiveRun>();
  /** The embedded server, started or starting; null when stopped. */
  private local: Promise<RunningLocalServer> | null = null;
  private localStopping: Promise<void> = Promise.resolve();
  /** Port and folder of the next start: from the last StartLocalServerCommand, else any free port, in memory. */
  private localSettings: { port: number; dir: string | null } = { port: 0, dir: null };
  /** Where messages go when the editor's `smtp.localServer.folder` is '' (the client's storage, from initializationOptions); null: memory only. */
  defaultLocalFolder: string | null = null;
  /** The client answered MethodNotFound to smtp/secret once: it never will. */
  private clientLacksSecrets = false;
  private disposed = false;

  constructor(
    private readonly client: RunnerClient,
    private readonly documents: OpenDocuments,
    private readonly options: SessionRunnerOptions = {},
  ) {}

  /** workspace/executeCommand for every command in SERVER_COMMANDS. */
  async execute(params: ExecuteCommandParams, token?: CancellationToken, workDone?: WorkDoneProgressReporter): Promise<unknown> {
    const argument: unknown = params.arguments?.[0];
    switch (params.command) {
      case RunSessionCommand.command:
        return this.run(runParams(argument), token, workDone);
      case CancelSessionCommand.command:
        return this.cancel(cancelParams(argument));
      case StartLocalServerCommand.command:
        return this.startLocalServer(startParams(argument));
      case StopLocalServerCommand.command:
        return this.stopLocalServer();
      case ListCapturedMessagesCommand.command:
        return this.listCapturedMessages();
      case PreviewCapturedMessageCommand.command:
        return this.previewCapturedMessage(previewParams(argument));
      case ListSessionsCommand.command:
        return this.listSessions(listSessionsParams(argument));
      case ExplainCommand.command:
        return explain(explainParams(argument));
      case ImportTranscriptCommand.command:
        return importForEditor(importParams(argument));
      default:
        throw invalidParams(`Unknown command "${params.command}"; this server executes ${SERVER_COMMANDS.join(', ')}.`);
    }
  }

  async run(params: RunSessionCommand.Params, token?: CancellationToken, workDone?: WorkDoneProgressReporter): Promise<RunSessionCommand.Result> {
    if (this.disposed) throw new ResponseError(ErrorCodes.InvalidRequest, 'The SMTP language server is shutting down; no new sessions are run.');
    const runId = params.runId ?? randomUUID();
    if (this.runs.has(runId)) throw invalidParams(`A run with the id "${runId}" is still in progress; give each run its own runId.`);
    const controller = new AbortController();
    // Registered before the first await, so a cancel sent right after the request finds the run.
    this.runs.set(runId, { uri: params.uri, controller });
    const cancel = () => controller.abort();
    const subscriptions: Disposable[] = [];
    if (token) subscriptions.push(token.onCancellationRequested(cancel));
    let progress: RunProgress | null = null;
    try {
      const document = await this.readDocument(params.uri);
      const file = parseTranscript(document.text);
      const indexes = selectSessions(file, params.session ?? null);
      progress = await this.client.progress(workDone);
      if (progress.cancellation) subscriptions.push(progress.cancellation.onCancellationRequested(cancel));
      if (token?.isCancellationRequested) cancel();
      progress.begin(`SMTP: ${runTitle(file, indexes, params.uri)}`, 0, undefined, true);

      const goesLocal = (session: Session) => params.local === true || (params.server == null && params.variables?.server === undefined && !namesServer(file, session));
      const needsLocal = indexes.some((index) => goesLocal(file.sessions[index]));
      const local = needsLocal && !controller.signal.aborted ? await this.ensureLocalServer(true) : null;
      const secrets = this.secretProvider(runId, params.uri, controller.signal);
      const sessions: SessionRun[] = [];
      const recorded: RecordedSession[] = [];
      for (const [position, index] of indexes.entries()) {
        if (controller.signal.aborted) break;
        const session = file.sessions[index];
        const label = sessionLabel(file, index);
        const emit = (event: RunEvent) => this.client.sessionEvent({ runId, uri: params.uri, sessionIndex: index, event });
        const share = 100 / indexes.length;
        emit({ type: 'started', name: session.name, line: session.range.start.line + 1, version: document.version });
        progress.report(position * share, label);
        const localAddress = local ? `${local.host}:${local.port}` : null;
        const result = await playSession(file, session, {
          filePath: document.filePath,
          server: params.local ? localAddress : params.server ?? null,
          defaultServer: localAddress,
          variables: params.variables ?? null,
          record: params.record === true,
          insecure: params.insecure === true,
          timeoutSeconds: params.timeoutSeconds ?? null,
          // Made at start-up: trusting it lets STARTTLS to the embedded server verify like any other.
          trustedCertificates: local?.certificatePem ? [local.certificatePem] : [],
          env: this.options.env ?? process.env,
          secrets,
          signal: controller.signal,
          onEvent: (event) => {
            emit(event);
            if (event.type === 'step') progress?.report(position * share, `${label} · ${describeStep(event.step)}`);
          },
        });
        const recording = result.recording;
        delete result.recording; // the transcript below carries it, written out
        emit({ type: 'finished', result });
        sessions.push({ index, result });
        if (recording) recorded.push({ name: result.name, line: result.line, server: result.server !== '' && goesLocal(session) ? null : result.server, lines: recording });
      }
      const cancelled = controller.signal.aborted;
      const transcript = params.record ? { transcript: formatRecording(recorded, { source: basename(document.filePath), recordingPath: document.filePath, date: new Date() }) } : {};
      return { runId, uri: params.uri, version: document.version, ok: !cancelled && sessions.every((run) => run.result.ok), cancelled, sessions, ...transcript };
    } finally {
      this.runs.delete(runId);
      for (const subscription of subscriptions) subscription.dispose();
      progress?.done();
    }
  }

  cancel(params: CancelSessionCommand.Params): CancelSessionCommand.Result {
    const run = this.runs.get(params.runId);
    if (!run) return { cancelled: false };
    run.controller.abort();
    return { cancelled: true };
  }

  async startLocalServer(params: StartLocalServerCommand.Params = {}): Promise<StartLocalServerCommand.Result> {
    if (this.local === null) this.localSettings = { port: params.port ?? 0, dir: params.dir ?? null };
    return this.localStatus(await this.ensureLocalServer(false));
  }

  async listCapturedMessages(): Promise<ListCapturedMessagesCommand.Result> {
    const server = await this.runningLocalServer();
    return { messages: server ? server.messages.map(summarize) : [] };
  }

  async previewCapturedMessage(params: PreviewCapturedMessageCommand.Params): Promise<PreviewCapturedMessageCommand.Result> {
    const server = await this.runningLocalServer();
    const message = server?.messages.find((candidate) => candidate.id === params.id);
    if (!message) {
      throw invalidParams(server
        ? `The local server holds no message "${params.id}" (it keeps the last 200); open its .eml file instead.`
        : `The local server is not running, so message "${params.id}" is gone from memory; open its .eml file instead.`);
    }
    return { text: messagePreview(message.raw) };
  }

  async listSessions(params: ListSessionsCommand.Params): Promise<ListSessionsCommand.Result> {
    const document = await this.readDocument(params.uri);
    const file = parseTranscript(document.text);
    return {
      sessions: file.sessions.map((session, index) => ({
        index,
        name: session.name,
        line: session.range.start.line + 1,
        endLine: session.range.end.line + 1,
        server: visibleVariables(file, session, Number.MAX_SAFE_INTEGER).get('server')?.value.text ?? null,
      })),
    };
  }

  /** The embedded server when it is up (or starting), without starting it. */
  private async runningLocalServer(): Promise<RunningLocalServer | null> {
    return this.local ? this.local.catch(() => null) : null;
  }

  async stopLocalServer(): Promise<StopLocalServerCommand.Result> {
    const starting = this.local;
    this.local = null;
    if (starting !== null) {
      this.localStopping = this.localStopping.then(async () => {
        const server = await starting.catch(() => null);
        await server?.close();
      });
      await this.localStopping;
      if (!this.disposed) this.client.localServerStatus({ running: false });
    }
    return { running: false };
  }

  /** On shutdown: every run is cancelled and the embedded server stops, so the port is free when the process exits. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const run of this.runs.values()) run.controller.abort();
    await this.stopLocalServer();
  }

  /** The settings only change while no server runs, so they are the running server's. */
  private localStatus(server: RunningLocalServer): LocalServerStatus {
    const { dir } = this.localSettings;
    return { running: true, host: server.host, port: server.port, tls: server.tls, certificateFingerprint256: server.certificateFingerprint256, dir: dir === null ? null : resolvePath(dir) };
  }

  /** `onDemand`: a run needs it, so the editor's settings say where it listens (a command's own port and folder win otherwise). */
  private ensureLocalServer(onDemand: boolean): Promise<RunningLocalServer> {
    if (this.local === null) {
      const starting = (onDemand ? this.readClientLocalSettings() : Promise.resolve()).then(() => this.startLocal());
      this.local = starting;
      // A failed start is forgotten, so the next run tries again (the port may be free by then).
      starting.catch(() => {
        if (this.local === starting) this.local = null;
      });
    }
    return this.local;
  }

  private async readClientLocalSettings(): Promise<void> {
    let settings: { port?: unknown; folder?: unknown } | null;
    try {
      settings = await this.client.localServerSettings();
    } catch {
      return; // the client could not say: the last settings stand
    }
    if (!settings) return;
    const { port, folder } = settings;
    if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) this.localSettings.port = port;
    else if (port !== undefined && port !== null) this.client.log(`SMTP: smtp.localServer.port must be an integer from 0 (any free port) to 65535, not ${describeValue(port)}; using ${this.localSettings.port}.`);
    if (typeof folder === 'string') this.localSettings.dir = folder.trim() === '' ? this.defaultLocalFolder : folder;
  }

  private async startLocal(): Promise<RunningLocalServer> {
    await this.localStopping; // a restart on a fixed port waits for the old server to let go of it
    const { port, dir } = this.localSettings;
    const onMessage = this.options.localServer?.onMessage;
    let server: RunningLocalServer;
    try {
      server = await startLocalServer({
        ...this.options.localServer,
        host: '127.0.0.1',
        port,
        dir,
        onMessage: (message) => {
          onMessage?.(message);
          this.client.capturedMessage(summarize(message));
        },
        log: (line) => this.client.log(`SMTP local server: ${line}`),
      });
    } catch (error) {
      const inUse = /in use/.test((error as Error).message) ? ' In the editor, change the setting smtp.localServer.port (0 picks a free port).' : '';
      throw new ResponseError(LSPErrorCodes.RequestFailed, `The embedded local SMTP server could not start: ${(error as Error).message}.${inUse}`);
    }
    this.client.log(`SMTP local server: listening on ${server.host}:${server.port}${dir ? `, saving messages in ${dir}` : ''}.`);
    this.client.localServerStatus(this.localStatus(server));
    return server;
  }

  /** Secrets for one run: each name (and prompt label) is asked once, from the client, or from the environment when it cannot answer. */
  private secretProvider(runId: string, uri: string, signal: AbortSignal): SecretProvider {
    const answers = new Map<string, string>();
    const ask = async (kind: SecretRequest.Params['kind'], name: string): Promise<string> => {
      const key = `${kind}\0${name}`;
      const known = answers.get(key);
      if (known !== undefined) return known;
      const value = await this.askClient({ runId, uri, kind, name }, signal);
      answers.set(key, value);
      return value;
    };
    return { secret: (name) => ask('secret', name), prompt: (label) => ask('prompt', label) };
  }

  private async askClient(params: SecretRequest.Params, signal: AbortSignal): Promise<string> {
    const written = `{{$${params.kind} ${params.name}}}`;
    if (!this.clientLacksSecrets) {
      let answer: SecretRequest.Result;
      try {
        answer = await abortable(this.client.secret(params, signal), signal);
      } catch (error) {
        if (signal.aborted) throw cancelledError();
        if (!isMethodNotFound(error)) {
          throw new SessionError('usage', `${written}: the editor could not provide the value (${(error as Error).message ?? String(error)}); nothing that uses it was sent.`);
        }
        this.clientLacksSecrets = true;
        this.client.log('SMTP: this editor does not answer smtp/secret requests; {{$secret NAME}} now comes from the environment variable SMTP_SECRET_NAME or NAME.');
        return this.secretFromEnvironment(params, written);
      }
      if (answer?.value === null) throw new SessionError('usage', `${written}: no value was given (the request was declined), so the session stopped before sending anything that uses it.`);
      if (typeof answer?.value !== 'string') throw new SessionError('usage', `${written}: the editor answered smtp/secret without a value (expected { value: string | null }).`);
      return answer.value;
    }
    return this.secretFromEnvironment(params, written);
  }

  private secretFromEnvironment(params: SecretRequest.Params, written: string): string {
    if (params.kind === 'prompt') {
      throw new SessionError('usage', `${written} needs the editor to ask you, and this editor does not implement the smtp/secret request. Use {{$secret NAME}} with the environment variable NAME set for the language server instead.`);
    }
    const value = readEnvironmentSecret(this.options.env ?? process.env, params.name);
    if (value === undefined) {
      throw new SessionError('usage', `${written}: this editor does not provide secrets (no smtp/secret request), and neither environment variable ${describeSecretVariables(params.name)} is set for the language server. Set one in the environment the editor starts from.`);
    }
    return value;
  }

  private async readDocument(uri: string): Promise<{ text: string; version: number | null; filePath: string }> {
    const path = filePathOf(uri);
    const open = this.documents.get(uri);
    // `{{$file}}` paths are relative to the document's folder; a document that is no file has none, so the working directory stands in.
    if (open) return { text: open.getText(), version: open.version, filePath: path ?? join(process.cwd(), 'untitled.smtp') };
    if (path === null) throw invalidParams(`${uri} is not open in the editor and is not a file: URI, so the server cannot read it. Send textDocument/didOpen before running it.`);
    try {
      return { text: await readFile(path, 'utf8'), version: null, filePath: path };
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw invalidParams(`${uri} is not open in the editor, and ${path} cannot be read: ${reason}.`);
    }
  }
}

/** The RunnerClient over a real LSP connection, with each message typed from contract/messages.ts. */
export function connectionRunnerClient(connection: Connection, canReadSettings: () => boolean): RunnerClient {
  const sessionEvent = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
  const localServerStatus = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
  const capturedMessage = new NotificationType<CapturedMessageNotification.Params>(CapturedMessageNotification.method);
  const secret = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
  const logFailure = (what: string) => (error: unknown) => connection.console.error(`SMTP: could not send ${what}: ${(error as Error).message}`);
  return {
    sessionEvent: (params) => void connection.sendNotification(sessionEvent, params).catch(logFailure(SessionEventNotification.method)),
    localServerStatus: (params) => void connection.sendNotification(localServerStatus, params).catch(logFailure(LocalServerStatusNotification.method)),
    capturedMessage: (params) => void connection.sendNotification(capturedMessage, params).catch(logFailure(CapturedMessageNotification.method)),
    async localServerSettings() {
      if (!canReadSettings()) return null;
      const section: unknown = await connection.workspace.getConfiguration('smtp.localServer');
      return typeof section === 'object' && section !== null ? (section as { port?: unknown; folder?: unknown }) : null;
    },
    async secret(params, cancel) {
      const source = new CancellationTokenSource();
      const onAbort = () => source.cancel();
      cancel.addEventListener('abort', onAbort, { once: true });
      try {
        return await connection.sendRequest(secret, params, source.token);
      } finally {
        cancel.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
    async progress(workDone) {
      if (workDone && !WorkDoneProgressReporter.isNullInstance(workDone)) {
        // The client gave the request a workDoneToken: it cancels by cancelling the request.
        return { begin: (...args) => workDone.begin(...args), report: (percentage, message) => workDone.report(percentage, message), done: () => workDone.done(), cancellation: null };
      }
      try {
        // Server-created progress (window.workDoneProgress); without client support this is a no-op reporter.
        const reporter = await connection.window.createWorkDoneProgress();
        return { begin: (...args) => reporter.begin(...args), report: (percentage, message) => reporter.report(percentage, message), done: () => reporter.done(), cancellation: reporter.token };
      } catch {
        return { begin: () => undefined, report: () => undefined, done: () => undefined, cancellation: null };
      }
    },
    log: (message) => connection.console.log(message),
  };
}

/** The sessions to run: one by its 0-based index, or all of them. */
function selectSessions(file: TranscriptFile, session: number | null): number[] {
  const count = file.sessions.length;
  if (count === 0) throw invalidParams('The document has no session to run: add C: and S: lines (see docs/format.md).');
  if (session === null) return file.sessions.map((_, index) => index);
  if (session >= count) {
    throw invalidParams(`The document has ${count} session${count === 1 ? '' : 's'} (0-based indexes 0 to ${count - 1}); there is no session ${session}.`);
  }
  return [session];
}

function namesServer(file: TranscriptFile, session: Session): boolean {
  return visibleVariables(file, session, Number.MAX_SAFE_INTEGER).has('server');
}

function summarize(message: CapturedMessage): CapturedMessageSummary {
  return { id: message.id, from: message.from, to: [...message.to], subject: message.subject, size: message.size, receivedAt: message.receivedAt.toISOString(), path: message.path };
}

function explain(params: ExplainCommand.Params): ExplainCommand.Result {
  try {
    return { markdown: explainQuery(params.text.trim().split(/\s+/).filter((word) => word !== '')).join('\n\n---\n\n') };
  } catch (error) {
    if (error instanceof ExplainQueryError) throw invalidParams(error.message);
    throw error;
  }
}

function sessionLabel(file: TranscriptFile, index: number): string {
  return file.sessions[index].name ?? `session ${index + 1}`;
}

function runTitle(file: TranscriptFile, indexes: number[], uri: string): string {
  const name = basename(filePathOf(uri) ?? uri);
  return indexes.length === 1 ? `${sessionLabel(file, indexes[0])} (${name})` : `${indexes.length} sessions of ${name}`;
}

/** A step for the progress line: its line and reply code, never what was sent. */
function describeStep(step: StepResult): string {
  if (step.skipped) return `line ${step.line}: skipped`;
  const verdict = step.ok === false ? ' ✗' : step.ok === true ? ' ✓' : '';
  return `line ${step.line}: ${step.reply?.code ?? '…'}${verdict}`;
}

function filePathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

function isMethodNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === ErrorCodes.MethodNotFound;
}

function cancelledError(): SessionError {
  return new SessionError('cancelled', 'The session was cancelled.');
}

/** Rejects as cancelled as soon as the signal fires, even if the client never answers. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

// ── the commands' arguments, checked: they come from any client ──

function argumentObject(command: string, argument: unknown): Record<string, unknown> {
  if (argument === undefined || argument === null) return {};
  if (typeof argument !== 'object' || Array.isArray(argument)) throw invalidParams(`${command} takes one object argument, not ${describeValue(argument)}.`);
  return argument as Record<string, unknown>;
}

function runParams(argument: unknown): RunSessionCommand.Params {
  const command = RunSessionCommand.command;
  const object = argumentObject(command, argument);
  const { uri, session, server, insecure, timeoutSeconds, runId, local, variables, record } = object;
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${command} needs "uri", the document's URI, as a string.`);
  if (session != null && !(Number.isInteger(session) && (session as number) >= 0)) throw invalidParams(`${command}: "session" must be a 0-based session index or null (every session), not ${describeValue(session)}.`);
  if (server != null && (typeof server !== 'string' || server.trim() === '')) throw invalidParams(`${command}: "server" must be "host:port" or null, not ${describeValue(server)}.`);
  if (insecure !== undefined && typeof insecure !== 'boolean') throw invalidParams(`${command}: "insecure" must be true or false, not ${describeValue(insecure)}.`);
  if (timeoutSeconds != null && !(typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw invalidParams(`${command}: "timeoutSeconds" must be a number of seconds greater than 0, or null, not ${describeValue(timeoutSeconds)}.`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || runId === '' || runId.length > 200)) throw invalidParams(`${command}: "runId" must be a non-empty string of at most 200 characters, not ${describeValue(runId)}.`);
  if (local !== undefined && typeof local !== 'boolean') throw invalidParams(`${command}: "local" must be true or false, not ${describeValue(local)}.`);
  if (local === true && server != null) throw invalidParams(`${command}: give "server" or "local: true", not both: one names a server, the other the embedded local server.`);
  if (record !== undefined && typeof record !== 'boolean') throw invalidParams(`${command}: "record" must be true or false, not ${describeValue(record)}.`);
  return {
    uri,
    session: (session as number | null | undefined) ?? null,
    server: (server as string | null | undefined) ?? null,
    insecure: insecure === true,
    timeoutSeconds: (timeoutSeconds as number | null | undefined) ?? null,
    ...(runId !== undefined ? { runId: runId as string } : {}),
    local: local === true,
    variables: variablesParam(command, variables),
    record: record === true,
  };
}

function variablesParam(command: string, variables: unknown): Record<string, string> | null {
  if (variables == null) return null;
  if (typeof variables !== 'object' || Array.isArray(variables)) throw invalidParams(`${command}: "variables" must be an object of names to text values, not ${describeValue(variables)}.`);
  const entries = Object.entries(variables as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) throw invalidParams(`${command}: "variables" has ${entries.length} names; at most ${MAX_VARIABLES} are taken.`);
  const checked: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw invalidParams(`${command}: "variables" has the name ${describeValue(name)}; a variable name starts with a letter or _ and holds letters, digits, _, . and - (as in @name = value).`);
    if (typeof value !== 'string' || value.length > MAX_VARIABLE_VALUE_LENGTH) throw invalidParams(`${command}: the variable "${name}" must be a text value of at most ${MAX_VARIABLE_VALUE_LENGTH} characters, not ${describeValue(value)}.`);
    checked[name] = value;
  }
  return checked;
}

function previewParams(argument: unknown): PreviewCapturedMessageCommand.Params {
  const { id } = argumentObject(PreviewCapturedMessageCommand.command, argument);
  if (typeof id !== 'string' || id === '') throw invalidParams(`${PreviewCapturedMessageCommand.command} needs "id", the message's queue id, as a string.`);
  return { id };
}

function listSessionsParams(argument: unknown): ListSessionsCommand.Params {
  const { uri } = argumentObject(ListSessionsCommand.command, argument);
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${ListSessionsCommand.command} needs "uri", the document's URI, as a string.`);
  return { uri };
}

function explainParams(argument: unknown): ExplainCommand.Params {
  const { text } = argumentObject(ExplainCommand.command, argument);
  if (typeof text !== 'string' || text.trim() === '' || text.length > 200) throw invalidParams(`${ExplainCommand.command} needs "text", what to explain (550, 550 5.1.1, 5.7.1, MAIL, PIPELINING…), as a string of at most 200 characters.`);
  return { text };
}

function importForEditor(params: ImportTranscriptCommand.Params): ImportTranscriptCommand.Result {
  const result = importTranscript(params.text, { from: params.from ?? 'auto' });
  if (!result.ok) throw invalidParams(result.message);
  return { text: result.text, format: result.format, dialogueLines: result.dialogueLines };
}

// A pasted log is a few kilobytes; a bound keeps a stray huge file from holding the server.
const IMPORT_TEXT_LIMIT = 10 * 1024 * 1024;

function importParams(argument: unknown): ImportTranscriptCommand.Params {
  const command = ImportTranscriptCommand.command;
  const { text, from } = argumentObject(command, argument);
  if (typeof text !== 'string' || text.length > IMPORT_TEXT_LIMIT) throw invalidParams(`${command} needs "text", the transcript to convert, as a string of at most ${IMPORT_TEXT_LIMIT} characters.`);
  if (from !== undefined && !(IMPORT_FROM_NAMES as readonly unknown[]).includes(from)) throw invalidParams(`${command}: "from" must be one of ${IMPORT_FROM_NAMES.join(', ')}, not ${describeValue(from)}.`);
  return { text, from: from as ImportFrom | undefined };
}

function cancelParams(argument: unknown): CancelSessionCommand.Params {
  const { runId } = argumentObject(CancelSessionCommand.command, argument);
  if (typeof runId !== 'string' || runId === '') throw invalidParams(`${CancelSessionCommand.command} needs "runId", the id of the run to stop, as a string.`);
  return { runId };
}

function startParams(argument: unknown): StartLocalServerCommand.Params {
  const command = StartLocalServerCommand.command;
  const { port, dir } = argumentObject(command, argument);
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535)) throw invalidParams(`${command}: "port" must be an integer from 0 (any free port) to 65535, not ${describeValue(port)}.`);
  if (dir != null && (typeof dir !== 'string' || dir === '')) throw invalidParams(`${command}: "dir" must be a folder path or null, not ${describeValue(dir)}.`);
  return { ...(port !== undefined ? { port: port as number } : {}), dir: (dir as string | null | undefined) ?? null };
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
