import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionReport, StepReport } from '../../../server/src/contract/messages';
import { testOutcome } from '../../../client/src/testing/testOutcome';

function step(line: number, overrides: Partial<StepReport> = {}): StepReport {
  return { line, kind: 'command', sent: 'NOOP', reply: { code: 250, enhanced: null, lines: ['250 Ok'] }, expected: '250', expectedLine: line + 1, ok: true, mismatch: null, skipped: false, ms: 2, ...overrides };
}

function session(steps: StepReport[], overrides: Partial<SessionReport> = {}): SessionReport {
  return { name: 'delivery', line: 1, server: '127.0.0.1:2525', ok: steps.every((s) => s.ok !== false && !s.skipped), error: null, tls: null, warnings: [], steps, ...overrides };
}

describe('test outcome', () => {
  it('lists what the run read from this machine after the steps, names only', () => {
    const outcome = testOutcome(session([step(2)]), { environment: ['SUBJECT', 'SMTP_HOST'], files: ['mail/report.txt'] });
    assert.equal(outcome.output[1], 'the run read from this machine: environment SUBJECT, SMTP_HOST; file mail/report.txt\r\n');
    assert.equal(outcome.state, 'passed');
    assert.ok(!testOutcome(session([step(2)]), { environment: [], files: [] }).output.some((line) => line.includes('read from')), 'nothing read: no line');
  });
  it('passes when every expectation held', () => {
    const outcome = testOutcome(session([step(2), step(4)]));
    assert.equal(outcome.state, 'passed');
    assert.equal(outcome.durationMs, 4);
    assert.match(outcome.output[0], /^✓ line 2: NOOP → 250 Ok · 2 ms\r\n$/);
  });
  it('fails with expected/actual at the S: line', () => {
    const failed = step(6, { expected: '250', expectedLine: 7, ok: false, reply: { code: 550, enhanced: '5.1.1', lines: ['550 5.1.1 no such user'] } });
    const outcome = testOutcome(session([step(2), failed, step(8, { skipped: true, reply: null, sent: null, ok: null })]));
    assert.equal(outcome.state, 'failed');
    assert.deepEqual(outcome.messages, [{ message: 'expected 250, got 550 5.1.1 no such user', expected: '250', actual: '550 5.1.1 no such user', line: 7 }]);
    assert.match(outcome.output[2], /^- line 8: skipped/);
  });
  it('errors when the session could not run, at the line named or the session\'s first', () => {
    const outcome = testOutcome(session([], { ok: false, error: { message: 'connect ECONNREFUSED 127.0.0.1:1', line: null }, line: 12 }));
    assert.equal(outcome.state, 'errored');
    assert.deepEqual(outcome.messages[0], { message: 'connect ECONNREFUSED 127.0.0.1:1', expected: null, actual: null, line: 12 });
  });
});
