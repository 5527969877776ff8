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

export function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

export function token(text: string, line: number, start: number): Token {
  return { text, range: range(line, start, start + text.length) };
}

export interface PrefixMatch {
  prefix: Prefix;
  /** Column where the content starts: after the prefix and its one optional space. */
  contentStart: number;
}

// `C:`/`S:` and the `Client:`/`Server:` aliases, in any case.
const PREFIX = /^([ \t]*)(client|server|c|s):/i;
const BODY_PREFIX = /^(client|c):/i;

/** A prefix at the start of a line, after optional indentation. */
export function matchPrefix(line: string, lineNumber: number): PrefixMatch | null {
  const match = PREFIX.exec(line);
  return match ? prefixMatch(match[1].length, match[2], line, lineNumber) : null;
}

/** Inside a body only a client prefix in the first column counts: indentation there is content. */
export function matchBodyPrefix(line: string, lineNumber: number): PrefixMatch | null {
  const match = BODY_PREFIX.exec(line);
  return match ? prefixMatch(0, match[1], line, lineNumber) : null;
}

function prefixMatch(indent: number, word: string, line: string, lineNumber: number): PrefixMatch {
  const end = indent + word.length + 1;
  const side = word[0] === 'c' || word[0] === 'C' ? 'client' : 'server';
  const contentStart = line.charCodeAt(end) === 32 ? end + 1 : end;
  return { prefix: { side, range: range(lineNumber, indent, end) }, contentStart };
}

export function isSpace(code: number): boolean {
  return code === 32 || code === 9;
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

/** Octets of `text` in UTF-8, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let octets = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) octets += 1;
    else if (code < 0x800) octets += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      octets += 4;
      i++;
    } else octets += 3;
  }
  return octets;
}
