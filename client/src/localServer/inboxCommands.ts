// The inbox's commands: preview a message, open its .eml file, its session's
// transcript or the run that sent it, open the message a run's inline result
// names, refresh, clear. From the view they get the item; from the palette
// they ask which one.
import { commands, FileType, Position, Range, Uri, window, workspace, type ExtensionContext } from 'vscode';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { OPEN_CAPTURED_MESSAGE } from '../runs/resultText';
import { messageDescription, messageLabel } from './capturedMessageText';
import type { InboxSession } from './capturedSessionList';
import { sessionDescription, sessionLabel } from './capturedSessionText';
import { PREVIEW_MESSAGE, type InboxView } from './inboxView';
import type { LocalServerRequests } from './localServerRequests';
import type { MessagePreviewProvider } from './messagePreview';

export const OPEN_MESSAGE = 'smtp.inbox.openMessage';
export const OPEN_SESSION_TRANSCRIPT = 'smtp.inbox.openSessionTranscript';
export const OPEN_RUN_TRANSCRIPT = 'smtp.inbox.openRunTranscript';
export const CLEAR_INBOX = 'smtp.inbox.clear';
export const REFRESH_INBOX = 'smtp.inbox.refresh';

export function registerInboxCommands(context: ExtensionContext, inbox: InboxView, previews: MessagePreviewProvider, requests: LocalServerRequests): void {
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

  const openTranscript = async (argument?: unknown): Promise<void> => {
    const session = await sessionFrom(argument, inbox);
    if (session) await openSessionTranscript(session, requests);
  };

  const openRun = async (argument?: unknown): Promise<void> => {
    const message = await messageFrom(argument, inbox, 'Open the run that sent which captured message?');
    if (!message) return;
    if (!message.sentBy) {
      void window.showInformationMessage(`"${messageLabel(message)}" did not come from a run of this window (an application or another tool sent it), so there is no run to open; Open Session Transcript shows what it sent.`);
      return;
    }
    const line = Math.max(0, message.sentBy.line - 1);
    await window.showTextDocument(Uri.parse(message.sentBy.uri), { selection: new Range(new Position(line, 0), new Position(line, 0)) });
  };

  /** From the hover of a run's message end: the message by its queue id. */
  const openCaptured = async (id?: unknown): Promise<void> => {
    if (typeof id !== 'string') return preview();
    if (!inbox.list.find(id)) await inbox.refresh();
    const message = inbox.list.find(id);
    if (!message) {
      void window.showWarningMessage(`The local server no longer holds message ${id} (it stopped, or kept only the last 200); its .eml file, if it had a folder, is still there.`);
      return;
    }
    await preview(message);
  };

  context.subscriptions.push(
    commands.registerCommand(PREVIEW_MESSAGE, preview),
    commands.registerCommand(OPEN_MESSAGE, open),
    commands.registerCommand(OPEN_SESSION_TRANSCRIPT, openTranscript),
    commands.registerCommand(OPEN_RUN_TRANSCRIPT, openRun),
    commands.registerCommand(OPEN_CAPTURED_MESSAGE, openCaptured),
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

/** The session's `.smtp`: its file when the server has a folder, else the text the server keeps, as a new document. */
async function openSessionTranscript(session: InboxSession, requests: LocalServerRequests): Promise<void> {
  if (!session.summary) {
    void window.showInformationMessage(`The session from ${sessionLabel(session)} is still connected: its transcript is written when the connection closes.`);
    return;
  }
  const path = session.summary.transcriptPath;
  if (path !== null) {
    try {
      await workspace.fs.stat(Uri.file(path));
      await window.showTextDocument(Uri.file(path), { preview: true });
      return;
    } catch {
      // Deleted or moved: the server may still hold it.
    }
  }
  try {
    const { text } = await requests.sessionTranscript(session.id);
    await window.showTextDocument(await workspace.openTextDocument({ language: 'smtp', content: text }), { preview: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void window.showErrorMessage(`The transcript of the session "${sessionLabel(session)}" cannot be opened: ${reason}`);
  }
}

/** The session the view passed (or a message's session), or one the person picks (newest first). */
async function sessionFrom(argument: unknown, inbox: InboxView): Promise<InboxSession | undefined> {
  const item = argument as { kind?: unknown; session?: InboxSession; message?: CapturedMessageSummary } | null;
  if (item?.kind === 'session' && item.session) return item.session;
  const message = item?.kind === 'message' ? item.message : isSummary(argument) ? argument : undefined;
  if (inbox.sessions.size === 0 && inbox.list.size === 0) await inbox.refresh();
  const rows = inbox.sessions.rows(inbox.list.items);
  if (message) return rows.find((row) => row.id === message.sessionId);
  if (rows.length === 0) {
    void window.showInformationMessage('The SMTP inbox has no session yet: run a session without @server, or send mail to the local server.');
    return undefined;
  }
  const picked = await window.showQuickPick(
    rows.map((row) => ({ label: sessionLabel(row), description: sessionDescription(row), row })),
    { title: 'Open the transcript of which session?', matchOnDescription: true },
  );
  return picked?.row;
}

/** The message the view passed, or one the person picks (newest first). */
async function messageFrom(argument: unknown, inbox: InboxView, title: string): Promise<CapturedMessageSummary | undefined> {
  const item = argument as { kind?: unknown; message?: unknown } | null;
  if (item?.kind === 'message' && isSummary(item.message)) return item.message;
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
