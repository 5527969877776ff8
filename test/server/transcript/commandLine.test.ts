import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandLine } from '../../../server/src/transcript/commandLine';

describe('parseCommandLine', () => {
  it('reads the verb alone', () => {
    const quit = parseCommandLine('quit', 0, 3);
    assert.equal(quit.verbName, 'QUIT');
    assert.equal(quit.argument, null);
    assert.deepEqual(quit.words, []);
  });

  it('splits words on spaces and tabs, with columns offset by the prefix', () => {
    const { words } = parseCommandLine('BDAT\t86  LAST', 2, 3);
    assert.deepEqual(words.map((w) => [w.text, w.range.start.character]), [['86', 8], ['LAST', 12]]);
  });

  it('reads RCPT paths and KEY=VALUE parameters, value ranges after the "="', () => {
    const rcpt = parseCommandLine('RCPT TO:<b@example.org> NOTIFY=NEVER', 0, 0);
    assert.equal(rcpt.path?.keyword.text, 'TO:');
    assert.equal(rcpt.parameters[0].value?.range.start.character, 31);
  });

  it('does not read paths for other verbs', () => {
    assert.equal(parseCommandLine('VRFY TO:<b@example.org>', 0, 0).path, null);
  });

  it('takes an unbracketed path up to the next space', () => {
    const mail = parseCommandLine('MAIL FROM:a@example.com SIZE=5', 0, 0);
    assert.equal(mail.path?.address?.text, 'a@example.com');
    assert.deepEqual(mail.parameters.map((p) => p.name.text), ['SIZE']);
  });
});
