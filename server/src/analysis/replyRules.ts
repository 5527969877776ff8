import { allowedReplyCodes, findCommand, GREETING_REPLY_CODES } from '../protocol/commands';
import type { Problem, Reply } from '../transcript/ast';


// The tables are fixed, so each verb and phase is flattened once, not once per reply
// (one map per phase: a key made of both was a string built for every reply).
const codesCache = { command: new Map<string, number[]>(), 'after-content': new Map<string, number[]>() };

function codesOf(verb: string, phase: 'command' | 'after-content'): number[] | null {
  const cache = codesCache[phase];
  let codes = cache.get(verb);
  if (!codes) {
    const spec = findCommand(verb);
    if (!spec) return null;
    codes = flatten(allowedReplyCodes(spec, phase));
    cache.set(verb, codes);
  }
  return codes;
}

/** The codes a reply may have given what it answers; null when there is nothing to compare against. */
function allowedFor(reply: Reply): { codes: number[]; what: string } | null {
  if (reply.greeting) return { codes: [...GREETING_REPLY_CODES], what: 'the greeting' };
  const target = reply.answers;
  if (!target) return null;
  if (target.kind === 'sasl') return { codes: codesOf('AUTH', 'command')!, what: 'a SASL response' };
  const command = target.kind === 'data-end' ? target.command : target;
  const phase = target.kind === 'data-end' ? 'after-content' : 'command';
  const codes = codesOf(command.verbName, phase);
  if (!codes) return null;
  return { codes, what: target.kind === 'data-end' ? 'the end of the message body' : command.verbName };
}

function flatten(allowed: { success: number[]; intermediate: number[]; error: number[] }): number[] {
  return [...allowed.success, ...allowed.intermediate, ...allowed.error].sort((a, b) => a - b);
}

/** `2xx` (lower-cased) matches any allowed code with the same fixed digits. */
function matches(code: string, allowed: number): boolean {
  return digitMatches(code, 0, Math.floor(allowed / 100)) && digitMatches(code, 1, Math.floor(allowed / 10) % 10) && digitMatches(code, 2, allowed % 10);
}

// Compared as character codes: a string per allowed code per reply was most of this check's cost.
function digitMatches(code: string, index: number, digit: number): boolean {
  const char = code.charCodeAt(index);
  return char === 0x78 /* x */ || char === 48 + digit;
}

/** A reply code the standard does not allow for what it answers (e.g. 354 to MAIL). */
export function checkReplyCode(reply: Reply): Problem | null {
  const code = reply.code?.toLowerCase();
  if (!code || !/^[2-5][0-5x][0-9x]$/.test(code)) return null;
  const allowed = allowedFor(reply);
  if (!allowed || allowed.codes.some((candidate) => matches(code, candidate))) return null;
  const codeToken = reply.lines.find((line) => line.code)!.code!;
  return {
    code: 'unexpected-reply', severity: 'warning', range: codeToken.range,
    message: `${reply.code} is not a reply ${allowed.what} can get: RFC 5321 §4.3.2 and the extension RFCs allow ${allowed.codes.join(', ')}. Check which command this reply answers, or the code.`,
  };
}
