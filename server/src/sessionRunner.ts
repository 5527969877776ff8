// Runs sessions for the language server's clients: the LSP side of the engine.
// It reads the document, starts the embedded local server when a session
// needs it (and keeps it for the next run), plays the sessions with
// runSession, forwards their events, asks the client for secrets, and stops a
// run when asked. The messages are declared in lspExtensions.ts; this file
// only implements them. The engine (session/) knows nothing of LSP.
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
import { visibleVariables } from './analysis/variableScope';
import {
  CancelSessionCommand,
  LocalServerStatusNotification,
  RunSessionCommand,
  SecretRequest,
  SERVER_COMMANDS,
  SessionEventNotification,
  StartLocalServerCommand,
  StopLocalServerCommand,
  type LocalServerStatus,
  type RunEvent,
  type SessionRun,
} from './lspExtensions';
import { startLocalServer, type LocalServerOptions, type RunningLocalServer } from './session/localServer';
import type { SecretProvider } from './session/resolveVariables';
import { runSession, type StepResult } from './session/runSession';
import { SessionError } from './session/sessionErrors';
import type { TranscriptFile } from './transcript/ast';
import { parseTranscript } from './transcript/parseTranscript';

/** What the runner needs from the client side of the connection; `connectionRunnerClient` provides it over LSP. */
export interface RunnerClient {
  sessionEvent(params: SessionEventNotification.Params): void;
  localServerStatus(params: LocalServerStatus): void;
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

      const needsLocal = params.server == null && indexes.some((index) => !visibleVariables(file, file.sessions[index], Number.MAX_SAFE_INTEGER).has('server'));
      const local = needsLocal && !controller.signal.aborted ? await this.ensureLocalServer() : null;
      const secrets = this.secretProvider(runId, params.uri, controller.signal);
      const sessions: SessionRun[] = [];
      for (const [position, index] of indexes.entries()) {
        if (controller.signal.aborted) break;
        const session = file.sessions[index];
        const label = sessionLabel(file, index);
        const emit = (event: RunEvent) => this.client.sessionEvent({ runId, uri: params.uri, sessionIndex: index, event });
        const share = 100 / indexes.length;
        emit({ type: 'started', name: session.name, line: session.range.start.line + 1, version: document.version });
        progress.report(position * share, label);
        const result = await runSession(file, session, {
          filePath: document.filePath,
          server: params.server ?? null,
          defaultServer: local ? `${local.host}:${local.port}` : null,
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
        emit({ type: 'finished', result });
        sessions.push({ index, result });
      }
      const cancelled = controller.signal.aborted;
      return { runId, uri: params.uri, version: document.version, ok: !cancelled && sessions.every((run) => run.result.ok), cancelled, sessions };
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
    return this.localStatus(await this.ensureLocalServer());
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

  private ensureLocalServer(): Promise<RunningLocalServer> {
    if (this.local === null) {
      const starting = this.startLocal();
      this.local = starting;
      // A failed start is forgotten, so the next run tries again (the port may be free by then).
      starting.catch(() => {
        if (this.local === starting) this.local = null;
      });
    }
    return this.local;
  }

  private async startLocal(): Promise<RunningLocalServer> {
    await this.localStopping; // a restart on a fixed port waits for the old server to let go of it
    const { port, dir } = this.localSettings;
    let server: RunningLocalServer;
    try {
      server = await startLocalServer({
        ...this.options.localServer,
        host: '127.0.0.1',
        port,
        dir,
        log: (line) => this.client.log(`SMTP local server: ${line}`),
      });
    } catch (error) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, `The embedded local SMTP server could not start: ${(error as Error).message}`);
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
        this.client.log('SMTP: this editor does not answer smtp/secret requests; {{$secret NAME}} now comes from the environment variable NAME.');
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
    const value = (this.options.env ?? process.env)[params.name];
    if (value === undefined) {
      throw new SessionError('usage', `${written}: this editor does not provide secrets (no smtp/secret request), and the environment variable ${params.name} is not set for the language server. Set it in the environment the editor starts from.`);
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

/** The RunnerClient over a real LSP connection, with each message typed from lspExtensions. */
export function connectionRunnerClient(connection: Connection): RunnerClient {
  const sessionEvent = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
  const localServerStatus = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
  const secret = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
  const logFailure = (what: string) => (error: unknown) => connection.console.error(`SMTP: could not send ${what}: ${(error as Error).message}`);
  return {
    sessionEvent: (params) => void connection.sendNotification(sessionEvent, params).catch(logFailure(SessionEventNotification.method)),
    localServerStatus: (params) => void connection.sendNotification(localServerStatus, params).catch(logFailure(LocalServerStatusNotification.method)),
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
  const { uri, session, server, insecure, timeoutSeconds, runId } = object;
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${command} needs "uri", the document's URI, as a string.`);
  if (session != null && !(Number.isInteger(session) && (session as number) >= 0)) throw invalidParams(`${command}: "session" must be a 0-based session index or null (every session), not ${describeValue(session)}.`);
  if (server != null && (typeof server !== 'string' || server.trim() === '')) throw invalidParams(`${command}: "server" must be "host:port" or null, not ${describeValue(server)}.`);
  if (insecure !== undefined && typeof insecure !== 'boolean') throw invalidParams(`${command}: "insecure" must be true or false, not ${describeValue(insecure)}.`);
  if (timeoutSeconds != null && !(typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw invalidParams(`${command}: "timeoutSeconds" must be a number of seconds greater than 0, or null, not ${describeValue(timeoutSeconds)}.`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || runId === '' || runId.length > 200)) throw invalidParams(`${command}: "runId" must be a non-empty string of at most 200 characters, not ${describeValue(runId)}.`);
  return {
    uri,
    session: (session as number | null | undefined) ?? null,
    server: (server as string | null | undefined) ?? null,
    insecure: insecure === true,
    timeoutSeconds: (timeoutSeconds as number | null | undefined) ?? null,
    ...(runId !== undefined ? { runId: runId as string } : {}),
  };
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
