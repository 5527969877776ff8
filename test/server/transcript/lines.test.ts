import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lineStarts, matchBodyPrefix, matchPrefix, splitLines, utf8Length } from '../../../server/src/transcript/lines';

describe('lines', () => {
  it('splits on LF and CRLF but keeps a lone CR', () => {
    assert.deepEqual(splitLines('a\r\nb\nc\rd\n'), ['a', 'b', 'c\rd', '']);
  });

  it('matches prefixes after indentation, and one optional space', () => {
    const match = matchPrefix('  Server:  250 ok', 0);
    assert.equal(match?.prefix.side, 'server');
    assert.deepEqual(match?.prefix.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 9 } });
    assert.equal(match?.contentStart, 10);
    assert.equal(matchPrefix('Subject: x', 0), null);
    assert.equal(matchPrefix('CC: x', 0), null);
  });

  it('matches only a client prefix in the first column inside a body', () => {
    assert.equal(matchBodyPrefix(' C: indented', 0), null);
    assert.equal(matchBodyPrefix('S: text', 0), null);
    assert.equal(matchBodyPrefix('client:x', 0)?.contentStart, 7);
  });

  it('counts UTF-8 octets', () => {
    assert.equal(utf8Length('abc'), 3);
    assert.equal(utf8Length('é'), 2);
    assert.equal(utf8Length('€'), 3);
    assert.equal(utf8Length('😀'), 4);
    assert.equal(utf8Length('\ud800'), 3);
  });

  it('finds where each line starts, and one past the end, however short the lines are', () => {
    assert.deepEqual([...lineStarts('')], [0, 1]);
    assert.deepEqual([...lineStarts('ab\r\ncd\n')], [0, 4, 7, 8]);
    const newlines = '\n'.repeat(100);
    assert.deepEqual([...lineStarts(newlines)], Array.from({ length: 102 }, (_, i) => i));
  });
});
