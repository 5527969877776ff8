// The sessions of each open `.smtp` document, as the server announces them
// after every change it checks (smtp/documentSessions): the Test Explorer
// follows typing from these without asking the server again. The client
// declares it wants them (experimental.smtp.documentSessions,
// smtpClientCapabilities.ts); this is created before the client starts, so
// the announcements for documents already open are heard.
import { EventEmitter, workspace, type Disposable, type Event } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DocumentSessionsNotification } from '../../../server/src/contract/messages';
import { documentSessionsNotification } from '../protocol';

export class DocumentSessions implements Disposable {
  /** uri → the sessions of the newest version announced; forgotten when the document closes. */
  private readonly latest = new Map<string, DocumentSessionsNotification.Params>();
  private readonly changed = new EventEmitter<DocumentSessionsNotification.Params>();
  private readonly subscriptions: Disposable[] = [this.changed];

  /** Fires with each announcement, in order. */
  readonly onDidChange: Event<DocumentSessionsNotification.Params> = this.changed.event;

  constructor(client: LanguageClient) {
    this.subscriptions.push(
      client.onNotification(documentSessionsNotification, (params) => {
        const known = this.latest.get(params.uri);
        // A re-check of the same version (a settings change) may come again; an older one never replaces a newer one.
        if (known && known.version > params.version) return;
        this.latest.set(params.uri, params);
        this.changed.fire(params);
      }),
      workspace.onDidCloseTextDocument((document) => this.latest.delete(document.uri.toString())),
    );
  }

  /** The newest sessions the server announced for an open document, or undefined before its first announcement. */
  get(uri: string): DocumentSessionsNotification.Params | undefined {
    return this.latest.get(uri);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.latest.clear();
  }
}
