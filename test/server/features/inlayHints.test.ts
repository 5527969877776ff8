import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getInlayHints } from '../../../server/src/features/inlayHints';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const EVERYTHING = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

/** Hints as `line:character label`, the label's padding checked on the way. */
function hints(lines: string[], range = EVERYTHING): string[] {
  return getInlayHints(parseTranscript(lines.join('\n')), range).map((hint) => {
    assert.equal(hint.paddingLeft, true);
    return `${hint.position.line}:${hint.position.character} ${String(hint.label)}`;
  });
}

describe('getInlayHints', () => {
  it('puts the short meaning after the code of each reply, on its first line only', () => {
    assert.deepEqual(hints([
      'S: 220 mx.example.org ESMTP',
      'C: EHLO client.example.com',
      'S: 250-mx.example.org',
      'S: 250-PIPELINING',
      'S: 250 SIZE 35882577',
      'C: RCPT TO:<nobody@example.org>',
      'Server: 550 5.1.1 No such user',
    ]), ['0:6 service ready', '2:6 action completed', '6:11 mailbox unavailable']);
  });

  it('describes wildcards and unknown codes from their digits, and skips malformed ones', () => {
    assert.deepEqual(hints(['C: NOOP', 'S: 2xx', 'C: NOOP', 'S: 259 odd', 'C: NOOP', 'S: 650 no such class']), [
      '1:6 positive completion',
      '3:6 positive completion, mail system',
    ]);
  });

  it('shows a 334 challenge decoded at the end of its line', () => {
    assert.deepEqual(hints(['C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: YWxpY2U=', 'S: 334 UGFzc3dvcmQ6']), [
      '1:6 authentication challenge',
      '1:19 "Username:"',
      '3:6 authentication challenge',
      '3:19 "Password:"',
    ]);
  });

  it('leaves binary and malformed challenges undecoded', () => {
    assert.deepEqual(hints(['C: AUTH GSSAPI', 'S: 334 AAECAw==', 'C: AUTH LOGIN', 'S: 334 not base64']).filter((hint) => hint.includes('"')), []);
  });

  it('never decodes what the client sends', () => {
    const labels = hints(['C: AUTH PLAIN AGFsaWNlAHNlY3JldA==', 'S: 235 ok', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: YWxpY2U=', 'S: 334 UGFzc3dvcmQ6', 'C: c2VjcmV0']);
    assert.ok(labels.every((label) => !/alice|secret/.test(label)), labels.join(', '));
  });

  it('only returns hints for lines inside the range', () => {
    const lines = ['S: 220 mx', 'C: NOOP', 'S: 250 ok', 'C: QUIT', 'S: 221 bye'];
    assert.deepEqual(hints(lines, { start: { line: 1, character: 0 }, end: { line: 3, character: 0 } }), ['2:6 action completed']);
  });

  it('gives the one-line meaning as a tooltip for known codes', () => {
    const [hint] = getInlayHints(parseTranscript('S: 554 no service here'), EVERYTHING);
    assert.match(String(hint.tooltip), /The transaction failed/);
  });
});

describe('getInlayHints: LMTP', () => {
  it('names the recipient each reply after the data is about', () => {
    const found = hints(['C: LHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<pat@foo.edu>', 'C: RCPT TO:<green@foo.edu>', 'C: DATA', 'x', '.', 'S: 250 OK', 'S: 452 over quota']);
    assert.deepEqual(found.filter((hint) => hint.includes('for <')), ['7:9 for <pat@foo.edu>', '8:17 for <green@foo.edu>']);
  });
});
