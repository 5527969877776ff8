// The workspace folder of a .smtp file: where its `{{$file}}` paths must stay
// (analysis/fileConfinement.ts, engine/confineFile.ts). The editor knows its
// workspace folders; the command line takes the file's repository, the
// directory tree a person cloned and means to work in.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isWithin } from '../analysis/fileConfinement';

/** The nearest folder at or above `folder` that holds `.git` (a directory, or a file in a worktree or submodule); null when none does. */
export function repositoryRoot(folder: string): string | null {
  for (let current = resolve(folder); ; current = dirname(current)) {
    if (existsSync(resolve(current, '.git'))) return current;
    if (dirname(current) === current) return null;
  }
}

/**
 * The folder `filePath`'s `{{$file}}` paths must stay in: the deepest of the
 * editor's `workspaceFolders` that holds the file; else the file's
 * repository; else `fallback` (the CLI: the current directory) when it holds
 * the file; else the file's own folder — a root that does not hold the file
 * would refuse its neighbours and admit some other tree.
 */
export function workspaceRootFor(filePath: string, workspaceFolders: readonly string[], fallback: string | null): string {
  const path = resolve(filePath);
  const holding = workspaceFolders.map((folder) => resolve(folder)).filter((folder) => isWithin(folder, path));
  if (holding.length > 0) return holding.reduce((deepest, folder) => (folder.length > deepest.length ? folder : deepest));
  const repository = repositoryRoot(dirname(path));
  if (repository !== null) return repository;
  return fallback !== null && isWithin(resolve(fallback), path) ? resolve(fallback) : dirname(path);
}
