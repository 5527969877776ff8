// How one session reads in the inbox: label, description, tooltip. Plain
// functions with no `vscode` import, so they are tested without an editor.
// Everything here came from the application or the network (addresses, user
// names, reply texts): it goes through oneLine, so a control character cannot
// break a row or reorder its text.
import type { CapturedSessionSummary } from '../../../server/src/contract/messages';
import type { InboxSession } from './capturedSessionList';
import { oneLine } from './capturedMessageText';

/** A session with messages is named by them; one without says why it ended (that is where an application's bugs are). */
export function sessionLabel(row: InboxSession): string {
  const count = row.messages.length;
  if (count > 0) return `${count} ${count === 1 ? 'message' : 'messages'} from ${clientOf(row)}`;
  if (!row.summary) return `Session from ${clientOf(row)}`;
  return oneLine(row.summary.ending.text);
}

/** The client and start time of a session without messages; how a session with messages ended, or that it is still connected. */
export function sessionDescription(row: InboxSession, formatTime: (date: Date) => string = (date) => date.toLocaleTimeString()): string {
  if (!row.summary) return 'still connected';
  const started = new Date(row.summary.startedAt);
  const when = Number.isNaN(started.getTime()) ? row.summary.startedAt : formatTime(started);
  return row.messages.length > 0 ? `${oneLine(row.summary.ending.text)} · ${when}` : `${oneLine(row.summary.client)} · ${when}`;
}

/** A session ended badly when it delivered nothing and did not say QUIT: refused, closed, TLS failed, aborted. */
export function sessionFailed(row: InboxSession): boolean {
  return row.summary !== null && row.messages.length === 0 && row.summary.ending.kind !== 'quit';
}

/** Everything the inbox knows of the session: client, times, how it ended, TLS, AUTH (mechanism and user, never more), each phase's time. */
export function sessionTooltip(row: InboxSession, formatTime: (date: Date) => string = (date) => date.toLocaleString()): string {
  const session = row.summary;
  if (!session) return `Session ${row.id} from ${clientOf(row)}: still connected. Its transcript is written when it closes.`;
  const at = (iso: string) => (Number.isNaN(new Date(iso).getTime()) ? iso : formatTime(new Date(iso)));
  return [
    `Session from ${oneLine(session.client)}`,
    `Started: ${at(session.startedAt)}, ended: ${at(session.endedAt)}`,
    `Ended: ${oneLine(session.ending.text)}`,
    `TLS: ${session.tls ? `${oneLine(session.tls.protocol)}, ${oneLine(session.tls.cipher)}` : 'none (plain text)'}`,
    `AUTH: ${authText(session)}`,
    `Timing: ${timingText(session)}`,
    ...(session.folderFull ? ['A message was refused: the capture folder is full (smtp.localServer.folder).'] : []),
    session.transcriptPath === null ? 'Transcript kept in memory only (the local server has no folder).' : `Transcript: ${session.transcriptPath}`,
  ].join('\n');
}

function authText(session: CapturedSessionSummary): string {
  if (!session.auth) return 'none';
  return `${oneLine(session.auth.mechanism)} as "${oneLine(session.auth.username)}"${session.auth.accepted ? '' : ' (refused)'}`;
}

/** `connect 1 ms · EHLO 2 ms · RCPT ×2 3 ms · message 12 ms`. */
export function timingText(session: CapturedSessionSummary): string {
  if (session.phases.length === 0) return '(no phase finished)';
  return session.phases.map((phase) => `${oneLine(phase.name)}${phase.count > 1 ? ` ×${phase.count}` : ''} ${Math.round(phase.ms)} ms`).join(' · ');
}

function clientOf(row: InboxSession): string {
  return row.summary ? oneLine(row.summary.client) : 'an application';
}
