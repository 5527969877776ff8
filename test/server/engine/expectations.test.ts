import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import type { Reply } from '../../../server/src/transcript/ast';
import { describeExpectation, expectationMet } from '../../../server/src/engine/expectations';
import type { ServerReply } from '../../../server/src/engine/replyReader';

/** The expectation the S: lines after a NOOP make. */
function expectation(...replyLines: string[]): Reply {
  const file = parseTranscript(['C: NOOP', ...replyLines.map((line) => `S: ${line}`)].join('\n'));
  const reply = file.sessions[0].steps.find((step): step is Reply => step.kind === 'reply');
  assert.ok(reply);
  return reply;
}

function reply(code: number, enhanced: string | null, ...text: string[]): ServerReply {
  const lines = text.map((line, i) => `${code}${i < text.length - 1 ? '-' : ' '}${line}`);
  return { code, enhanced, lines, text, bareLineFeeds: false };
}

describe('describeExpectation', () => {
  it('names the code, and the enhanced code when one was written', () => {
    assert.equal(describeExpectation(expectation('250 ok')), '250');
    assert.equal(describeExpectation(expectation('550 5.1.x unknown')), '550 5.1.x');
    assert.equal(describeExpectation(expectation('2xx')), '2xx');
  });
});

describe('expectationMet', () => {
  it('meets a code, with x as any digit', () => {
    assert.deepEqual(expectationMet(expectation('2xx'), reply(250, null, 'ok'), false), { ok: true, reason: null });
    assert.deepEqual(expectationMet(expectation('25x'), reply(251, null, 'ok'), false), { ok: true, reason: null });
  });

  it('meets a code written in digits with that code alone', () => {
    assert.equal(expectationMet(expectation('250 ok'), reply(250, null, 'ok'), false).ok, true);
    for (const other of [251, 205, 350, 520, 200]) assert.equal(expectationMet(expectation('250 ok'), reply(other, null, 'ok'), false).ok, false, String(other));
  });

  it('says what came instead of the code', () => {
    assert.deepEqual(expectationMet(expectation('250'), reply(550, '5.1.1', '5.1.1 no such user'), false), { ok: false, reason: 'expected 250, got 550 5.1.1 no such user' });
    assert.deepEqual(expectationMet(expectation('250'), reply(421, null, ''), false), { ok: false, reason: 'expected 250, got 421' });
  });

  it('checks the enhanced code when one was written', () => {
    assert.equal(expectationMet(expectation('550 5.1.x'), reply(550, '5.1.1', '5.1.1 no'), false).ok, true);
    assert.deepEqual(expectationMet(expectation('550 5.1.x'), reply(550, '5.7.1', '5.7.1 no'), false), { ok: false, reason: 'expected enhanced status 5.1.x, got 5.7.1 (550 5.7.1)' });
    assert.deepEqual(expectationMet(expectation('550 5.1.x'), reply(550, null, 'no'), false), { ok: false, reason: 'expected enhanced status 5.1.x, got none (550)' });
  });

  it('with strict, compares the text of every line too', () => {
    assert.equal(expectationMet(expectation('250-a.example', '250 PIPELINING'), reply(250, null, 'a.example', 'PIPELINING'), true).ok, true);
    assert.deepEqual(expectationMet(expectation('250 ok'), reply(250, null, 'fine'), true), { ok: false, reason: '@strict: expected the text "ok", got "fine"' });
    assert.equal(expectationMet(expectation('250 ok'), reply(250, null, 'fine'), false).ok, true);
  });
});
