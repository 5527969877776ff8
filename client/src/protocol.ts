// The language server's custom messages as vscode-languageclient objects,
// made in one line each from the names declared in server/src/contract/messages.ts
// (see there why that file holds names and types only), and the one helper
// that executes a server command. Importing from the server folder costs
// nothing in the bundle: only names and types come from there.
import { ExecuteCommandRequest, NotificationType, RequestType, type CancellationToken, type LanguageClient, type ProgressToken } from 'vscode-languageclient/node';
import { CapturedMessageNotification, CapturedSessionNotification, ConfirmRemoteRunRequest, DocumentSessionsNotification, LocalServerStatusNotification, SecretRequest, SessionEventNotification, WorkspaceTrustNotification } from '../../server/src/contract/messages';

export const localServerStatusNotification = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
export const capturedMessageNotification = new NotificationType<CapturedMessageNotification.Params>(CapturedMessageNotification.method);
export const capturedSessionNotification = new NotificationType<CapturedSessionNotification.Params>(CapturedSessionNotification.method);
export const sessionEventNotification = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
export const documentSessionsNotification = new NotificationType<DocumentSessionsNotification.Params>(DocumentSessionsNotification.method);
export const secretRequest = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
export const confirmRemoteRunRequest = new RequestType<ConfirmRemoteRunRequest.Params, ConfirmRemoteRunRequest.Result, void>(ConfirmRemoteRunRequest.method);
export const workspaceTrustNotification = new NotificationType<WorkspaceTrustNotification.Params>(WorkspaceTrustNotification.method);

/** workspace/executeCommand with the one Params argument every server command takes. */
export function executeServerCommand<Result>(client: LanguageClient, command: string, params: object, options: { token?: CancellationToken; workDoneToken?: ProgressToken } = {}): Promise<Result> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [params], workDoneToken: options.workDoneToken }, options.token) as Promise<Result>;
}
