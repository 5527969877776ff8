import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import type { CommandStep } from '../../../server/src/transcript/ast';

function parse(...lines: string[]) {
  return parseTranscript(lines.join('\n'));
}

describe('the tree built over the line table', () => {
  it('gives each group its own steps, though the parser reuses one waiting list', () => {
    const session = parse('C: EHLO x', 'S: 250 ok', 'C: MAIL FROM:<a@x>', 'C: RCPT TO:<b@x>', 'S: 250 ok', 'S: 250 ok', 'C: QUIT', 'S: 221 bye').sessions[0];
    assert.deepEqual(session.groups.map((group) => group.steps.map((step) => step.line)), [[0], [2, 3], [6]]);
    assert.deepEqual(session.groups.map((group) => group.pipelined), [false, true, false]);
  });

  it('builds the ranges of a session, a body and its end from their line numbers', () => {
    const file = parse('### one', 'C: DATA', 'S: 354 go', 'Subject: x', '', 'C: .', 'S: 250 ok', '# trailing note', '', '### two');
    const [one, two] = file.sessions;
    assert.deepEqual(one.range, { start: { line: 0, character: 0 }, end: { line: 7, character: 15 } });
    assert.deepEqual(two.range, { start: { line: 9, character: 0 }, end: { line: 9, character: 7 } });
    const data = one.steps.find((step): step is CommandStep => step.kind === 'command')!;
    assert.deepEqual(data.body?.range, { start: { line: 3, character: 0 }, end: { line: 5, character: 4 } });
    const end = data.body!.terminator!;
    assert.deepEqual(end.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
    assert.deepEqual(end.prefix?.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 2 } });
    assert.equal(end.reply?.code, '250');
  });
});
