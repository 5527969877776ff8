// The "SMTP Inbox" view: the sessions the local server served, newest first,
// each with the messages it delivered; a session that delivered nothing says
// why it ended. Fed by smtp/capturedMessage and smtp/capturedSession as they
// arrive; filled from smtp.lsp.listCapturedMessages when first shown (for
// what arrived before).
import { EventEmitter, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState, window, type Disposable, type LogOutputChannel, type TreeDataProvider, type TreeView } from 'vscode';
import type { CapturedMessageSummary, CapturedSessionSummary } from '../../../server/src/contract/messages';
import { CapturedMessageList } from './capturedMessageList';
import { messageDescription, messageLabel, messageTooltip } from './capturedMessageText';
import { CapturedSessionList, type InboxSession } from './capturedSessionList';
import { sessionDescription, sessionFailed, sessionLabel, sessionTooltip } from './capturedSessionText';
import type { LocalServerRequests } from './localServerRequests';

export const PREVIEW_MESSAGE = 'smtp.inbox.previewMessage';
/**
 * contextValue of the view's items, which package.json's item menus test:
 * `smtpMessage.saved` (its .eml file exists) or `smtpMessage.memory`, with
 * `.fromRun` when a run of this window sent it; `smtpSession.closed` or
 * `smtpSession.open` (its transcript is not written yet).
 */
const contextOfMessage = (message: CapturedMessageSummary) => `smtpMessage.${message.path === null ? 'memory' : 'saved'}${message.sentBy ? '.fromRun' : ''}`;

export type InboxItem = { kind: 'session'; session: InboxSession } | { kind: 'message'; message: CapturedMessageSummary };

export class InboxView implements TreeDataProvider<InboxItem>, Disposable {
  readonly list = new CapturedMessageList();
  readonly sessions = new CapturedSessionList();
  private readonly changed = new EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: TreeView<InboxItem> | null = null;
  private loaded = false;
  /** Arrived while the view was hidden; shown as the view's badge until it is seen. */
  private unseen = 0;

  constructor(private readonly requests: LocalServerRequests, private readonly log: LogOutputChannel) {}

  attach(view: TreeView<InboxItem>): Disposable {
    this.view = view;
    return view.onDidChangeVisibility(({ visible }) => {
      if (visible) this.setUnseen(0);
    });
  }

  /** A message from smtp/capturedMessage (again, when a run's line is added to it). */
  add(message: CapturedMessageSummary): void {
    const known = this.list.find(message.id) !== undefined;
    if (!this.list.add(message)) return;
    if (!known && this.view && !this.view.visible) this.setUnseen(this.unseen + 1);
    this.changed.fire();
  }

  /** A session from smtp/capturedSession. */
  addSession(session: CapturedSessionSummary): void {
    if (this.sessions.add(session)) this.changed.fire();
    this.showFolderFull();
  }

  /** Asks the server for every message and session it holds and merges them in. */
  async refresh(): Promise<void> {
    this.loaded = true;
    if (!this.requests.available) return;
    try {
      const { messages, sessions } = await this.requests.list();
      const changed = this.list.add(...messages);
      // A server older than the session list sends none.
      if (this.sessions.add(...(sessions ?? [])) || changed) this.changed.fire();
      this.showFolderFull();
    } catch (error) {
      this.log.warn(`The inbox could not list the captured messages: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Empties the view only: the files and the server's copies stay. */
  clear(): void {
    this.list.clear();
    this.sessions.clear();
    this.setUnseen(0);
    this.showFolderFull();
    this.changed.fire();
  }

  async getChildren(element?: InboxItem): Promise<InboxItem[]> {
    if (element?.kind === 'message') return [];
    if (element?.kind === 'session') return element.session.messages.map((message) => ({ kind: 'message', message }));
    if (!this.loaded) await this.refresh();
    return this.sessions.rows(this.list.items).map((session) => ({ kind: 'session', session }));
  }

  getTreeItem(element: InboxItem): TreeItem {
    return element.kind === 'message' ? messageItem(element.message) : sessionItem(element.session);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** The view's message line says so when the newest sessions found the capture folder full. */
  private showFolderFull(): void {
    if (!this.view) return;
    const newest = this.sessions.rows([]).find((row) => row.summary !== null);
    this.view.message = newest?.summary?.folderFull
      ? 'The capture folder is full: the local server refuses new messages (452). Delete .eml files from smtp.localServer.folder, then send again.'
      : undefined;
  }

  private setUnseen(count: number): void {
    this.unseen = count;
    if (this.view) this.view.badge = count === 0 ? undefined : { value: count, tooltip: `${count} new captured ${count === 1 ? 'message' : 'messages'}` };
  }
}

function messageItem(message: CapturedMessageSummary): TreeItem {
  const item = new TreeItem(messageLabel(message), TreeItemCollapsibleState.None);
  item.id = `message:${message.id}`;
  item.description = messageDescription(message);
  item.tooltip = messageTooltip(message);
  item.iconPath = new ThemeIcon('mail');
  item.contextValue = contextOfMessage(message);
  item.command = { command: PREVIEW_MESSAGE, title: 'Preview Message', arguments: [message] };
  return item;
}

function sessionItem(session: InboxSession): TreeItem {
  const hasMessages = session.messages.length > 0;
  const item = new TreeItem(sessionLabel(session), hasMessages ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.None);
  item.id = `session:${session.id}`;
  item.description = sessionDescription(session);
  item.tooltip = sessionTooltip(session);
  item.iconPath = sessionFailed(session) ? new ThemeIcon('warning', new ThemeColor('problemsWarningIcon.foreground')) : new ThemeIcon(session.summary ? 'plug' : 'sync');
  item.contextValue = session.summary ? 'smtpSession.closed' : 'smtpSession.open';
  return item;
}

export function createInboxTreeView(inbox: InboxView): TreeView<InboxItem> {
  return window.createTreeView('smtp.inbox', { treeDataProvider: inbox, showCollapseAll: false });
}
