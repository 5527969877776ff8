import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkReplyCode } from '../../../server/src/analysis/replyRules';
import type { Reply } from '../../../server/src/transcript/ast';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** The unexpected-reply messages for the replies of a transcript. */
function unexpected(...lines: string[]): string[] {
  const file = parseTranscript(lines.join('\n'));
  const replies = file.sessions.flatMap((session) => session.steps.filter((step): step is Reply => step.kind === 'reply'));
  return replies.map(checkReplyCode).filter((problem) => problem !== null).map((problem) => `${problem.range.start.line + 1}:${problem.range.start.character} ${problem.message}`);
}

describe('checkReplyCode: the code read by char codes', () => {
  it('matches wildcards in either case against the allowed codes', () => {
    assert.deepEqual(unexpected('S: 2xx mx', 'C: EHLO a', 'S: 2XX ok', 'C: MAIL FROM:<a@example.com>', 'S: 25X ok', 'C: RCPT TO:<b@example.org>', 'S: 5x0 no'), []);
  });

  it('names the code as written, what it answers and the allowed codes', () => {
    assert.deepEqual(unexpected('S: 220 mx', 'C: MAIL FROM:<a@example.com>', 'S: 35X go'), [
      '3:3 35X is not a reply MAIL can get: RFC 5321 §4.3.2 and the extension RFCs allow 250, 421, 451, 452, 455, 500, 501, 503, 521, 530, 550, 552, 553, 555. Check which command this reply answers, or the code.',
    ]);
    assert.deepEqual(unexpected('S: 250 mx'), [
      '1:3 250 is not a reply the greeting can get: RFC 5321 §4.3.2 and the extension RFCs allow 220, 421, 554. Check which command this reply answers, or the code.',
    ]);
  });

  it('judges only codes of the form [2-5][0-5x][0-9x]', () => {
    for (const code of ['1xx', '6xx', '2y0', '260', '29x', 'X50']) assert.deepEqual(unexpected(`S: ${code} mx`), [], code);
    assert.equal(unexpected('S: 25x mx').length, 1);
    assert.equal(unexpected('S: 5X4 mx').length, 0);
    assert.equal(unexpected('S: 5X9 mx').length, 1);
  });
});
