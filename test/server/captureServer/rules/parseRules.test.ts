import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRules, RulesError } from '../../../../server/src/captureServer/rules/parseRules';

/** The error parseRules gives for `rules` (the file's "rules" list, as JSON text). */
function refusal(rules: string): string {
  try {
    parseRules(`{ "rules": ${rules} }`, 'rules.json');
  } catch (error) {
    assert.ok(error instanceof RulesError, String(error));
    return error.message;
  }
  assert.fail(`accepted ${rules}`);
}

describe('parseRules', () => {
  it('reads a hand-written file: comments, trailing commas, every field', () => {
    const rules = parseRules(`// faults for the signup tests
{
  "rules": [
    { "name": "bouncing domain", "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.1 <{address}>: User unknown" },
    { "on": ["mail"], "parameter": "SIZE>1000000", "reply": "552 5.3.4 Message too big", },
    { "on": "EHLO", "regex": "^EHLO slow\\\\.", "delay": 250 },
    { "on": "RCPT", "nth": 1, "reply": "451 4.7.1 Greylisted, try again" },
    { "on": "DATA", "every": 3, "disconnect": true },
    { "on": "MAIL", "after": { "messages": 10, "seconds": 60 }, "reply": "421 4.7.0 Too many messages" },
    { "on": "end-of-data", "reply": "554 Rejected" },
    { "on": "connect", "reply": "554 No service here" },
  ],
}`, 'rules.json');
    assert.equal(rules.length, 8);
    const [bounce, size, slow, grey, drop, rate, end, connect] = rules;
    assert.equal(bounce.label, 'bouncing domain');
    assert.deepEqual(bounce.on, ['RCPT']);
    assert.ok(bounce.address!.test('Gone@Bounce.Example') && !bounce.address!.test('gone@bounce.example.org'));
    assert.deepEqual(bounce.reply, { code: 550, enhanced: '5.1.1', text: '<{address}>: User unknown' });
    assert.deepEqual(size.on, ['MAIL']);
    assert.deepEqual(size.parameter, { name: 'SIZE', op: '>', value: 1_000_000 });
    assert.equal(slow.label, 'rule 3');
    assert.equal(slow.delayMs, 250);
    assert.equal(slow.reply, null);
    assert.ok(slow.regex!.test('ehlo SLOW.example'));
    assert.deepEqual(grey.count, { kind: 'nth', n: 1 });
    assert.deepEqual(drop.count, { kind: 'every', n: 3 });
    assert.equal(drop.disconnect, true);
    assert.deepEqual(rate.count, { kind: 'after', messages: 10, seconds: 60 });
    assert.deepEqual(end.on, ['end-of-data']);
    assert.deepEqual(end.reply, { code: 554, enhanced: null, text: 'Rejected' });
    assert.deepEqual(connect.on, ['connect']);
  });

  it('names the file, the rule, its line and the field, and says what is right', () => {
    assert.equal(
      refusal('[\n  { "on": "RCPT", "reply": "550 User unknown" },\n  { "on": "MAIL", "reply": "421 Busy" },\n  { "on": "RCPT", "reply": "650 5.1.1 Nope" }\n]'),
      'rules.json rule 3 (line 4): field `reply`: code 650 is not a reply code (use 200–599).',
    );
    assert.equal(refusal('[{ "name": "grey", "on": "RCPT", "nth": 0, "reply": "451 Later" }]'), 'rules.json rule 1 ("grey") (line 1): field `nth`: nth (act only the Nth time the rule matches) is a whole number from 1, not 0.');
  });

  it('takes which codes a command may get from the protocol tables', () => {
    assert.match(refusal('[{ "on": "RCPT", "reply": "554 5.7.1 No" }]'), /field `reply`: RCPT is not answered 554; it may get 421, 450, 451, 452, 455, 500, 501, 503, 521, 530, 550, 551, 552, 553, 555, 556\.$/);
    assert.match(refusal('[{ "on": "connect", "reply": "550 Go away" }]'), /the greeting is not answered 550; it may get 421, 554\./);
    assert.match(refusal('[{ "on": "end-of-data", "reply": "553 No" }]'), /the end of data is not answered 553; it may get 421, 450, 451, 452, 500, 501, 550, 552, 554\./);
    assert.match(refusal('[{ "on": ["MAIL", "RCPT"], "reply": "556 5.1.10 No mail here" }]'), /MAIL is not answered 556/);
    assert.match(refusal('[{ "on": "any", "reply": "451 Later" }]'), /any command is not answered 451; it may get 421, 500, 501\./);
    assert.match(refusal('[{ "on": "MAIL", "reply": "250 OK" }]'), /field `reply`: 250 is a positive reply; a rule answers with an error \(4xx or 5xx\)/);
  });

  it('checks the enhanced status code, the text and the shape of a reply', () => {
    assert.match(refusal('[{ "on": "RCPT", "reply": "550 4.1.1 No" }]'), /550 and 4\.1\.1 disagree: the class of an enhanced status code says what the reply's first digit says \(RFC 3463 §2\), so 5\.x\.x here\./);
    assert.match(refusal('[{ "on": "RCPT", "reply": "550 5.01.1 No" }]'), /The subject "01" has a leading zero/);
    assert.match(refusal('[{ "on": "RCPT", "reply": "550 5.1.x No" }]'), /"5\.1\.x" is a pattern/);
    assert.match(refusal('[{ "on": "RCPT", "reply": "550 5.1.1" }]'), /a reply needs a text after the code/);
    assert.match(refusal('[{ "on": "RCPT", "reply": "five fifty" }]'), /a reply starts with a three-digit code, such as "550 5\.1\.1 User unknown"; "five" is not one\./);
    assert.match(refusal('[{ "on": "connect", "reply": "421 4.3.2 Down" }]'), /the greeting carries no enhanced status code/);
    assert.match(refusal('[{ "on": "RCPT", "reply": 550 }]'), /field `reply`: a reply is a string/);
  });

  it('refuses unknown commands with a suggestion, and patterns a point cannot have', () => {
    assert.match(refusal('[{ "on": "RCTP", "reply": "550 No" }]'), /field `on`: "RCTP" is not a command \(did you mean RCPT\?\); use connect, end-of-data, any, or a command/);
    assert.match(refusal('[{ "reply": "550 No" }]'), /field `on`: missing/);
    assert.match(refusal('[{ "on": "DATA", "address": "*@x", "reply": "554 No" }]'), /field `address`: only MAIL and RCPT have an address/);
    assert.match(refusal('[{ "on": "connect", "regex": "x", "reply": "554 No" }]'), /field `regex`: a regex is tested against a command line/);
    assert.match(refusal('[{ "on": "RCPT", "regex": "(", "reply": "550 No" }]'), /field `regex`: "\(" is not a regular expression/);
  });

  it('checks parameters against the ESMTP parameter table', () => {
    assert.match(refusal('[{ "on": "RCPT", "parameter": "SIZE>10", "reply": "552 Too big" }]'), /field `parameter`: RCPT has no parameter SIZE; RCPT takes NOTIFY, ORCPT, RRVS\./);
    assert.match(refusal('[{ "on": "MAIL", "parameter": "BODY=9BIT", "reply": "554 No" }]'), /field `parameter`: Invalid BODY value "9BIT"/);
    assert.match(refusal('[{ "on": "MAIL", "parameter": "SMTPUTF8=yes", "reply": "550 No" }]'), /SMTPUTF8 takes no value/);
    assert.match(refusal('[{ "on": "MAIL", "parameter": "SIZE>lots", "reply": "552 No" }]'), /SIZE> compares numbers, and "lots" is not a whole number/);
  });

  it('wants one action, one count and known fields', () => {
    assert.match(refusal('[{ "on": "MAIL" }]'), /rule 1 \(line 1\): a rule does something: give it `reply`/);
    assert.match(refusal('[{ "on": "MAIL", "reply": "421 Bye", "disconnect": true }]'), /field `disconnect`: a rule either replies or disconnects/);
    assert.match(refusal('[{ "on": "MAIL", "nth": 2, "every": 2, "reply": "451 Later" }]'), /field `every`: a rule counts one way/);
    assert.match(refusal('[{ "on": "MAIL", "after": { "messages": 10, "minutes": 1 }, "reply": "421 Slow down" }]'), /field `after`: unknown field "minutes"; after is \{ "messages": N, "seconds": S \}/);
    assert.match(refusal('[{ "on": "MAIL", "delay": -1 }]'), /field `delay`: a delay is a whole number of milliseconds from 0 to 600000, not -1\./);
    assert.match(refusal('[{ "on": "MAIL", "replay": "451 Later" }]'), /field `replay`: unknown field \(a rule has name, on, address/);
    assert.match(refusal('["MAIL"]'), /rule 1 \(line 1\): a rule is an object/);
  });

  it('says what is wrong with the file itself', () => {
    assert.throws(() => parseRules('{ "rules": [ { "on": "MAIL" ', 'rules.json'), (error: Error) => error instanceof RulesError && /^rules\.json line 1: /.test(error.message) && /fix the JSON/.test(error.message));
    assert.throws(() => parseRules('[]', 'rules.json'), /rules\.json: a rules file holds an object with a "rules" list/);
    assert.throws(() => parseRules('{ "rules": [], "version": 2 }', 'rules.json'), /rules\.json: unknown field `version` beside "rules"/);
    assert.deepEqual(parseRules('{ "rules": [] }', 'rules.json'), []);
  });
});
