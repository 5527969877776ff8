// Everything the extension shows of the embedded local server: its commands,
// status bar item, the "SMTP Inbox" view with its previews, and the
// walkthrough's example command. Called once, after the language client started.
import { commands, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { registerOpenExampleCommand } from '../walkthrough/openExampleCommand';
import { registerInboxCommands } from './inboxCommands';
import { createInboxTreeView, InboxView } from './inboxView';
import { registerLocalServerCommands } from './localServerCommands';
import { LocalServerRequests } from './localServerRequests';
import { LocalServerStatusStore } from './localServerStatus';
import { createLocalServerStatusItem } from './localServerStatusItem';
import { MessagePreviewProvider, PREVIEW_SCHEME } from './messagePreview';

/** Shows the inbox view in the Explorer (package.json's `when`): set once the extension is active. */
const INBOX_AVAILABLE_CONTEXT_KEY = 'smtp.inbox.available';

export function registerLocalServerUi(context: ExtensionContext, client: LanguageClient, outputChannel: LogOutputChannel): void {
  const requests = new LocalServerRequests(client);
  const store = new LocalServerStatusStore();
  const inbox = new InboxView(requests, outputChannel);
  const treeView = createInboxTreeView(inbox);
  const previews = new MessagePreviewProvider(requests);

  context.subscriptions.push(
    store,
    inbox,
    treeView,
    inbox.attach(treeView),
    workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    createLocalServerStatusItem(store),
    requests.onStatus((status) => store.update(status)),
    requests.onCaptured((message) => inbox.add(message)),
    requests.onCapturedSession((session) => inbox.addSession(session)),
    // A language server that stopped, crashed or is restarting took its local server with it.
    client.onDidChangeState(({ newState }) => {
      if (newState !== State.Running && store.status.running) store.update({ running: false });
    }),
  );
  registerLocalServerCommands(context, requests, store, outputChannel);
  registerInboxCommands(context, inbox, previews, requests);
  registerOpenExampleCommand(context);
  store.update(store.status); // sets the context key the menus read
  void commands.executeCommand('setContext', INBOX_AVAILABLE_CONTEXT_KEY, true);
}
