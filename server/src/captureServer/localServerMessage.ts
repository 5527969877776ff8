// What the embedded local server says about a captured message: the .eml file
// name and the one-line summary (the subject is messageSubject.ts's).
import { escapeForDisplay } from '../engine/displayText';

const MAX_SUBJECT_SHOWN = 120;

/** `2026-11-23T09-30-00-123Z-3f9c2a71d0.eml`: sorts by arrival, safe on every file system. */
export function emlFileName(receivedAt: Date, id: string): string {
  return `${receivedAt.toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
}

export interface MessageSummary {
  id: string;
  from: string;
  to: string[];
  subject: string | null;
  size: number;
  path: string | null;
}

/**
 * `alice@example.com → bob@example.org (512 bytes) subject "Hello" saved as /tmp/mail/….eml`,
 * what the client sent escaped (C0, C1, bidirectional controls) so it cannot forge or reorder a log line.
 */
export function summaryLine(message: MessageSummary): string {
  const showable = escapeForDisplay;
  const from = message.from === '' ? '<>' : showable(message.from);
  const to = message.to.map(showable).join(', ');
  const subject = message.subject === null ? 'no subject' : `subject ${showable(JSON.stringify(shorten(message.subject)))}`;
  const where = message.path === null ? `kept in memory as ${message.id}` : `saved as ${message.path}`;
  return `${from} → ${to} (${message.size} ${message.size === 1 ? 'byte' : 'bytes'}) ${subject} ${where}`;
}

function shorten(text: string): string {
  return text.length > MAX_SUBJECT_SHOWN ? `${text.slice(0, MAX_SUBJECT_SHOWN - 1)}…` : text;
}

