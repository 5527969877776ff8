import type { CommandPath, CommandStep, EsmtpParameter, Token } from './ast';
import { indexOfSpace, isAsciiLetter, skipSpaces, token } from './lines';

/** The parts of a command line that the parser reads from its text. */
export type ParsedCommandLine = Pick<CommandStep, 'verb' | 'verbName' | 'argument' | 'words' | 'path' | 'parameters'>;

// Verbs whose argument is `KEYWORD:path [parameters]` (RFC 5321 §4.1.1.2, §4.1.1.3).
const PATH_VERBS = new Set(['MAIL', 'RCPT']);

/** Splits what a `C:` line sends (`text`, starting at column `start`) into its parts. */
export function parseCommandLine(text: string, line: number, start: number): ParsedCommandLine {
  const verb = commandVerb(text, line, start);
  const verbName = verb.text.toUpperCase();
  const { path, parameters } = commandPath(text, verbName, line, start);
  return { verb, verbName, argument: commandArgument(text, line, start), words: commandWords(text, line, start), path, parameters };
}

// The parts one at a time, for a tree that reads each only when a feature or a rule asks (sourceSteps.ts).

/** The first word, as written. */
export function commandVerb(text: string, line: number, start: number): Token {
  return token(text.slice(0, indexOfSpace(text, 0)), line, start);
}

/** The upper-cased word at `start` of `line`: one slice, and no upper-cased copy when it is written in capitals (most are). */
export function verbNameAt(line: string, start: number): string {
  const end = indexOfSpace(line, start);
  const verb = line.slice(start, end);
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x41 || code > 0x5a) return verb.toUpperCase();
  }
  return verb;
}

/** Where the argument starts: after the verb and the spaces that follow it (`text.length` when there is none). */
export function argumentStart(text: string): number {
  return skipSpaces(text, indexOfSpace(text, 0));
}

export function commandArgument(text: string, line: number, start: number): Token | null {
  const from = argumentStart(text);
  return from < text.length ? token(text.slice(from), line, start + from) : null;
}

export function commandWords(text: string, line: number, start: number): Token[] {
  return splitWords(text, argumentStart(text), line, start);
}

/** MAIL and RCPT: the path and the parameters after it; none for other verbs. */
export function commandPath(text: string, verbName: string, line: number, start: number): { path: CommandPath | null; parameters: EsmtpParameter[] } {
  const from = argumentStart(text);
  if (from >= text.length || !PATH_VERBS.has(verbName)) return { path: null, parameters: [] };
  return parsePathArgument(text, from, line, start);
}

/** Where the parts of a MAIL or RCPT argument lie in the sent text (scanPathArgument). */
export interface PathLayout {
  /** The keyword (`FROM:`, `TO:`, as written) starts at the argument and ends after its colon. */
  keywordStart: number;
  keywordEnd: number;
  /** The address, after the spaces that may follow the keyword; both `text.length` when nothing follows. */
  addressStart: number;
  /** After the closing `>` (or the address's last character); the parameters are the words after it. */
  addressEnd: number;
}

/**
 * Reads `KEYWORD:path` at `from` (the argument's start) into `into`, by char
 * codes: letters and a colon, the spaces after it, then the address up to
 * the `>` that closes it, or up to a space when it does not start with `<`.
 * False when no keyword starts there. The tree's tokens (commandPath) and
 * the analysis's offsets both come from here.
 */
export function scanPathArgument(text: string, from: number, into: PathLayout): boolean {
  let end = from;
  while (end < text.length && isAsciiLetter(text.charCodeAt(end))) end++;
  if (end === from || text.charCodeAt(end) !== 58 /* : */) return false;
  into.keywordStart = from;
  into.keywordEnd = end + 1;
  // Many clients write `MAIL FROM: <a@b>`; the space is a syntax error the analyzer reports, not a reason to lose the path.
  const addressStart = skipSpaces(text, end + 1);
  into.addressStart = addressStart;
  into.addressEnd = addressStart >= text.length ? addressStart : text.charCodeAt(addressStart) === 60 /* < */ ? endOfAngleAddress(text, addressStart) : indexOfSpace(text, addressStart);
  return true;
}

function parsePathArgument(text: string, from: number, line: number, start: number): { path: CommandPath | null; parameters: EsmtpParameter[] } {
  const layout: PathLayout = { keywordStart: 0, keywordEnd: 0, addressStart: 0, addressEnd: 0 };
  if (!scanPathArgument(text, from, layout)) return { path: null, parameters: [] };
  const keyword = token(text.slice(layout.keywordStart, layout.keywordEnd), line, start + layout.keywordStart);
  if (layout.addressStart >= text.length) return { path: { keyword, address: null }, parameters: [] };
  const address = token(text.slice(layout.addressStart, layout.addressEnd), line, start + layout.addressStart);
  const parameters = splitWords(text, layout.addressEnd, line, start).map(toParameter);
  return { path: { keyword, address }, parameters };
}

/** The index after the `>` that closes a path, skipping quoted local-parts (`<"a>b"@x>`). */
function endOfAngleAddress(text: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i];
    if (quoted && char === '\\') i++;
    else if (char === '"') quoted = !quoted;
    else if (char === '>' && !quoted) return i + 1;
  }
  return indexOfSpace(text, open);
}

function toParameter(word: Token): EsmtpParameter {
  const equals = word.text.indexOf('=');
  const line = word.range.start.line;
  const column = word.range.start.character;
  if (equals === -1) return { range: word.range, name: word, value: null };
  return {
    range: word.range,
    name: token(word.text.slice(0, equals), line, column),
    value: token(word.text.slice(equals + 1), line, column + equals + 1),
  };
}

function splitWords(text: string, from: number, line: number, start: number): Token[] {
  const words: Token[] = [];
  let position = skipSpaces(text, from);
  while (position < text.length) {
    const end = indexOfSpace(text, position);
    // A token builds its Range when asked (lines.ts): two words on most MAIL and RCPT lines.
    words.push(token(text.slice(position, end), line, start + position));
    position = skipSpaces(text, end);
  }
  return words;
}
