import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { resolveRulesFile } from '../../../client/src/localServer/rulesFileSetting';

const workspace = resolve('/work/project');
const home = resolve('/home/alice');

describe('the rules file the local server runs with (smtp.localServer.rules)', () => {
  it('is none when the setting is empty', () => {
    assert.deepEqual(resolveRulesFile('', workspace, home), { path: null });
    assert.deepEqual(resolveRulesFile('  ', null, home), { path: null });
  });

  it('is relative to the workspace folder, and takes absolute paths, ~ and ${workspaceFolder}', () => {
    assert.deepEqual(resolveRulesFile('test/rules.jsonc', workspace, home), { path: join(workspace, 'test', 'rules.jsonc') });
    assert.deepEqual(resolveRulesFile('${workspaceFolder}/faults.json', workspace, home), { path: join(workspace, 'faults.json') });
    assert.deepEqual(resolveRulesFile('~/faults.json', workspace, home), { path: join(home, 'faults.json') });
    assert.deepEqual(resolveRulesFile(resolve('/etc/smtp/rules.json'), null, home), { path: resolve('/etc/smtp/rules.json') });
  });

  it('says what to do when it cannot be resolved', () => {
    assert.match((resolveRulesFile('rules.json', null, home) as { error: string }).error, /"rules\.json"\) is a relative path, but no folder is open/);
    assert.match((resolveRulesFile('${workspaceFolder}/rules.json', null, home) as { error: string }).error, /uses \$\{workspaceFolder\}, but no folder is open/);
    assert.match((resolveRulesFile(3, workspace, home) as { error: string }).error, /must be the path of a rules file, or empty for none/);
  });
});
