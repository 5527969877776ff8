import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { resolveInboxFolder } from '../../../client/src/localServer/inboxFolder';

const context = { globalStorageFolder: resolve('/storage/smtp-session'), workspaceFolder: resolve('/work/project'), homeFolder: resolve('/home/alice') };

describe('the folder the local server saves messages in', () => {
  it('is the extension storage\'s inbox/ when the setting is empty', () => {
    assert.deepEqual(resolveInboxFolder('', context), { dir: join(context.globalStorageFolder, 'inbox') });
    assert.deepEqual(resolveInboxFolder('  ', context), { dir: join(context.globalStorageFolder, 'inbox') });
  });

  it('is kept in memory when that storage is not a local folder', () => {
    assert.deepEqual(resolveInboxFolder('', { ...context, globalStorageFolder: null }), { dir: null });
  });

  it('takes absolute paths, ~ and ${workspaceFolder}', () => {
    assert.deepEqual(resolveInboxFolder(resolve('/var/mail/smtp'), context), { dir: resolve('/var/mail/smtp') });
    assert.deepEqual(resolveInboxFolder('~/inbox', context), { dir: join(context.homeFolder, 'inbox') });
    assert.deepEqual(resolveInboxFolder('${workspaceFolder}/.inbox', context), { dir: join(context.workspaceFolder, '.inbox') });
  });

  it('resolves a relative path against the workspace folder', () => {
    assert.deepEqual(resolveInboxFolder('mail/out', context), { dir: join(context.workspaceFolder, 'mail', 'out') });
  });

  it('explains what to do when a relative path has no folder to resolve against', () => {
    const result = resolveInboxFolder('mail', { ...context, workspaceFolder: null });
    assert.ok('error' in result);
    assert.match(result.error, /relative path.*no folder is open.*absolute path/);
    const variable = resolveInboxFolder('${workspaceFolder}/x', { ...context, workspaceFolder: null });
    assert.ok('error' in variable);
    assert.match(variable.error, /uses \$\{workspaceFolder\}/);
  });
});
