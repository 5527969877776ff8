import { arrowsScore, readArrows } from './readArrows';
import { readRfcExample, rfcScore } from './readRfcExample';
import { readSwaks, swaksScore } from './readSwaks';
import { readTerminal, terminalScore } from './readTerminal';
import type { Turn } from './turns';

export type SourceFormatName = 'swaks' | 'arrows' | 'telnet' | 'rfc';

/** One kind of transcript `smtp-session import` reads: its name for --from, what it is, how to spot it and read it. */
export interface SourceFormat {
  name: SourceFormatName;
  /** For messages and the header comment: "swaks output". */
  description: string;
  /** What a user recognises the format by, for the error when nothing is recognised. */
  looksLike: string;
  /** Lines that carry the format's markers. */
  score: (lines: readonly string[]) => number;
  read: (lines: readonly string[]) => Turn[];
}

/**
 * In the order `auto` tries them: the most specific markers first, so a
 * swaks transcript (whose replies are also bare codes after "<-") is never
 * taken for a telnet session, and a sendmail -v log (bare replies, ">>>"
 * commands) is never taken for one either.
 */
export const SOURCE_FORMATS: readonly SourceFormat[] = [
  { name: 'swaks', description: 'swaks output', looksLike: 'swaks output (" -> EHLO …", "<-  250 …")', score: swaksScore, read: readSwaks },
  { name: 'arrows', description: 'a >>>/<<< verbose log', looksLike: 'a verbose log with ">>> " before what the client sent (sendmail -v, mailx -v, RFC 3461)', score: arrowsScore, read: readArrows },
  { name: 'rfc', description: 'an RFC-style transcript', looksLike: 'RFC-style "C:"/"S:" or "S:"/"R:" lines', score: rfcScore, read: readRfcExample },
  { name: 'telnet', description: 'a telnet, nc or openssl s_client session', looksLike: 'a telnet, nc or openssl s_client session (bare replies such as "250 OK" between the typed commands)', score: terminalScore, read: readTerminal },
];

// Two marked lines at least: one stray "<- " or "250 " in a text is not a transcript.
const MINIMUM_EVIDENCE = 2;

export function findSourceFormat(name: string): SourceFormat | null {
  return SOURCE_FORMATS.find((format) => format.name === name) ?? null;
}

/** The format `auto` picks for these lines, or null when none has enough evidence. */
export function detectSourceFormat(lines: readonly string[]): SourceFormat | null {
  return SOURCE_FORMATS.find((format) => format.score(lines) >= MINIMUM_EVIDENCE) ?? null;
}
