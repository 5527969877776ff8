import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  escapeMarkdown, explainCommand, explainConnectionVariable, explainEhloKeyword, explainEnhancedStatusCode,
  explainParameter, explainReplyCode, explainSaslMechanism, explainSystemFunction, inlineCode,
} from '../../../server/src/features/explain';

function explained(text: string | null): string {
  assert.ok(text !== null, 'expected an explanation');
  return text;
}

describe('explainCommand', () => {
  it('matches verbs without regard to case and gives the reply sets', () => {
    const text = explained(explainCommand('rcpt'));
    assert.match(text, /^\*\*RCPT\*\* — SMTP command/);
    assert.match(text, /Replies: success `250`, `251`; errors /);
  });

  it('is null for a verb no table holds', () => {
    assert.equal(explainCommand('FROB'), null);
  });
});

describe('explainReplyCode', () => {
  it('gives the row, the digits and the client action for a known code', () => {
    const text = explained(explainReplyCode('452'));
    assert.match(text, /^\*\*452\*\* insufficient storage/);
    assert.match(text, /\*\*Transient failure\.\*\* Retry later; after a 452 to RCPT/);
    assert.match(text, /Defined in RFC 5321 §4\.2\.2; see also RFC 5321 §4\.5\.3\.1\.10\./);
  });

  it('falls back on the first digit for a code without a row', () => {
    assert.match(explained(explainReplyCode('559')), /\*\*Permanent failure\.\*\* Do not send the same request again unchanged\./);
  });

  it('reads wildcards in either case', () => {
    assert.match(explained(explainReplyCode('5XX')), /^\*\*5xx\*\* permanent negative completion/);
    assert.match(explained(explainReplyCode('xxx')), /^\*\*xxx\*\* any reply/);
  });

  it('is null for text that is not a reply code', () => {
    for (const code of ['650', '260', '25', 'abc']) assert.equal(explainReplyCode(code), null, code);
  });

  it('escapes markup in table text', () => {
    assert.ok(explained(explainReplyCode('354')).includes('(\\<CRLF\\>.\\<CRLF\\>)'));
  });
});

describe('explainEnhancedStatusCode', () => {
  it('says when a detail is used with a class it is not meant for', () => {
    assert.match(explained(explainEnhancedStatusCode('2.1.1')), /Meant for class 5 only; here it has class 2\./);
    assert.doesNotMatch(explained(explainEnhancedStatusCode('5.1.1')), /Meant for/);
  });

  it('reports unregistered details by class and subject, and unregistered subjects as such', () => {
    assert.match(explained(explainEnhancedStatusCode('4.7.999')), /^\*\*4\.7\.999\*\* persistent transient failure, security or policy[\s\S]*unregistered under this subject/);
    assert.match(explained(explainEnhancedStatusCode('5.9.1')), /subject `9`: unregistered/);
  });

  it('is null for malformed codes', () => {
    for (const code of ['5.1', '3.1.1', '5.01.1', '5.1.1.1']) assert.equal(explainEnhancedStatusCode(code), null, code);
  });
});

describe('explainEhloKeyword, explainParameter, explainSaslMechanism', () => {
  it('lists what a keyword lets the client send', () => {
    const text = explained(explainEhloKeyword('dsn'));
    assert.match(text, /MAIL FROM parameters: `RET`, `ENVID`\.\n- RCPT TO parameters: `NOTIFY`, `ORCPT`\./);
    assert.equal(explainEhloKeyword('FROBNICATE'), null);
  });

  it('knows which command a parameter belongs to', () => {
    assert.match(explained(explainParameter('rcpt', 'orcpt')), /^\*\*ORCPT\*\* — RCPT TO parameter/);
    assert.equal(explainParameter('MAIL', 'ORCPT'), null);
    assert.match(explained(explainParameter('MAIL', 'REQUIRETLS')), /No value: write `REQUIRETLS` alone\./);
  });

  it('warns about mechanisms that send the secret in clear, and names retired ones', () => {
    assert.match(explained(explainSaslMechanism('xoauth2')), /Sends the secret in clear/);
    assert.match(explained(explainSaslMechanism('DIGEST-MD5')), /Does not send the password in clear[\s\S]*Retired by RFC 6331 §1\./);
    assert.equal(explainSaslMechanism('MAGIC'), null);
  });
});

describe('explainSystemFunction and explainConnectionVariable', () => {
  it('describes system variables with their arguments, and says which are never shown', () => {
    assert.match(explained(explainSystemFunction('$prompt')), /^`\{\{\$prompt LABEL\}\}` — system variable[\s\S]*never shown/);
    assert.doesNotMatch(explained(explainSystemFunction('$env')), /never shown/);
    assert.equal(explainSystemFunction('$nope'), null);
  });

  it('gives a connection setting its values', () => {
    assert.match(explained(explainConnectionVariable('tls')), /Value: `none \| implicit`/);
    assert.equal(explainConnectionVariable('sender'), null);
  });
});

describe('markdown helpers', () => {
  it('makes a code span that survives backticks in its text', () => {
    assert.equal(inlineCode('250'), '`250`');
    assert.equal(inlineCode('a`b'), '`` a`b ``');
    assert.equal(inlineCode('a```b`c'), '```` a```b`c ````');
    // 200,000 runs of backticks: counted in one pass, not spread into Math.max.
    assert.ok(inlineCode('`x'.repeat(200_000)).startsWith('`` `x'));
  });

  it('escapes markup characters', () => {
    assert.equal(escapeMarkdown('<a> *b* _c_'), '\\<a\\> \\*b\\* \\_c\\_');
  });
});
