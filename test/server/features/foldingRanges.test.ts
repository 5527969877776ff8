import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getFoldingRanges } from '../../../server/src/features/foldingRanges';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function folds(...lines: string[]) {
  return getFoldingRanges(parseTranscript(lines.join('\n'))).map((r) => `${r.startLine}-${r.endLine}${r.kind ? ` ${r.kind}` : ''}`);
}

describe('getFoldingRanges', () => {
  it('folds sessions, multi-line replies and bodies', () => {
    assert.deepEqual(folds(
      '### one',            // 0
      'C: EHLO a',          // 1
      'S: 250-mx',          // 2
      'S: 250 SIZE 10',     // 3
      'C: DATA',            // 4
      'S: 354 go',          // 5
      'Subject: x',         // 6
      '.',                  // 7
      '### two',            // 8
      'C: QUIT',            // 9
    ), ['0-7', '2-3', '4-7', '8-9']);
  });

  it('folds runs of two or more comment lines, not single ones', () => {
    assert.deepEqual(folds('# a', '# b', '// c', 'C: NOOP', '# lone', 'C: QUIT'), ['0-5', '0-2 comment']);
  });

  it('does not fold one-line replies or sessions', () => {
    assert.deepEqual(folds('### only', 'C: QUIT', 'S: 221 bye').filter((f) => f !== '0-2'), []);
  });
});
