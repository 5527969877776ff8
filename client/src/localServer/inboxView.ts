// The "SMTP Inbox" view: the messages the local server captured, newest first.
// Fed by smtp/capturedMessage as they arrive; filled from
// smtp.lsp.listCapturedMessages when first shown (for what arrived before).
import { EventEmitter, ThemeIcon, TreeItem, TreeItemCollapsibleState, window, type Disposable, type LogOutputChannel, type TreeDataProvider, type TreeView } from 'vscode';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { CapturedMessageList } from './capturedMessageList';
import { messageDescription, messageLabel, messageTooltip } from './capturedMessageText';
import type { LocalServerRequests } from './localServerRequests';

export const PREVIEW_MESSAGE = 'smtp.inbox.previewMessage';
/** contextValue of items whose .eml file exists on disk (package.json's item menus test it). */
const SAVED_MESSAGE = 'smtpMessage.saved';
const MEMORY_MESSAGE = 'smtpMessage.memory';

export class InboxView implements TreeDataProvider<CapturedMessageSummary>, Disposable {
  readonly list = new CapturedMessageList();
  private readonly changed = new EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: TreeView<CapturedMessageSummary> | null = null;
  private loaded = false;
  /** Arrived while the view was hidden; shown as the view's badge until it is seen. */
  private unseen = 0;

  constructor(private readonly requests: LocalServerRequests, private readonly log: LogOutputChannel) {}

  attach(view: TreeView<CapturedMessageSummary>): Disposable {
    this.view = view;
    return view.onDidChangeVisibility(({ visible }) => {
      if (visible) this.setUnseen(0);
    });
  }

  /** A message from smtp/capturedMessage. */
  add(message: CapturedMessageSummary): void {
    if (!this.list.add(message)) return;
    if (this.view && !this.view.visible) this.setUnseen(this.unseen + 1);
    this.changed.fire();
  }

  /** Asks the server for every message it holds and merges them in. */
  async refresh(): Promise<void> {
    this.loaded = true;
    if (!this.requests.available) return;
    try {
      const { messages } = await this.requests.list();
      if (this.list.add(...messages)) this.changed.fire();
    } catch (error) {
      this.log.warn(`The inbox could not list the captured messages: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Empties the view only: the files and the server's copies stay. */
  clear(): void {
    this.list.clear();
    this.setUnseen(0);
    this.changed.fire();
  }

  async getChildren(element?: CapturedMessageSummary): Promise<CapturedMessageSummary[]> {
    if (element) return [];
    if (!this.loaded) await this.refresh();
    return [...this.list.items];
  }

  getTreeItem(message: CapturedMessageSummary): TreeItem {
    const item = new TreeItem(messageLabel(message), TreeItemCollapsibleState.None);
    item.id = message.id;
    item.description = messageDescription(message);
    item.tooltip = messageTooltip(message);
    item.iconPath = new ThemeIcon('mail');
    item.contextValue = message.path === null ? MEMORY_MESSAGE : SAVED_MESSAGE;
    item.command = { command: PREVIEW_MESSAGE, title: 'Preview Message', arguments: [message] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private setUnseen(count: number): void {
    this.unseen = count;
    if (this.view) this.view.badge = count === 0 ? undefined : { value: count, tooltip: `${count} new captured ${count === 1 ? 'message' : 'messages'}` };
  }
}

export function createInboxTreeView(inbox: InboxView): TreeView<CapturedMessageSummary> {
  return window.createTreeView('smtp.inbox', { treeDataProvider: inbox, showCollapseAll: false });
}
