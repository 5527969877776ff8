import { allowedReplyCodes, findCommand, GREETING_REPLY_CODES } from '../protocol/commands';
import type { Problem, Reply } from '../transcript/ast';
import { isValidCode } from '../transcript/replyLine';


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
function allowedFor(reply: Reply): readonly number[] | null {
  if (reply.greeting) return GREETING_REPLY_CODES;
  const target = reply.answers;
  if (!target) return null;
  if (target.kind === 'sasl') return codesOf('AUTH', 'command');
  return target.kind === 'data-end' ? codesOf(target.command.verbName, 'after-content') : codesOf(target.verbName, 'command');
}

/** What the reply answers, as a message names it. */
function answered(reply: Reply): string {
  if (reply.greeting) return 'the greeting';
  const target = reply.answers!;
  return target.kind === 'sasl' ? 'a SASL response' : target.kind === 'data-end' ? 'the end of the message body' : target.verbName;
}

function flatten(allowed: { success: number[]; intermediate: number[]; error: number[] }): number[] {
  return [...allowed.success, ...allowed.intermediate, ...allowed.error].sort((a, b) => a - b);
}

/**
 * The code as written matches an allowed code: each character the same
 * digit, or an `x`/`X` wildcard. Compared as character codes (`| 0x20` folds
 * X to x and leaves digits as they are): a string per allowed code per reply
 * was most of this check's cost.
 */
function matches(code: string, allowed: number): boolean {
  return digitMatches(code, 0, Math.floor(allowed / 100)) && digitMatches(code, 1, Math.floor(allowed / 10) % 10) && digitMatches(code, 2, allowed % 10);
}

function digitMatches(code: string, index: number, digit: number): boolean {
  const char = code.charCodeAt(index) | 0x20;
  return char === 0x78 /* x */ || char === 48 + digit;
}

/** A reply code the standard does not allow for what it answers (e.g. 354 to MAIL). */
export function checkReplyCode(reply: Reply): Problem | null {
  const code = reply.code;
  // The tree's code is three digits or x wildcards; one out of range (the parser's invalid-reply) is not judged.
  if (!code || !isValidCode(code, 0)) return null;
  const allowed = allowedFor(reply);
  if (!allowed) return null;
  for (const candidate of allowed) if (matches(code, candidate)) return null;
  const codeToken = reply.lines.find((line) => line.code)!.code!;
  return {
    code: 'unexpected-reply', severity: 'warning', range: codeToken.range,
    message: `${reply.code} is not a reply ${answered(reply)} can get: RFC 5321 §4.3.2 and the extension RFCs allow ${allowed.join(', ')}. Check which command this reply answers, or the code.`,
  };
}
