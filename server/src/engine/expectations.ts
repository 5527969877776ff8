import type { Reply } from '../transcript/ast';
import type { ServerReply } from './replyReader';

export interface ExpectationOutcome {
  ok: boolean;
  /** Why it failed, for people: "expected 250, got 550 5.1.1 …". */
  reason: string | null;
}

/** A recorded code with `x` wildcards against the real one (three digits), compared digit by digit without making a string of it. */
function matchesCode(pattern: string, actual: number): boolean {
  if (pattern.length !== 3 || actual < 100 || actual > 999) return false;
  // The usual pattern, three digits (`250`), compared as a number: V8 keeps a short numeric string's value, so
  // this is one step where the loop below is a dozen. Three characters that make 100–999 are three digits, or
  // a digit, `e` and a digit (`2e2`), which the second character's test leaves to the loop.
  if (+pattern === actual && pattern.charCodeAt(1) <= 0x39) return true;
  let rest = actual;
  for (let i = 2; i >= 0; i--) {
    const want = pattern.charCodeAt(i);
    const digit = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
    if (want !== 0x78 && want !== 0x58 && want !== digit) return false; // x, X: any digit
  }
  return true;
}

function matchesEnhanced(pattern: string, actual: string | null): boolean {
  if (actual === null) return false;
  const want = pattern.split('.');
  const got = actual.split('.');
  return want.length === got.length && want.every((part, i) => part.toLowerCase() === 'x' || part === got[i]);
}

/** The expectation as shown in results: the code, and the enhanced code when one was written. */
export function describeExpectation(expected: Reply): string {
  const code = expected.code ?? '?';
  if (!expected.enhanced) return code;
  return code ? `${code} ${expected.enhanced}` : expected.enhanced;
}

/**
 * Does the real reply meet the recorded one? The code must match (`x` is any
 * digit); an enhanced code, when written, must match (`5.1.x`); with `strict`
 * the text of every line must match too.
 */
export function expectationMet(expected: Reply, actual: ServerReply, strict: boolean): ExpectationOutcome {
  // The reasons are built only when the reply fails: nearly every reply meets its expectation, once per step.
  if (!expected.code || !matchesCode(expected.code, actual.code)) {
    const summary = `got ${actual.code} ${actual.text[0] ?? ''}`.trimEnd();
    return { ok: false, reason: `expected ${describeExpectation(expected)}, ${summary}` };
  }
  if (expected.enhanced && !matchesEnhanced(expected.enhanced, actual.enhanced)) {
    const got = `${actual.code}${actual.enhanced ? ` ${actual.enhanced}` : ''}`;
    return { ok: false, reason: `expected enhanced status ${expected.enhanced}, got ${actual.enhanced ?? 'none'} (${got})` };
  }
  if (strict) {
    const want = expected.lines.map((line) => textWithEnhanced(line.enhanced?.text ?? null, line.text.text));
    const have = actual.text;
    if (want.length !== have.length || want.some((line, i) => line.trim() !== have[i].trim())) {
      return { ok: false, reason: `@strict: expected the text ${JSON.stringify(want.join(' / '))}, got ${JSON.stringify(have.join(' / '))}` };
    }
  }
  return MET;
}

/** Every met expectation's outcome: the same frozen object, not one per step. */
const MET: ExpectationOutcome = Object.freeze({ ok: true, reason: null });

function textWithEnhanced(enhanced: string | null, text: string): string {
  return enhanced ? `${enhanced}${text ? ` ${text}` : ''}` : text;
}
