import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FaultRules } from '../../../../server/src/captureServer/rules/faultRules';
import { commandEvent } from '../../../../server/src/captureServer/rules/matchRule';
import { parseRules } from '../../../../server/src/captureServer/rules/parseRules';
import { RateWindow } from '../../../../server/src/captureServer/rules/rateWindow';

/** The engine over these rules (the "rules" list as JSON text), with a clock the test moves. */
function engine(rules: string) {
  const clock = { now: 1_000_000 };
  return { rules: new FaultRules(parseRules(`{ "rules": ${rules} }`, 'rules.json'), () => clock.now), clock };
}

/** What the rules answer to a command line: the reply ("550 5.1.1"), "disconnect", or "-" for none, with any delay. */
function answer(rules: FaultRules, line: string): string {
  const decision = rules.decide(commandEvent(line));
  const action = decision.action === null ? '-' : decision.action.kind === 'disconnect' ? 'disconnect' : `${decision.action.reply.code}${decision.action.reply.enhanced ? ` ${decision.action.reply.enhanced}` : ''}`;
  return decision.delayMs > 0 ? `${action} after ${decision.delayMs} ms` : action;
}

describe('FaultRules', () => {
  it('matches an address glob, a parameter and a regex, each on its own command', () => {
    const { rules } = engine(`[
      { "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.1 User unknown" },
      { "on": "MAIL", "parameter": "SIZE>1000", "reply": "552 5.3.4 Too big" },
      { "on": "MAIL", "address": "", "reply": "550 5.7.1 No bounces" },
      { "on": "EHLO", "regex": "\\\\.invalid$", "reply": "550 Bad name" }
    ]`);
    assert.equal(answer(rules, 'RCPT TO:<gone@BOUNCE.example>'), '550 5.1.1');
    assert.equal(answer(rules, 'RCPT TO:<gone@bounce.example.org>'), '-');
    assert.equal(answer(rules, 'MAIL FROM:<gone@bounce.example>'), '-', 'the RCPT rule is not asked about MAIL');
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com> SIZE=1001'), '552 5.3.4');
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com> size=1000'), '-');
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com>'), '-');
    assert.equal(answer(rules, 'MAIL FROM:<>'), '550 5.7.1', 'the null sender is the empty address');
    assert.equal(answer(rules, 'EHLO host.invalid'), '550');
    assert.equal(answer(rules, 'HELO host.invalid'), '-', 'EHLO rules leave HELO alone');
  });

  it('acts only the Nth time a rule matches (greylisting), counting matches only', () => {
    const { rules } = engine('[{ "on": "RCPT", "address": "*@grey.example", "nth": 2, "reply": "451 4.7.1 Greylisted" }]');
    assert.equal(answer(rules, 'RCPT TO:<a@grey.example>'), '-');
    assert.equal(answer(rules, 'RCPT TO:<a@other.example>'), '-', 'a recipient that does not match is not counted');
    assert.equal(answer(rules, 'RCPT TO:<a@grey.example>'), '451 4.7.1');
    assert.equal(answer(rules, 'RCPT TO:<a@grey.example>'), '-');
    assert.equal(answer(rules, 'RCPT TO:<a@grey.example>'), '-');
  });

  it('acts every Nth time', () => {
    const { rules } = engine('[{ "on": "DATA", "every": 3, "reply": "554 5.3.0 No" }]');
    assert.deepEqual(Array.from({ length: 7 }, () => answer(rules, 'DATA')), ['-', '-', '554 5.3.0', '-', '-', '554 5.3.0', '-']);
  });

  it('acts once N messages were accepted within the window, and stops when the window moves on (a rate limit)', () => {
    const { rules, clock } = engine('[{ "on": "MAIL", "after": { "messages": 3, "seconds": 60 }, "reply": "421 4.7.0 Too many messages, slow down" }]');
    for (let i = 0; i < 3; i++) {
      assert.equal(answer(rules, 'MAIL FROM:<a@example.com>'), '-', `message ${i + 1}`);
      rules.messageAccepted();
      clock.now += 10_000;
    }
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com>'), '421 4.7.0', 'the fourth message within a minute');
    clock.now += 29_999; // the first message is now 59.999 s old
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com>'), '421 4.7.0');
    clock.now += 1; // and now a minute
    assert.equal(answer(rules, 'MAIL FROM:<a@example.com>'), '-');
  });

  it('drops the connection', () => {
    const { rules } = engine('[{ "on": "DATA", "disconnect": true }]');
    assert.equal(answer(rules, 'DATA'), 'disconnect');
    assert.equal(rules.decide({ point: 'end-of-data' }).action, null);
  });

  it('adds the delays of rules that only wait and goes on; the first rule that replies or disconnects decides', () => {
    const { rules } = engine(`[
      { "on": "any", "delay": 100 },
      { "on": "RCPT", "address": "slow@*", "delay": 50 },
      { "on": "RCPT", "address": "slow@*", "reply": "450 4.2.1 Busy", "delay": 25 },
      { "on": "RCPT", "reply": "550 5.1.1 Never reached for slow@" },
      { "on": ["connect", "end-of-data"], "delay": 10 }
    ]`);
    assert.equal(answer(rules, 'NOOP'), '- after 100 ms');
    assert.equal(answer(rules, 'RCPT TO:<slow@example.org>'), '450 4.2.1 after 175 ms');
    assert.equal(answer(rules, 'RCPT TO:<bob@example.org>'), '550 5.1.1 after 100 ms');
    assert.deepEqual(rules.decide({ point: 'connect' }), { delayMs: 10, action: null });
    assert.deepEqual(rules.decide({ point: 'end-of-data' }), { delayMs: 10, action: null });
  });

  it('answers nothing without rules', () => {
    assert.deepEqual(new FaultRules([]).decide(commandEvent('MAIL FROM:<a@example.com>')), { delayMs: 0, action: null });
  });
});

describe('RateWindow', () => {
  it('holds the last N times only, whatever arrived before', () => {
    const window = new RateWindow(2, 1000);
    assert.equal(window.isFull(0), false);
    for (let t = 0; t < 10_000; t += 100) window.add(t);
    assert.equal(window.isFull(9_900), true);
    assert.equal(window.isFull(10_799), true);
    assert.equal(window.isFull(10_800), false, 'the older of the last two is a second old');
  });
});
