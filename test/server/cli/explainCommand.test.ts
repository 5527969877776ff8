import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { markdownToText } from '../../../server/src/cli/explainCommand';
import { runCli } from '../../../server/src/cli/runCli';

function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('smtp-session explain', () => {
  it('explains a reply code with its enhanced status code, as plain text', () => {
    const result = run('explain', '550', '5.1.1');
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^550 mailbox unavailable\n/);
    assert.match(result.stdout, /\n5\.1\.1 Bad destination mailbox address\n/);
    assert.doesNotMatch(result.stdout, /\*\*|`/);
    assert.equal(result.stderr, '');
  });

  it('notes when the enhanced code\'s class disagrees with the reply code', () => {
    assert.match(run('explain', '250', '5.1.1').stdout, /5\.1\.1 has class 5 but reply 250 has class 2; they must agree \(RFC 2034 §4\)/);
    assert.doesNotMatch(run('explain', '550', '5.1.1').stdout, /must agree/);
  });

  it('explains an enhanced status code alone, and wildcards', () => {
    assert.match(run('explain', '5.7.1').stdout, /^5\.7\.1 Delivery not authorized, message refused/);
    assert.match(run('explain', '2xx').stdout, /^2xx positive completion/);
  });

  it('explains verbs, keywords and mechanisms, every meaning of a word that has several', () => {
    assert.match(run('explain', 'mail').stdout, /^MAIL — SMTP command\n\nMAIL FROM:<reverse-path> \[SP mail-parameters\]/);
    assert.match(run('explain', 'PIPELINING').stdout, /^PIPELINING — EHLO keyword/);
    assert.match(run('explain', 'PLAIN').stdout, /^PLAIN — SASL mechanism/);
    const auth = run('explain', 'AUTH').stdout;
    for (const heading of ['AUTH — SMTP extension command', 'AUTH — EHLO keyword', 'AUTH — MAIL FROM parameter']) assert.ok(auth.includes(heading), heading);
    assert.match(run('explain', 'BODY=8BITMIME').stdout, /^BODY — MAIL FROM parameter/);
    assert.match(run('explain', '$secret').stdout, /^\{\{\$secret NAME\}\} — system variable/);
    assert.match(run('explain', '@timeout').stdout, /^@timeout — connection setting/);
  });

  it('exits 2 and says what it accepts for input it does not know', () => {
    for (const args of [['explain'], ['explain', 'FROBNICATE'], ['explain', '650'], ['explain', '5.1'], ['explain', 'MAIL', '5.1.1'], ['explain', '550', '5.1.1', 'x'], ['explain', '--verbose', '550']]) {
      const result = run(...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
      assert.match(result.stderr, /^smtp-session: .+\nRun "smtp-session --help" for usage\.$/, args.join(' '));
    }
    assert.match(run('explain', 'FROBNICATE').stderr, /Nothing is known about "FROBNICATE"\. Give a reply code \(550, 2xx\)/);
    assert.match(run('explain', '5.1').stderr, /three parts/);
  });

  it('is listed in --help', () => {
    assert.match(run('--help').stdout, /smtp-session explain CODE \[ENHANCED\]/);
  });
});

describe('markdownToText', () => {
  it('drops code fences, bold markers and escapes', () => {
    assert.equal(markdownToText('**MAIL** `FROM:<a>` \\<CRLF\\> `` a`b ``'), 'MAIL FROM:<a> <CRLF> a`b');
  });
});
