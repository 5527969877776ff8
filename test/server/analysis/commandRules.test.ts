import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSession } from '../../../server/src/analysis/analyzeSession';
import { isEsmtpKeyword, isEsmtpValue } from '../../../server/src/analysis/commandRules';
import { equalsUpperCaseAt } from '../../../server/src/analysis/pathArgument';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** "line code: message" for each problem in the lines (1-based lines). */
function problems(...lines: string[]): string[] {
  const file = parseTranscript(lines.join('\n'));
  return file.sessions.flatMap((session) => analyzeSession(file, session)).map((p) => `${p.range.start.line + 1}:${p.range.start.character} ${p.code}: ${p.message}`);
}

describe('esmtp-keyword and esmtp-value (RFC 5321 §4.1.2), read by char codes', () => {
  it('takes a keyword of letters, digits and hyphens that starts with a letter or digit', () => {
    for (const keyword of ['SIZE', 'mt-priority', '8BITMIME', 'X', '0', 'A--B', 'B-']) assert.equal(isEsmtpKeyword(keyword), true, keyword);
    for (const keyword of ['', '-X', 'A_B', 'A.B', 'SÍZE', '<a@b>', 'A B']) assert.equal(isEsmtpKeyword(keyword), false, keyword);
  });

  it('takes a value of printable ASCII but "=", and any UTF-8 (RFC 6531)', () => {
    for (const value of ['!', '~', '<>', 'a+2Bb', 'jürgen', '\u{1F600}']) assert.equal(isEsmtpValue(value), true, value);
    for (const value of ['', 'a=b', 'a b', 'a\tb', 'a\u007fb', '\u0000']) assert.equal(isEsmtpValue(value), false, JSON.stringify(value));
  });

  it('compares with an upper-case word as upper-casing would, without upper-casing', () => {
    const equalsUpperCase = (text: string, upper: string) => equalsUpperCaseAt(`>${text}<`, 1, text.length + 1, upper);
    assert.equal(equalsUpperCase('from:', 'FROM:'), true);
    assert.equal(equalsUpperCase('FrOm:', 'FROM:'), true);
    assert.equal(equalsUpperCase('FROM;', 'FROM:'), false);
    assert.equal(equalsUpperCase('FRO:', 'FROM:'), false);
    // "{" is not "[" upper-cased: only letters fold.
    assert.equal(equalsUpperCase('{', '['), false);
    assert.equal(equalsUpperCase('\u017fMTPUTF8', 'SMTPUTF8'), true);
  });
});

describe('checkCommand: MAIL and RCPT parameters at the edges of the char-code reading', () => {
  const ehlo = ['C: EHLO a.example', 'S: 250-mx', 'S: 250-SIZE 1000', 'S: 250-DSN', 'S: 250 8BITMIME'];

  it('reads the keyword in any case, and reports a space after it once', () => {
    assert.deepEqual(problems(...ehlo, 'C: MAIL from:<a@example.com>', 'C: RCPT To:<b@example.org>'), []);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:\t<a@example.com>'), [
      '6:14 syntax: No space is allowed after "FROM:" (RFC 5321 §3.3, §4.1.2); many servers answer 501. Write FROM:<a@example.com>.',
    ]);
  });

  it('flags a parameter word that is no keyword, and a value with "=" or a control character', () => {
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> -SIZE=10'), [
      '6:29 syntax: "-SIZE" is not an ESMTP parameter: parameters are KEYWORD or KEYWORD=value, separated by single spaces (RFC 5321 §4.1.2).',
    ]);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> X-TAG=a=b'), [
      '6:35 syntax: The value of X-TAG has characters an esmtp-value cannot hold ("=", spaces or control characters) (RFC 5321 §4.1.2).',
      '6:29 not-advertised: The X-TAG parameter needs the X-TAG extension, which the recorded EHLO reply does not advertise: servers answer 502 or 555 5.5.4. Check the server\'s EHLO reply.',
    ]);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> X-TAG=jürgen'), [
      '6:29 not-advertised: The X-TAG parameter needs the X-TAG extension, which the recorded EHLO reply does not advertise: servers answer 502 or 555 5.5.4. Check the server\'s EHLO reply.',
    ]);
  });

  it('names the extension a parameter needs: BODY by its value, 7BIT none, a lower-case parameter by its upper-case name', () => {
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> body=7bit size=10 BODY=8BITMIME'), []);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> body=binarymime'), [
      '6:29 not-advertised: The BODY parameter needs the BINARYMIME extension, which the recorded EHLO reply does not advertise: servers answer 502 or 555 5.5.4. Check the server\'s EHLO reply.',
    ]);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> requiretls'), [
      '6:29 not-advertised: The REQUIRETLS parameter needs the REQUIRETLS extension, which the recorded EHLO reply does not advertise: servers answer 502 or 555 5.5.4. Check the server\'s EHLO reply.',
    ]);
  });

  it('compares SIZE with the advertised limit only when it is all digits', () => {
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> SIZE=1000'), []);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> SIZE=1001'), [
      '6:34 not-advertised: SIZE=1001 is over the 1000 octets the server advertised: it will answer 552 5.3.4 (RFC 1870 §6).',
    ]);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> SIZE=+1001').map((p) => p.split(':')[0] + ' ' + p.split(' ')[1]), ['6 syntax:']);
  });

  it('lets RCPT carry a UTF-8 address only in a transaction whose MAIL asked for SMTPUTF8, in any case', () => {
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com> smtputf8', 'C: RCPT TO:<jürgen@example.org>').filter((p) => p.includes('syntax')), []);
    assert.deepEqual(problems(...ehlo, 'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<jürgen@example.org>').filter((p) => p.includes('syntax')), [
      '7:11 syntax: Invalid address: the local part "jürgen" has non-ASCII characters, which need SMTPUTF8 on MAIL (RFC 6531) (RFC 5321 §4.1.2).',
    ]);
  });
});
