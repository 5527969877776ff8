import type { Problem, ReplyLine, Token } from './ast';
import { excerpt, range, token, type PrefixMatch } from './lines';

// Replaced by the parser when the line holds references; shared until then.
const NO_LINE_REFERENCES = Object.freeze([]) as unknown as ReplyLine['variables'];

export interface ParsedReplyLine {
  replyLine: ReplyLine;
  problem: Problem | null;
}

// RFC 5321 §4.2: Reply-code SP text / Reply-code "-" text / Reply-code alone;
// `x` stands for any digit in expectations (`2xx`, `25x`). Checked by hand, not
// by a regular expression, because every S: line of every re-parse comes here.
function isCodeCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code | 0x20) === 0x78;
}

function isValidCode(text: string): boolean {
  const first = text.charCodeAt(0);
  const second = text.charCodeAt(1);
  return first >= 50 && first <= 53 && ((second >= 48 && second <= 53) || (second | 0x20) === 0x78);
}

// RFC 3463 §2: class "." subject "." detail; `x` wildcards for expectations.
const ENHANCED = /^([245]\.(?:\d{1,3}|[xX])\.(?:\d{1,3}|[xX]))(?: |$)/;

/** Parses the content of an `S:` line (`content` starts at column `start`). */
export function parseReplyLine(content: string, lineNumber: number, start: number, { prefix, start: prefixStart }: PrefixMatch, lineLength: number): ParsedReplyLine {
  const lineRange = range(lineNumber, prefixStart, lineLength);
  const separatorCode = content.charCodeAt(3);
  const hasCode = content.length >= 3 && isCodeCharacter(content.charCodeAt(0)) && isCodeCharacter(content.charCodeAt(1)) && isCodeCharacter(content.charCodeAt(2));
  if (!hasCode || (content.length > 3 && separatorCode !== 32 && separatorCode !== 45)) {
    const replyLine: ReplyLine = {
      line: lineNumber, range: lineRange, prefix, code: null, separator: '', enhanced: null,
      text: token(content, lineNumber, start), variables: NO_LINE_REFERENCES,
    };
    return { replyLine, problem: invalidReply(lineNumber, start, lineLength, `"${excerpt(content)}" is not a reply line: a reply starts with a three-digit code (2xx–5xx), then a space and text, a "-" and text for a line that continues, or nothing.`) };
  }
  const codeText = content.slice(0, 3);
  const code = token(codeText, lineNumber, start);
  const separator: ReplyLine['separator'] = separatorCode === 45 ? '-' : separatorCode === 32 ? ' ' : '';
  let textStart = start + 3 + separator.length;
  let rest = content.length > 4 ? content.slice(4) : '';
  let enhanced: Token | null = null;
  // Most reply text is not an enhanced code; the second character being "." is a cheap first test.
  const enhancedMatch = rest.charCodeAt(1) === 46 ? ENHANCED.exec(rest) : null;
  if (enhancedMatch) {
    enhanced = token(enhancedMatch[1], lineNumber, textStart);
    const consumed = Math.min(enhancedMatch[1].length + 1, rest.length);
    textStart += consumed;
    rest = rest.slice(consumed);
  }
  const replyLine: ReplyLine = {
    line: lineNumber, range: lineRange, prefix, code, separator, enhanced,
    text: token(rest, lineNumber, textStart), variables: NO_LINE_REFERENCES,
  };
  const problem = isValidCode(codeText)
    ? null
    : invalidReply(lineNumber, start, start + 3, `Reply code "${codeText}" is out of range: the first digit must be 2 to 5 and the second 0 to 5 (RFC 5321 §4.2.1).`);
  return { replyLine, problem };
}

function invalidReply(line: number, start: number, end: number, message: string): Problem {
  return { code: 'invalid-reply', severity: 'error', message, range: range(line, start, Math.max(end, start)) };
}
