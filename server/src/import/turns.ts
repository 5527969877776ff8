/**
 * What every reader of a foreign transcript produces: the dialogue as a list
 * of turns, each tied to its line in the source. The writer (writeTranscript)
 * turns them into `.smtp` text; readers only say who said what.
 */
export type Turn =
  /** A line the client sent: a command, a SASL response or a line of message content. */
  | { kind: 'client'; text: string; line: number }
  /** A reply line the server sent, code included (`250-PIPELINING`). */
  | { kind: 'server'; text: string; line: number }
  /** Anything else worth keeping: it becomes a `#` comment. */
  | { kind: 'note'; text: string; line: number }
  /** The source did not show the message content here (swaks --suppress-data, sendmail -v, "(message goes here)"). */
  | { kind: 'elided-body'; text: string; line: number }
  /** The source moves on to another dialogue (the next example of an RFC): a new `###` session. */
  | { kind: 'break'; line: number }
  /** Where the session connected, when the source says: it becomes `@server` (and `@tls = implicit`). */
  | { kind: 'connection'; host: string; port: number | null; implicitTls: boolean; line: number };

/** A reply line: three digits, then a space, a hyphen or nothing (RFC 5321 §4.2). */
export const REPLY_LINE = /^[2-5][0-9]{2}(?:[ -]|$)/;

/** Splits text into lines on LF or CRLF, as the .smtp parser does. */
export function sourceLines(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * `host:port`, `[v6]:port`, `host port` or `host` as tools print them; the
 * port is null when the text gives none.
 */
export function readHostAndPort(text: string): { host: string; port: number | null } | null {
  const cleaned = text.trim().replace(/[.…]+$/, '');
  const match = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(cleaned) ?? /^([^\s:[\]]+)(?::(\d{1,5}))?$/.exec(cleaned) ?? /^(\S+)\s+(?:port\s+)?(\d{1,5})$/.exec(cleaned);
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port: port !== null && port > 0 && port < 65536 ? port : null };
}
