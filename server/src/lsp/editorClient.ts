// The editor at the other end of the connection, as the server's commands use
// it: the notifications they send, the requests they make, progress and the
// log. One implementation over a real LSP connection; the messages themselves
// are declared in contract/messages.ts. A custom message goes only to a client
// that declared it (`experimental.smtp`, see clientFeatures.ts): for any other,
// sending it is a no-op and smtp/secret is never asked.
import {
  CancellationTokenSource,
  MessageType,
  NotificationType,
  RequestType,
  ShowMessageRequest,
  WorkDoneProgressReporter,
  type CancellationToken,
  type Connection,
} from 'vscode-languageserver';
import type { ClientFeatures } from './clientFeatures';
import type { LocalServerSection, SettingsCache } from './settings';
import {
  CapturedMessageNotification,
  CapturedSessionNotification,
  ConfirmRemoteRunRequest,
  LocalServerStatusNotification,
  SecretRequest,
  SessionEventNotification,
  type LocalServerStatus,
} from '../contract/messages';

/** What the server's commands need of the editor on the other end of the connection; `connectionEditorClient` provides it over LSP. */
export interface EditorClient {
  sessionEvent(params: SessionEventNotification.Params): void;
  localServerStatus(params: LocalServerStatus): void;
  capturedMessage(params: CapturedMessageNotification.Params): void;
  capturedSession(params: CapturedSessionNotification.Params): void;
  /**
   * The editor's `smtp.localServer` settings, read each time the embedded
   * server starts on demand; null when the client cannot say (no
   * workspace/configuration). `folder` '' means the capture server's default folder.
   */
  localServerSettings(): Promise<LocalServerSection>;
  /** The client declared that it answers smtp/secret (`experimental.smtp.secretRequest`). */
  answersSecrets(): boolean;
  /** The client's answer to smtp/secret: anything it sent, null included. Rejects with the client's error (code MethodNotFound when it does not implement it). */
  secret(params: SecretRequest.Params, cancel: AbortSignal): Promise<unknown>;
  /** `smtp.confirmRemoteRuns` for a document (settings.ts: workspace/configuration, pushed settings or initializationOptions.smtp; default true). */
  confirmRemoteRuns(uri: string): Promise<boolean>;
  /** How the client can be asked before a run to a remote host: its own smtp/confirmRemoteRun, window/showMessageRequest, or not at all. */
  remoteRunQuestion(): 'confirmRemoteRun' | 'showMessageRequest' | null;
  /** The client's answer to smtp/confirmRemoteRun. */
  confirmRemoteRun(params: ConfirmRemoteRunRequest.Params, cancel: AbortSignal): Promise<ConfirmRemoteRunRequest.Result | null>;
  /** window/showMessageRequest: the title of the action picked, or null when dismissed. */
  askUser(message: string, actions: readonly string[], cancel: AbortSignal): Promise<string | null>;
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

/** A request a run waits for, withdrawn ($/cancelRequest) when the run is cancelled. */
async function cancellable<T>(cancel: AbortSignal, send: (token: CancellationToken) => Promise<T>): Promise<T> {
  const source = new CancellationTokenSource();
  const onAbort = () => source.cancel();
  cancel.addEventListener('abort', onAbort, { once: true });
  try {
    return await send(source.token);
  } finally {
    cancel.removeEventListener('abort', onAbort);
    source.dispose();
  }
}

/** The EditorClient over a real LSP connection, with each message typed from contract/messages.ts. */
export function connectionEditorClient(connection: Connection, features: () => ClientFeatures, settings: SettingsCache): EditorClient {
  const sessionEvent = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
  const localServerStatus = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
  const capturedMessage = new NotificationType<CapturedMessageNotification.Params>(CapturedMessageNotification.method);
  const capturedSession = new NotificationType<CapturedSessionNotification.Params>(CapturedSessionNotification.method);
  const secret = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
  const confirmRemoteRun = new RequestType<ConfirmRemoteRunRequest.Params, ConfirmRemoteRunRequest.Result | null, void>(ConfirmRemoteRunRequest.method);
  const logFailure = (what: string) => (error: unknown) => connection.console.error(`SMTP: could not send ${what}: ${(error as Error).message}`);
  return {
    sessionEvent(params) {
      if (features().smtp.sessionEvents) void connection.sendNotification(sessionEvent, params).catch(logFailure(SessionEventNotification.method));
    },
    localServerStatus(params) {
      if (features().smtp.localServerEvents) void connection.sendNotification(localServerStatus, params).catch(logFailure(LocalServerStatusNotification.method));
    },
    capturedMessage(params) {
      if (features().smtp.localServerEvents) void connection.sendNotification(capturedMessage, params).catch(logFailure(CapturedMessageNotification.method));
    },
    capturedSession(params) {
      if (features().smtp.localServerEvents) void connection.sendNotification(capturedSession, params).catch(logFailure(CapturedSessionNotification.method));
    },
    localServerSettings: () => settings.localServer(),
    answersSecrets: () => features().smtp.secretRequest,
    secret: (params, cancel) => cancellable(cancel, (token) => connection.sendRequest(secret, params, token) as Promise<SecretRequest.Result | null>),
    confirmRemoteRuns: async (uri) => (await settings.forDocument(uri)).confirmRemoteRuns,
    remoteRunQuestion: () => (features().smtp.confirmRemoteRun ? 'confirmRemoteRun' : features().showMessageRequest ? 'showMessageRequest' : null),
    confirmRemoteRun: (params, cancel) => cancellable(cancel, (token) => connection.sendRequest(confirmRemoteRun, params, token)),
    askUser: (message, actions, cancel) => cancellable(cancel, async (token) => {
      const picked = await connection.sendRequest(ShowMessageRequest.type, { type: MessageType.Warning, message, actions: actions.map((title) => ({ title })) }, token);
      return picked?.title ?? null;
    }),
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
