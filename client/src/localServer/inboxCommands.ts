// The inbox's commands: preview a message, open its .eml file, refresh, clear.
// From the view they get the message; from the palette they ask which one.
import { commands, FileType, Uri, window, workspace, type ExtensionContext } from 'vscode';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { messageDescription, messageLabel } from './capturedMessageText';
import { PREVIEW_MESSAGE, type InboxView } from './inboxView';
import type { MessagePreviewProvider } from './messagePreview';

export const OPEN_MESSAGE = 'smtp.inbox.openMessage';
export const CLEAR_INBOX = 'smtp.inbox.clear';
export const REFRESH_INBOX = 'smtp.inbox.refresh';

export function registerInboxCommands(context: ExtensionContext, inbox: InboxView, previews: MessagePreviewProvider): void {
  const preview = async (argument?: unknown): Promise<void> => {
    const message = await messageFrom(argument, inbox, 'Preview which captured message?');
    if (!message) return;
    try {
      await previews.load(message.id);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const openFile = 'Open .eml File';
      const answer = await window.showErrorMessage(
        `The preview of "${messageLabel(message)}" is not available: ${reason}`,
        ...(message.path === null ? [] : [openFile]),
      );
      if (answer === openFile) await openEml(message);
      return;
    }
    const document = await workspace.openTextDocument(previews.uriFor(message));
    await window.showTextDocument(document, { preview: true });
  };

  const open = async (argument?: unknown): Promise<void> => {
    const message = await messageFrom(argument, inbox, 'Open the .eml file of which captured message?');
    if (message) await openEml(message);
  };

  context.subscriptions.push(
    commands.registerCommand(PREVIEW_MESSAGE, preview),
    commands.registerCommand(OPEN_MESSAGE, open),
    commands.registerCommand(REFRESH_INBOX, () => inbox.refresh()),
    commands.registerCommand(CLEAR_INBOX, () => inbox.clear()),
  );
}

async function openEml(message: CapturedMessageSummary): Promise<void> {
  if (message.path === null) {
    void window.showWarningMessage(`"${messageLabel(message)}" was kept in memory only: the local server had no folder to save it in. Use Preview Message, or set smtp.localServer.folder and restart the local server.`);
    return;
  }
  const file = Uri.file(message.path);
  try {
    const stat = await workspace.fs.stat(file);
    if (stat.type & FileType.Directory) throw new Error('it is a folder');
  } catch {
    void window.showErrorMessage(`The file ${message.path} no longer exists (deleted or moved), so "${messageLabel(message)}" cannot be opened. Clear the inbox to remove it from the list.`);
    return;
  }
  await commands.executeCommand('vscode.open', file);
}

/** The message the view passed, or one the person picks (newest first). */
async function messageFrom(argument: unknown, inbox: InboxView, title: string): Promise<CapturedMessageSummary | undefined> {
  if (isSummary(argument)) return argument;
  if (inbox.list.size === 0) await inbox.refresh();
  if (inbox.list.size === 0) {
    void window.showInformationMessage('The SMTP inbox is empty: run a session without @server, or send mail to the local server.');
    return undefined;
  }
  const picked = await window.showQuickPick(
    inbox.list.items.map((message) => ({ label: messageLabel(message), description: messageDescription(message), message })),
    { title, matchOnDescription: true },
  );
  return picked?.message;
}

function isSummary(value: unknown): value is CapturedMessageSummary {
  const candidate = value as Partial<CapturedMessageSummary> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.id === 'string' && Array.isArray(candidate.to);
}
