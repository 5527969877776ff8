import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchReply, parseReplyPattern } from '../../../server/src/transcript/replyPattern';

const pattern = (written: string): RegExp => {
  const parsed = parseReplyPattern(written);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.pattern;
};

describe('the pattern of {{$reply /REGEX/}}', () => {
  it('reads a regular expression between slashes, with the flags i, m, s and u', () => {
    assert.deepEqual([pattern('/queued as (\\S+)/').source, pattern('/queued as (\\S+)/').flags], ['queued as (\\S+)', '']);
    assert.equal(pattern(' /ok/imsu ').flags, 'imsu');
    assert.equal(pattern('/a/b/').source, 'a\\/b', 'the last slash closes it');
  });

  it('refuses what is not one, saying what to write', () => {
    const message = (written: string) => {
      const parsed = parseReplyPattern(written);
      assert.equal(parsed.ok, false);
      return parsed.ok ? '' : parsed.message;
    };
    assert.match(message('queued'), /is not a pattern: write it between slashes/);
    assert.match(message('//'), /is empty/);
    assert.match(message('/x/g'), /only the flags i, m, s and u are allowed, each once/);
    assert.match(message('/x/ii'), /each once/);
    assert.equal(message('/(/'), '/(/ is not a valid regular expression: Unterminated group.');
  });

  it('gives the first group that took part, else the whole match, searching every line; null when nothing matches', () => {
    const postfix = ['250 2.0.0 Ok: queued as 4XyZ1'];
    const exim = ['250 OK id=1tQb2c-000abc-XY'];
    const either = pattern('/queued as (\\S+)|id=(\\S+)/');
    assert.equal(matchReply(either, postfix), '4XyZ1');
    assert.equal(matchReply(either, exim), '1tQb2c-000abc-XY');
    assert.equal(matchReply(pattern('/\\d\\.\\d\\.\\d/'), postfix), '2.0.0');
    assert.equal(matchReply(pattern('/^250 SIZE (\\d+)/m'), ['250-mx.example', '250 SIZE 10240000']), '10240000');
    assert.equal(matchReply(pattern('/^250 SIZE/'), ['250-mx.example', '250 SIZE 10240000']), null, 'without m, ^ is the start of the first line only');
    assert.equal(matchReply(pattern('/queued/'), exim), null);
  });
});
