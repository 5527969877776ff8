import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseReplyLine } from '../../../server/src/transcript/replyLine';
import { matchPrefix } from '../../../server/src/transcript/lines';

const prefix = matchPrefix('S: ', 0)!;

function reply(content: string) {
  return parseReplyLine(content, 0, 3, prefix, content.length + 3);
}

describe('parseReplyLine', () => {
  it('reads the code, the separator and the text of the three reply forms', () => {
    assert.deepEqual(['250 ok', '250-ok', '250'].map((c) => [reply(c).replyLine.code?.text, reply(c).replyLine.separator, reply(c).replyLine.text.text]),
      [['250', ' ', 'ok'], ['250', '-', 'ok'], ['250', '', '']]);
    assert.equal(reply('250 ok').problem, null);
  });

  it('reads an enhanced status code only when a space or the end follows it', () => {
    assert.equal(reply('550 5.7.1 denied').replyLine.enhanced?.text, '5.7.1');
    assert.equal(reply('550 5.7.1').replyLine.enhanced?.text, '5.7.1');
    assert.equal(reply('550 5.7.1: denied').replyLine.enhanced, null);
    assert.equal(reply('250 2.1.5 ok').replyLine.text.range.start.character, 13);
  });

  it('accepts x wildcards in codes and enhanced codes', () => {
    const wildcard = reply('5XX 5.x.x any failure');
    assert.equal(wildcard.problem, null);
    assert.equal(wildcard.replyLine.enhanced?.text, '5.x.x');
  });

  it('rejects codes out of range and lines without a code', () => {
    assert.equal(reply('199 too low').problem?.code, 'invalid-reply');
    assert.equal(reply('270 second digit').problem?.code, 'invalid-reply');
    assert.equal(reply('x50 wildcard first').problem?.code, 'invalid-reply');
    const textOnly = reply('Hello there');
    assert.equal(textOnly.problem?.code, 'invalid-reply');
    assert.equal(textOnly.replyLine.code, null);
  });
});
