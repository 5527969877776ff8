import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getCodeLenses, RECORD_TITLE, RUN_LOCAL_TITLE, RUN_SESSION_TITLE } from '../../../server/src/features/codeLenses';
import { RunSessionCommand } from '../../../server/src/contract/messages';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

describe('getCodeLenses', () => {
  it('puts run, run-local and record above each session, each running the server\'s command for that session', () => {
    const file = parseTranscript(['@server = mx.example.org', '', '### First', 'C: NOOP', 'S: 250', '', '### Second', 'C: QUIT', 'S: 221'].join('\n'));
    const lenses = getCodeLenses(file, 'file:///a.smtp');
    assert.deepEqual(lenses.map((lens) => [lens.range.start.line, lens.command?.title]), [
      [2, RUN_SESSION_TITLE], [2, RUN_LOCAL_TITLE], [2, RECORD_TITLE],
      [6, RUN_SESSION_TITLE], [6, RUN_LOCAL_TITLE], [6, RECORD_TITLE],
    ]);
    assert.ok(lenses.every((lens) => lens.command?.command === RunSessionCommand.command));
    assert.deepEqual(lenses.slice(3).map((lens) => lens.command?.arguments), [
      [{ uri: 'file:///a.smtp', session: 1 }],
      [{ uri: 'file:///a.smtp', session: 1, local: true }],
      [{ uri: 'file:///a.smtp', session: 1, record: true }],
    ]);
  });

  it('has none for a file without a session', () => {
    assert.deepEqual(getCodeLenses(parseTranscript('# notes only\n@server = mx.example.org\n'), 'file:///b.smtp'), []);
  });
});
