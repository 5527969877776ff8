import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialogueStateBefore } from '../../../server/src/analysis/dialogueState';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

describe('dialogueState: what an EHLO reply advertises', () => {
  const file = parseTranscript([
    '### one', 'C: EHLO a', 'S: 250-mx', 'S: 250-SIZE 1000', 'S: 250 AUTH PLAIN', 'C: NOOP', // 0-5
    '### two', 'C: EHLO a', 'S: 250-mx', 'S: 250-SIZE 1000', 'S: 250 AUTH PLAIN', 'C: NOOP', // 6-11
    '### three', 'C: EHLO a', 'S: 250-mx', 'S: 250-SIZE 2000', 'S: 250 AUTH PLAIN', 'C: NOOP', // 12-17
    '### four', 'C: EHLO a', 'S: 250-mx', 'S: 250-SIZE 1000', 'S: 250-AUTH PLAIN', 'S: 250 DSN', 'C: NOOP', // 18-24
  ].join('\n'));
  const advertised = (session: number, line: number) => dialogueStateBefore(file.sessions[session], line).advertised;

  it('reads each reply as it is written, whatever the replies before it', () => {
    assert.deepEqual([...advertised(1, 11)!], [['SIZE', ['1000']], ['AUTH', ['PLAIN']]]);
    assert.deepEqual([...advertised(2, 17)!], [['SIZE', ['2000']], ['AUTH', ['PLAIN']]]);
    assert.deepEqual([...advertised(3, 24)!], [['SIZE', ['1000']], ['AUTH', ['PLAIN']], ['DSN', []]]);
    assert.deepEqual([...advertised(0, 5)!], [['SIZE', ['1000']], ['AUTH', ['PLAIN']]]);
  });

  it('shares one reading between replies of the same lines in a row', () => {
    assert.equal(advertised(0, 5), advertised(1, 11));
    assert.notEqual(advertised(1, 11), advertised(2, 17));
  });
});
