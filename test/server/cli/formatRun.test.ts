import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runToText } from '../../../server/src/cli/formatRun';
import type { SessionResult, StepResult } from '../../../server/src/engine/playSession';

const step = (fields: Partial<StepResult>): StepResult => ({
  line: 1, kind: 'command', sent: null, reply: null, expected: null, expectedLine: null, ok: null, mismatch: null, skipped: false, ms: 1, ...fields,
});

function session(steps: StepResult[], error: SessionResult['error'] = null): SessionResult {
  return { name: 'Cut short', line: 1, server: '127.0.0.1:25', ok: false, error, tls: null, warnings: [], steps };
}

describe('runToText', () => {
  it('shows each reply with ✓ or ✗, a line sent without a reply, and counts what was not played', () => {
    const text = runToText({
      file: 'cut.smtp',
      ok: false,
      sessions: [session([
        step({ line: 1, kind: 'greeting', reply: { code: 220, enhanced: null, lines: ['220 mx ESMTP'] }, expected: '220', ok: true }),
        step({ line: 4, sent: 'MAIL FROM:<a@example.com>', reply: { code: 250, enhanced: '2.1.0', lines: ['250 2.1.0 Ok'] }, expected: '250', ok: true, ms: 2 }),
        step({ line: 5, sent: 'RCPT TO:<b@example.org>', mismatch: 'sent, but the session ended before the server answered it' }),
        step({ line: 11, kind: 'data', skipped: true, expected: '250' }),
      ], { message: 'The server closed the connection.', line: null })],
    }, false);
    assert.equal(text, [
      '### Cut short  (127.0.0.1:25)',
      'S: 220 mx ESMTP  ✓ 1 ms',
      'C: MAIL FROM:<a@example.com>',
      'S: 250 2.1.0 Ok  ✓ 2 ms',
      'C: RCPT TO:<b@example.org>',
      '# line 5: sent, but the session ended before the server answered it',
      '# 1 step not played',
      '# error: The server closed the connection.',
      '',
      '1 session: 0 passed, 1 failed',
    ].join('\n'));
  });
});
