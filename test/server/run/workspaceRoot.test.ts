import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot, workspaceRootFor } from '../../../server/src/run/workspaceRoot';

let top: string;
before(() => {
  top = realpathSync(mkdtempSync(join(tmpdir(), 'smtp-session-root-')));
  mkdirSync(join(top, 'repo', '.git'), { recursive: true });
  mkdirSync(join(top, 'repo', 'mail', 'deep'), { recursive: true });
  mkdirSync(join(top, 'worktree', 'mail'), { recursive: true });
  writeFileSync(join(top, 'worktree', '.git'), 'gitdir: /elsewhere/.git/worktrees/w\n'); // a worktree's .git is a file
  mkdirSync(join(top, 'loose', 'mail'), { recursive: true });
});
after(() => rmSync(top, { recursive: true, force: true }));

describe('workspaceRootFor', () => {
  it('is the deepest editor workspace folder that holds the file', () => {
    const file = join(top, 'repo', 'mail', 'deep', 'a.smtp');
    assert.equal(workspaceRootFor(file, [join(top, 'repo'), join(top, 'repo', 'mail'), join(top, 'loose')], null), join(top, 'repo', 'mail'));
  });

  it('is the nearest folder with .git (a directory, or a worktree\'s file) when no workspace folder holds the file', () => {
    assert.equal(workspaceRootFor(join(top, 'repo', 'mail', 'deep', 'a.smtp'), [join(top, 'loose')], null), join(top, 'repo'));
    assert.equal(workspaceRootFor(join(top, 'worktree', 'mail', 'a.smtp'), [], null), join(top, 'worktree'));
    assert.equal(repositoryRoot(join(top, 'loose', 'mail')), null);
  });

  it('outside any repository: the current directory when it holds the file, else the file\'s own folder', () => {
    const file = join(top, 'loose', 'mail', 'a.smtp');
    assert.equal(workspaceRootFor(file, [], join(top, 'loose')), join(top, 'loose'));
    assert.equal(workspaceRootFor(file, [], join(top, 'repo')), join(top, 'loose', 'mail'), 'a current directory elsewhere would refuse the file\'s neighbours and admit another tree');
    assert.equal(workspaceRootFor(file, [], null), join(top, 'loose', 'mail'));
  });
});
