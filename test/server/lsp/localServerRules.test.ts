// The editor's smtp.localServer.rules over a real LSP connection to
// dist/server.js: the embedded server a run starts follows the rules file the
// settings name, the Start command takes one too, and a file with a mistake
// stops the start with an error naming the rule and the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseError } from 'vscode-languageserver/node';
import { StartLocalServerCommand, StopLocalServerCommand, type LocalServerStatus } from '../../../server/src/contract/messages';
import { Harness, TIMEOUT } from './lspHarness';

const BOUNCE = [
  'S: 220',
  'C: EHLO client.example',
  'S: 250',
  'C: MAIL FROM:<alice@example.com>',
  'S: 250',
  'C: RCPT TO:<gone@bounce.example>',
  'S: 550 5.1.1',
  'C: QUIT',
  'S: 221',
].join('\n');

describe('the embedded server\'s rules file from the editor', () => {
  let harness: Harness;
  let folder: string;
  let rulesSetting = '';

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'smtp-editor-rules-'));
    writeFileSync(join(folder, 'bounce.jsonc'), '// a bouncing domain\n{ "rules": [ { "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.1 User unknown" } ] }\n');
    writeFileSync(join(folder, 'broken.json'), '{ "rules": [\n  { "on": "RCPT", "every": 2, "reply": "650 Nope" }\n] }\n');
    harness = new Harness('process', null);
    harness.answerConfiguration((item) => (item.section === 'smtp.localServer' ? { port: 0, folder: '', rules: rulesSetting } : null));
    await harness.initialize({ workspace: { configuration: true } });
    await harness.open('file:///bounce.smtp', BOUNCE);
  });

  after(async () => {
    await harness.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs against a server that follows the rules file the settings name', TIMEOUT, async () => {
    rulesSetting = join(folder, 'bounce.jsonc');
    const result = await harness.run({ uri: 'file:///bounce.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    await harness.execute(StopLocalServerCommand.command);
    rulesSetting = '';
    const without = await harness.run({ uri: 'file:///bounce.smtp' });
    assert.equal(without.ok, false, 'without rules the recipient is accepted');
    await harness.execute(StopLocalServerCommand.command);
  });

  it('does not start with a rules file that has a mistake, and says which rule and field', TIMEOUT, async () => {
    const error = await harness.execute<LocalServerStatus>(StartLocalServerCommand.command, { rules: join(folder, 'broken.json') }).then(() => assert.fail('started'), (failure: unknown) => failure);
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.message, 'The embedded local SMTP server could not start: broken.json rule 1 (line 2): field `reply`: code 650 is not a reply code (use 200–599). Fix the rules file, or change the setting smtp.localServer.rules.');
    const started = await harness.execute<LocalServerStatus>(StartLocalServerCommand.command, { rules: join(folder, 'bounce.jsonc') });
    assert.ok(started.running);
    await harness.execute(StopLocalServerCommand.command);
  });
});
