import type { Problem, ReplyLine } from './ast';
import { enhancedCodeLength } from '../protocol/enhancedStatusCodes';
import { excerpt, range, token, type PrefixMatch } from './lines';
import { NO_REFERENCES } from './lineTable';
import { Interned } from './sourceSteps';

export interface ParsedReplyLine {
  replyLine: ReplyLine;
  problem: Problem | null;
  /** The line's code and enhanced code as strings shared with other lines (for the reply's own). */
  code: string | null;
  enhanced: string | null;
}

const ENHANCED_CODES = new Interned();

/**
 * One string per reply code spelling, found by its three characters (digits
 * or `x`, so at most 12³ entries) without slicing the line: every S: line of
 * every re-parse has one.
 */
const CODES = new Map<number, string>();

function codeAt(source: string, at: number): string {
  const key = (source.charCodeAt(at) << 14) | (source.charCodeAt(at + 1) << 7) | source.charCodeAt(at + 2);
  let code = CODES.get(key);
  if (code === undefined) {
    code = source.slice(at, at + 3);
    CODES.set(key, code);
  }
  return code;
}

// RFC 5321 §4.2: Reply-code SP text / Reply-code "-" text / Reply-code alone;
// `x` stands for any digit in expectations (`2xx`, `25x`). Checked by hand, not
// by a regular expression, because every S: line of every re-parse comes here.
function isCodeCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code | 0x20) === 0x78;
}

/** The three code characters at `at` are in range: first digit 2 to 5, second 0 to 5 or `x` (RFC 5321 §4.2.1). */
export function isValidCode(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  return first >= 50 && first <= 53 && ((second >= 48 && second <= 53) || (second | 0x20) === 0x78);
}

/** What an `S:` line holds besides its columns: filled in place by readReplyFields. */
export interface ReplyFields {
  separator: ReplyLine['separator'];
  hasCode: boolean;
  /** Characters of the enhanced code, 0 when there is none; it starts after the code and separator. */
  enhancedLength: number;
  /** Column where the text after the code, separator and enhanced code starts. */
  textStart: number;
  /** The code and enhanced code as strings shared with other lines. */
  code: string | null;
  enhanced: string | null;
  problem: Problem | null;
}

export function emptyReplyFields(): ReplyFields {
  return { separator: '', hasCode: false, enhancedLength: 0, textStart: 0, code: null, enhanced: null, problem: null };
}

/**
 * Parses the content of an `S:` line into a ReplyLine of its own: `content`
 * starts at column `start`, the line ends at column `lineLength`. The parser
 * does not come here: it writes the fields (readReplyFields) into its line
 * table (lineTable.ts) and builds no line.
 */
export function parseReplyLine(content: string, lineNumber: number, start: number, { start: prefixStart, length: prefixLength }: PrefixMatch, lineLength: number): ParsedReplyLine {
  const fields = emptyReplyFields();
  readReplyFields(content, start, lineNumber, start, lineLength, fields);
  const piece = (from: number, to: number) => token(content.slice(from - start, to - start), lineNumber, from);
  const replyLine: ReplyLine = {
    line: lineNumber,
    range: range(lineNumber, prefixStart, lineLength),
    prefix: { side: 'server', range: range(lineNumber, prefixStart, prefixStart + prefixLength) },
    code: fields.hasCode ? piece(start, start + 3) : null,
    separator: fields.separator,
    enhanced: fields.enhancedLength > 0 ? piece(start + 4, start + 4 + fields.enhancedLength) : null,
    text: piece(fields.textStart, lineLength),
    variables: NO_REFERENCES,
  };
  return { replyLine, problem: fields.problem, code: fields.code, enhanced: fields.enhanced };
}

/**
 * parseReplyLine without the allocations, for the parser: writes what the
 * line holds into `into`. `source` may be the whole file, with minus the
 * line's offset as `base`.
 */
export function readReplyFields(source: string, base: number, lineNumber: number, start: number, end: number, into: ReplyFields): void {
  const at = start - base;
  const length = end - start;
  const separatorCode = length > 3 ? source.charCodeAt(at + 3) : -1;
  const hasCode = length >= 3 && isCodeCharacter(source.charCodeAt(at)) && isCodeCharacter(source.charCodeAt(at + 1)) && isCodeCharacter(source.charCodeAt(at + 2));
  into.enhancedLength = 0;
  into.enhanced = null;
  if (!hasCode || (length > 3 && separatorCode !== 32 && separatorCode !== 45)) {
    into.separator = '';
    into.hasCode = false;
    into.textStart = start;
    into.code = null;
    into.problem = invalidReply(lineNumber, start, end, `"${excerpt(source.slice(at, end - base))}" is not a reply line: a reply starts with a three-digit code (2xx–5xx), then a space and text, a "-" and text for a line that continues, or nothing.`);
    return;
  }
  const separator: ReplyLine['separator'] = separatorCode === 45 ? '-' : separatorCode === 32 ? ' ' : '';
  into.separator = separator;
  into.hasCode = true;
  into.textStart = start + 3 + separator.length;
  // Most reply text is not an enhanced code; the second character being "." is a cheap first test.
  if (length > 5 && source.charCodeAt(at + 5) === 46) {
    const enhancedLength = enhancedCodeLength(source, at + 4, end - base, true);
    if (enhancedLength > 0) {
      into.enhanced = ENHANCED_CODES.intern(source.slice(at + 4, at + 4 + enhancedLength));
      into.enhancedLength = enhancedLength;
      into.textStart += Math.min(enhancedLength + 1, length - 4);
    }
  }
  into.code = codeAt(source, at);
  into.problem = isValidCode(source, at)
    ? null
    : invalidReply(lineNumber, start, start + 3, `Reply code "${source.slice(at, at + 3)}" is out of range: the first digit must be 2 to 5 and the second 0 to 5 (RFC 5321 §4.2.1).`);
}

function invalidReply(line: number, start: number, end: number, message: string): Problem {
  return { code: 'invalid-reply', severity: 'error', message, range: range(line, start, Math.max(end, start)) };
}
