// What the embedded local server says about a captured message: its subject,
// the .eml file name and the one-line summary.
import { escapeForDisplay } from '../engine/displayText';

const MAX_SUBJECT_SHOWN = 120;

/**
 * The Subject header of a message (unfolded, RFC 2047 encoded words decoded),
 * or null when it has none. Only the header section is read.
 */
export function subjectOf(raw: Buffer): string | null {
  const headerEnd = findHeaderEnd(raw);
  const header = raw.subarray(0, headerEnd).toString('utf8');
  const unfolded = header.replace(/\r?\n(?=[ \t])/g, '');
  const match = /^subject:[ \t]*(.*?)[ \t]*\r?$/im.exec(unfolded);
  return match ? decodeEncodedWords(match[1]) : null;
}

export function findHeaderEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((index) => index !== -1);
  return ends.length > 0 ? Math.min(...ends) : raw.length;
}

/** `=?utf-8?B?…?=` and `=?utf-8?Q?…?=` (RFC 2047 §4) for the charsets node can decode. */
export function decodeEncodedWords(text: string): string {
  // Whitespace between two adjacent encoded words is not part of the text (RFC 2047 §6.2).
  const joined = text.replace(/(\?=)[ \t]+(?==\?[^?\s]+\?[bBqQ]\?)/g, '$1');
  return joined.replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (word, charset: string, encoding: string, data: string) => {
    const name = charset.toLowerCase().replace(/\*.*$/, '');
    const nodeEncoding = name === 'utf-8' || name === 'utf8' ? 'utf8' : name === 'iso-8859-1' || name === 'latin1' || name === 'us-ascii' ? 'latin1' : null;
    if (!nodeEncoding) return word;
    const bytes = encoding.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    return bytes.toString(nodeEncoding);
  });
}

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

