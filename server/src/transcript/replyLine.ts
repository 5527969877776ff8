import type { Prefix, Problem, ReplyLine, Token } from './ast';
import { range, token } from './lines';

export interface ParsedReplyLine {
  replyLine: ReplyLine;
  problem: Problem | null;
}

// RFC 5321 §4.2: Reply-code SP text / Reply-code "-" text / Reply-code alone.
// `x` stands for any digit in expectations (`2xx`, `25x`).
const REPLY = /^([0-9xX]{3})(?:([ -])(.*))?$/s;
const VALID_CODE = /^[2-5][0-5xX][0-9xX]$/;
// RFC 3463 §2: class "." subject "." detail; `x` wildcards for expectations.
const ENHANCED = /^([245]\.(?:\d{1,3}|[xX])\.(?:\d{1,3}|[xX]))(?: |$)/;

/** Parses the content of an `S:` line (`content` starts at column `start`). */
export function parseReplyLine(content: string, lineNumber: number, start: number, prefix: Prefix, lineLength: number): ParsedReplyLine {
  const match = REPLY.exec(content);
  const lineRange = range(lineNumber, prefix.range.start.character, lineLength);
  if (!match) {
    const replyLine: ReplyLine = {
      line: lineNumber, range: lineRange, prefix, code: null, separator: '', enhanced: null,
      text: token(content, lineNumber, start), variables: [],
    };
    return { replyLine, problem: invalidReply(lineNumber, start, lineLength, `"${shorten(content)}" is not a reply line: a reply starts with a three-digit code (2xx–5xx), then a space and text, a "-" and text for a line that continues, or nothing.`) };
  }
  const code = token(match[1], lineNumber, start);
  const separator = (match[2] ?? '') as ReplyLine['separator'];
  let textStart = start + 3 + separator.length;
  let rest = match[3] ?? '';
  let enhanced: Token | null = null;
  const enhancedMatch = ENHANCED.exec(rest);
  if (enhancedMatch) {
    enhanced = token(enhancedMatch[1], lineNumber, textStart);
    const consumed = Math.min(enhancedMatch[1].length + 1, rest.length);
    textStart += consumed;
    rest = rest.slice(consumed);
  }
  const replyLine: ReplyLine = {
    line: lineNumber, range: lineRange, prefix, code, separator, enhanced,
    text: token(rest, lineNumber, textStart), variables: [],
  };
  const problem = VALID_CODE.test(match[1])
    ? null
    : invalidReply(lineNumber, start, start + 3, `Reply code "${match[1]}" is out of range: the first digit must be 2 to 5 and the second 0 to 5 (RFC 5321 §4.2.1).`);
  return { replyLine, problem };
}

function invalidReply(line: number, start: number, end: number, message: string): Problem {
  return { code: 'invalid-reply', severity: 'error', message, range: range(line, start, Math.max(end, start)) };
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
