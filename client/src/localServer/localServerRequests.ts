// The local server's messages between this client and the language server,
// typed from their one declaration in server/src/lspExtensions.ts.
import { ExecuteCommandRequest, NotificationType, type LanguageClient } from 'vscode-languageclient/node';
import type { Disposable } from 'vscode';
import {
  CapturedMessageNotification,
  ListCapturedMessagesCommand,
  LocalServerStatusNotification,
  PreviewCapturedMessageCommand,
  StartLocalServerCommand,
  StopLocalServerCommand,
  type CapturedMessageSummary,
  type LocalServerStatus,
} from '../../../server/src/lspExtensions';

const statusNotification = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
const capturedNotification = new NotificationType<CapturedMessageNotification.Params>(CapturedMessageNotification.method);

export class LocalServerRequests {
  constructor(private readonly client: LanguageClient) {}

  start(params: StartLocalServerCommand.Params): Promise<StartLocalServerCommand.Result> {
    return this.execute(StartLocalServerCommand.command, params);
  }

  stop(): Promise<StopLocalServerCommand.Result> {
    return this.execute(StopLocalServerCommand.command, {});
  }

  list(): Promise<ListCapturedMessagesCommand.Result> {
    return this.execute(ListCapturedMessagesCommand.command, {});
  }

  preview(id: string): Promise<PreviewCapturedMessageCommand.Result> {
    return this.execute(PreviewCapturedMessageCommand.command, { id } satisfies PreviewCapturedMessageCommand.Params);
  }

  /**
   * vscode-languageclient keeps one handler per notification method: these two
   * are this module's, and nothing else in the client may register them.
   */
  onStatus(listener: (status: LocalServerStatus) => void): Disposable {
    return this.client.onNotification(statusNotification, listener);
  }

  onCaptured(listener: (message: CapturedMessageSummary) => void): Disposable {
    return this.client.onNotification(capturedNotification, listener);
  }

  /** Stopped, failed or restarting: a request now would fail with a message about connections, not about SMTP. */
  get available(): boolean {
    return this.client.isRunning();
  }

  private async execute<R>(command: string, params: object): Promise<R> {
    if (!this.client.isRunning()) throw new Error('The SMTP language server is not running (see the SMTP output for why); reload the window to restart it.');
    return (await this.client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [params] })) as R;
  }
}
