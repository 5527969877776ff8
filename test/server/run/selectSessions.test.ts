import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RunRequestError, selectSessions } from '../../../server/src/run/selectSessions';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const twoSessions = parseTranscript(['### First', 'S: 220 mx', 'C: QUIT', 'S: 221 bye', '### Second', 'S: 220 mx', 'C: QUIT', 'S: 221 bye'].join('\n'));

describe('selectSessions: which sessions a run plays', () => {
  it('plays every session in file order without a choice', () => {
    assert.deepEqual(selectSessions(twoSessions, { kind: 'all' }), [0, 1]);
  });

  it('takes an editor\'s 0-based index', () => {
    assert.deepEqual(selectSessions(twoSessions, { kind: 'index', index: 1 }), [1]);
  });

  it('takes what a person typed: a 1-based number or a session\'s name', () => {
    assert.deepEqual(selectSessions(twoSessions, { kind: 'typed', text: '1' }), [0]);
    assert.deepEqual(selectSessions(twoSessions, { kind: 'typed', text: 'Second' }), [1]);
  });

  it('takes every session whose name a pattern finds (run --grep), never an unnamed one, and may find none', () => {
    const file = parseTranscript(['S: 220 mx', 'C: QUIT', '### Deliver to alice', 'S: 220 mx', '### Relay refused', 'S: 220 mx', '### Deliver to bob', 'S: 220 mx'].join('\n'));
    assert.deepEqual(selectSessions(file, { kind: 'matching', pattern: /^deliver/i }), [1, 3]);
    assert.deepEqual(selectSessions(file, { kind: 'matching', pattern: /e/g }), [1, 2, 3], 'a global pattern is searched from the start of each name');
    assert.deepEqual(selectSessions(file, { kind: 'matching', pattern: /.*/ }), [1, 2, 3]);
    assert.deepEqual(selectSessions(file, { kind: 'matching', pattern: /bounce/ }), []);
  });

  it('names the sessions there are when the typed one is not among them', () => {
    assert.throws(() => selectSessions(twoSessions, { kind: 'typed', text: 'Third' }), (error: unknown) => error instanceof RunRequestError && /No session "Third" in the file; it has: 1 \(First\), 2 \(Second\)\./.test(error.message));
    assert.throws(() => selectSessions(twoSessions, { kind: 'typed', text: '3' }), /No session "3"/);
  });

  it('gives the range of indexes when an index is out of it', () => {
    assert.throws(() => selectSessions(twoSessions, { kind: 'index', index: 2 }), /The file has 2 sessions \(0-based indexes 0 to 1\); there is no session 2\./);
  });

  it('says how to write a session when the file has none', () => {
    assert.throws(() => selectSessions(parseTranscript('# nothing yet\n'), { kind: 'all' }), /The file has no session to run: add C: and S: lines/);
  });
});
