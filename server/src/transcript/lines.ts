import type { Prefix, Range, Token } from './ast';

/**
 * Splits a file into lines on LF or CRLF. A CR that is not followed by LF stays
 * in its line: it is not a line ending in the format, and the parser reports it
 * as a bare line ending because it is what SMTP smuggling is made of.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/**
 * Where each line starts in the text, and one past the end as the last entry.
 * Lines end on LF (a CR before it is cut from the line, as splitLines does).
 * The tree keeps the text and these offsets, not a string per line.
 */
export function lineStarts(text: string): Int32Array {
  // One pass, into room for a line per 16 characters, doubled when a file's lines are shorter.
  let starts = new Int32Array((text.length >> 4) + 2);
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (count + 1 >= starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = at + 1;
  }
  starts[count] = text.length + 1;
  return starts.subarray(0, count + 1);
}

export function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/**
 * A token keeps its place as three numbers and builds its Range only when asked:
 * a 10,000-line file holds some 100,000 tokens and is re-parsed on every
 * keystroke, and four objects per token made the tree cost more than the parse.
 */
class SourceToken implements Token {
  constructor(readonly text: string, readonly line: number, readonly character: number) {}

  get range(): Range {
    return range(this.line, this.character, this.character + this.text.length);
  }
}

export function token(text: string, line: number, start: number): Token {
  return new SourceToken(text, line, start);
}

export interface PrefixMatch {
  prefix: Prefix;
  /** Column of the prefix (after indentation). */
  start: number;
  /** Characters of the prefix, its colon included. */
  length: number;
  /** Column where the content starts: after the prefix and its one optional space. */
  contentStart: number;
}

/**
 * Where a prefix lies, written into an object the caller keeps: the parser
 * reads every line's prefix into one, so reading a line allocates nothing.
 */
export interface PrefixLayout {
  side: Prefix['side'];
  /** Column of the prefix (after indentation). */
  start: number;
  /** Characters of the prefix, its colon included. */
  length: number;
  /** Column where the content starts: after the prefix and its one optional space. */
  contentStart: number;
}

export function emptyPrefixLayout(): PrefixLayout {
  return { side: 'client', start: 0, length: 0, contentStart: 0 };
}

/** A prefix at the start of a line, after optional indentation: `C:`/`S:` or `Client:`/`Server:`, in any case. */
export function matchPrefix(line: string, lineNumber: number): PrefixMatch | null {
  const layout = emptyPrefixLayout();
  return readPrefix(line, layout) ? prefixMatch(layout, lineNumber) : null;
}

/** matchPrefix without the allocation: fills `into` and says whether there is a prefix. */
export function readPrefix(line: string, into: PrefixLayout): boolean {
  const indent = skipSpaces(line, 0);
  const length = prefixWordLength(line, indent, true);
  if (length === 0) return false;
  layoutAt(indent, length, line, into);
  return true;
}

/**
 * Inside a body indentation is content, so a client prefix counts only in the
 * first column or at the column where the DATA line's own prefix stood
 * (`indent`: the depth of a transcript pasted indented, as RFC examples are).
 * A `C: .` ends the body at any indentation: "." alone is never message text.
 */
export function matchBodyPrefix(line: string, lineNumber: number, indent = 0): PrefixMatch | null {
  const layout = emptyPrefixLayout();
  return readBodyPrefix(line, indent, layout) ? prefixMatch(layout, lineNumber) : null;
}

/** matchBodyPrefix without the allocation: fills `into` and says whether there is a prefix. */
export function readBodyPrefix(line: string, indent: number, into: PrefixLayout): boolean {
  const first = skipSpaces(line, 0);
  const at = first === indent ? indent : 0;
  const length = prefixWordLength(line, at, false);
  if (length > 0) {
    layoutAt(at, length, line, into);
    return true;
  }
  if (first === 0 || first === line.length) return false;
  const indented = prefixWordLength(line, first, false);
  if (indented === 0) return false;
  layoutAt(first, indented, line, into);
  return line.length === into.contentStart + 1 && line.charCodeAt(into.contentStart) === 46 /* . */;
}

// Hand-written rather than a regular expression: it runs on every line of every keystroke's re-parse.
function prefixWordLength(line: string, at: number, serverToo: boolean): number {
  const first = line.charCodeAt(at) | 0x20;
  if (first !== 0x63 /* c */ && (!serverToo || first !== 0x73 /* s */)) return 0;
  if (line.charCodeAt(at + 1) === 58 /* : */) return 1;
  const alias = first === 0x63 ? 'client' : 'server';
  if (line.charCodeAt(at + 6) !== 58 || line.slice(at, at + 6).toLowerCase() !== alias) return 0;
  return 6;
}

/** Like SourceToken, a prefix builds its Range only when asked: there is one on nearly every line. */
class LinePrefix implements Prefix {
  constructor(readonly side: Prefix['side'], readonly line: number, readonly character: number, readonly length: number) {}

  get range(): Range {
    return range(this.line, this.character, this.character + this.length);
  }
}

export function linePrefix(side: Prefix['side'], line: number, character: number, length: number): Prefix {
  return new LinePrefix(side, line, character, length);
}

function layoutAt(indent: number, wordLength: number, line: string, into: PrefixLayout): void {
  const end = indent + wordLength + 1;
  into.side = (line.charCodeAt(indent) | 0x20) === 0x63 ? 'client' : 'server';
  into.start = indent;
  into.length = wordLength + 1;
  into.contentStart = line.charCodeAt(end) === 32 ? end + 1 : end;
}

function prefixMatch({ side, start, length, contentStart }: PrefixLayout, lineNumber: number): PrefixMatch {
  return { prefix: new LinePrefix(side, lineNumber, start, length), start, length, contentStart };
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/** A-Z or a-z. */
export function isAsciiLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

export function indexOfSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Octets of `text` from index `from` up to `to` in UTF-8, without allocating an encoded copy or a slice. */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let octets = 0;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) octets += 1;
    else if (code < 0x800) octets += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < to && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      octets += 4;
      i++;
    } else octets += 3;
  }
  return octets;
}

/**
 * Text from the file as a message quotes it: at most `max` characters, then
 * "…". A message that repeated a 1 MB word would be as long as the file.
 */
export function excerpt(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
