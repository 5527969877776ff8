// How one captured message reads in the inbox: label, description, tooltip.
// Plain functions with no `vscode` import, so they are tested without an editor.
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { escapedCharacter, REORDERING_CHARACTERS } from '../visibleText';

/** Recipients a tooltip names before it says "and N more" (a transaction may hold hundreds). */
const TOOLTIP_RECIPIENTS = 20;
/** Subjects and addresses come from whoever sent the mail: keep a tree row one readable line. */
const MAX_LABEL_LENGTH = 200;

/** The subject as one line, or "(no subject)" when the message has none or it is blank. */
export function messageLabel(message: CapturedMessageSummary): string {
  const subject = oneLine(message.subject ?? '');
  return subject === '' ? '(no subject)' : subject;
}

/** `from → first recipient (+N)`; the null sender `<>` is written as such. */
export function messageDescription(message: CapturedMessageSummary): string {
  const [first, ...others] = message.to;
  const to = first === undefined ? '(no recipients)' : oneLine(first) + (others.length > 0 ? ` (+${others.length})` : '');
  return `${senderText(message.from)} → ${to}`;
}

/** Everything a person may want before opening it: all recipients, size, time, id and where it is saved. */
export function messageTooltip(message: CapturedMessageSummary, formatTime: (date: Date) => string = (date) => date.toLocaleString()): string {
  const shown = message.to.slice(0, TOOLTIP_RECIPIENTS).map(oneLine);
  const hidden = message.to.length - shown.length;
  const received = new Date(message.receivedAt);
  return [
    messageLabel(message),
    `From: ${senderText(message.from)}`,
    `To: ${shown.join(', ') || '(no recipients)'}${hidden > 0 ? ` and ${hidden} more` : ''}`,
    `Size: ${formatSize(message.size)}`,
    `Received: ${Number.isNaN(received.getTime()) ? message.receivedAt : formatTime(received)}`,
    `Id: ${message.id}`,
    message.path === null ? 'Kept in memory only (the local server has no folder).' : `Saved as ${message.path}`,
    ...(message.sentBy ? [`Sent by the run of ${message.sentBy.uri}, line ${message.sentBy.line}`] : []),
  ].join('\n');
}

/** Octets as people read them: "812 bytes", "4.2 KB", "3.1 MB" (1 KB = 1,024 bytes). */
export function formatSize(octets: number): string {
  if (octets < 1024) return `${octets} ${octets === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let value = octets / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A file name for the preview's tab: the subject without characters paths or tabs cannot show. */
export function previewFileName(message: Pick<CapturedMessageSummary, 'subject' | 'id'>): string {
  const subject = oneLine(message.subject ?? '').replace(/[\\/:*?"<>|#%]/g, '_').slice(0, 60).trim();
  return `${subject === '' ? message.id : subject}.txt`;
}

function senderText(from: string): string {
  return from === '' ? '<>' : oneLine(from);
}

/**
 * Runs of white space and control characters (a folded header's CRLF, a tab)
 * shown as one space; C1 controls and the bidirectional controls that could
 * reorder what a row shows written as `\u202e`; long text cut with "…".
 * Subjects, addresses and reply texts all come from whoever sent the mail.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim().replace(REORDERING_CHARACTERS, escapedCharacter);
  return flat.length > MAX_LABEL_LENGTH ? `${flat.slice(0, MAX_LABEL_LENGTH - 1)}…` : flat;
}
