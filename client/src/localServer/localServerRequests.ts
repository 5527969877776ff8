// The local server's messages between this client and the language server,
// typed from their one declaration in server/src/contract/messages.ts.
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Disposable } from 'vscode';
import {
  CapturedSessionTranscriptCommand,
  ListCapturedMessagesCommand,
  PreviewCapturedMessageCommand,
  StartLocalServerCommand,
  StopLocalServerCommand,
  type CapturedMessageSummary,
  type CapturedSessionSummary,
  type LocalServerStatus,
} from '../../../server/src/contract/messages';
import { capturedMessageNotification, capturedSessionNotification, executeServerCommand, localServerStatusNotification } from '../protocol';

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

  sessionTranscript(id: string): Promise<CapturedSessionTranscriptCommand.Result> {
    return this.execute(CapturedSessionTranscriptCommand.command, { id } satisfies CapturedSessionTranscriptCommand.Params);
  }

  /**
   * vscode-languageclient keeps one handler per notification method: these three
   * are this module's, and nothing else in the client may register them.
   */
  onStatus(listener: (status: LocalServerStatus) => void): Disposable {
    return this.client.onNotification(localServerStatusNotification, listener);
  }

  onCaptured(listener: (message: CapturedMessageSummary) => void): Disposable {
    return this.client.onNotification(capturedMessageNotification, listener);
  }

  onCapturedSession(listener: (session: CapturedSessionSummary) => void): Disposable {
    return this.client.onNotification(capturedSessionNotification, listener);
  }

  /** Stopped, failed or restarting: a request now would fail with a message about connections, not about SMTP. */
  get available(): boolean {
    return this.client.isRunning();
  }

  private async execute<R>(command: string, params: object): Promise<R> {
    if (!this.client.isRunning()) throw new Error('The SMTP language server is not running (see the SMTP output for why); reload the window to restart it.');
    return executeServerCommand<R>(this.client, command, params);
  }
}
