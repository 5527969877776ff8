import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksSmtpUtf8, emptyParameterSpan, emptyPathLayout, equalsUpperCaseAt, nextParameter, parametersStart, readPathArgument } from '../../../server/src/analysis/pathArgument';
import { commandPath } from '../../../server/src/transcript/commandLine';

/** The parts of a MAIL/RCPT sent text as the offsets say: keyword, address, then each parameter as name[=value]. */
function parts(text: string): string[] | null {
  const layout = emptyPathLayout();
  if (!readPathArgument(text, layout)) return null;
  const found = [text.slice(layout.keywordStart, layout.keywordEnd), text.slice(layout.addressStart, layout.addressEnd)];
  const span = emptyParameterSpan();
  for (let from = parametersStart(text, layout); nextParameter(text, from, span); from = span.end) {
    found.push(span.nameEnd < span.end ? `${text.slice(span.start, span.nameEnd)}=${text.slice(span.nameEnd + 1, span.end)}` : text.slice(span.start, span.end));
  }
  return found;
}

/** The same parts from the tree's tokens (transcript/commandLine.ts). */
function treeParts(text: string): string[] | null {
  const { path, parameters } = commandPath(text, 'MAIL', 0, 0);
  if (!path) return null;
  return [path.keyword.text, path.address?.text ?? '', ...parameters.map((p) => (p.value ? `${p.name.text}=${p.value.text}` : p.name.text))];
}

describe('pathArgument: a MAIL or RCPT read by offsets', () => {
  const lines = [
    'MAIL FROM:<a@example.com>',
    'MAIL FROM:<a@example.com> SIZE=10 BODY=8BITMIME',
    'RCPT  to:\t<b@example.org>\t NOTIFY=SUCCESS,FAILURE  ORCPT=rfc822;b@example.org ',
    'MAIL FROM:<"a> b"@example.com> SMTPUTF8',
    'MAIL FROM:a@example.com X=',
    'MAIL FROM:<unclosed X=1',
    'MAIL FROM:',
    'MAIL FROM:   ',
    'MAIL FROM::<a@example.com> =v a==b',
    'MAIL <a@example.com>',
    'MAIL 1FROM:<a@example.com>',
    'MAIL',
    'MAIL    ',
  ];

  it('finds the parts the tree finds, on every shape of line', () => {
    for (const line of lines) assert.deepEqual(parts(line), treeParts(line), line);
  });

  it('reads a value after the first "=" and a parameter with none', () => {
    assert.deepEqual(parts('MAIL FROM:<a@example.com> a==b =v REQUIRETLS'), ['FROM:', '<a@example.com>', 'a==b', '=v', 'REQUIRETLS']);
  });

  it('finds SMTPUTF8 in any case, only as a parameter name', () => {
    assert.equal(asksSmtpUtf8('MAIL FROM:<a@example.com> smtpUtf8'), true);
    assert.equal(asksSmtpUtf8('MAIL FROM:<a@example.com> SIZE=1 SMTPUTF8'), true);
    assert.equal(asksSmtpUtf8('MAIL FROM:<a@example.com> X=SMTPUTF8'), false);
    assert.equal(asksSmtpUtf8('MAIL FROM:<SMTPUTF8@example.com>'), false);
    assert.equal(asksSmtpUtf8('MAIL SMTPUTF8'), false);
    assert.equal(asksSmtpUtf8('MAIL FROM: SMTPUTF8'), false);
  });

  it('compares a part with an upper-case word as upper-casing would', () => {
    assert.equal(equalsUpperCaseAt('xfrom:y', 1, 6, 'FROM:'), true);
    assert.equal(equalsUpperCaseAt('xfrom:y', 1, 5, 'FROM:'), false);
    assert.equal(equalsUpperCaseAt('\u017fize', 0, 4, 'SIZE'), true);
  });
});
