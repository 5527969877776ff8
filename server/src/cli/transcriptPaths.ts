import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo } from './io';

/**
 * The files `check` and `run` work on: files as given, each directory
 * replaced by the `.smtp` files below it (sorted by name, depth first;
 * hidden folders and node_modules skipped). A shell's glob arrives as files.
 */
export function expandPaths(paths: readonly string[], io: CliIo): string[] {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // Reported when reading the file, with the reason.
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = findSmtpFiles(path);
    if (found.length === 0) io.stderr(`smtp-session: no .smtp files in directory ${path}`);
    for (const file of found) files.push(file);
  }
  return files;
}

function findSmtpFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) for (const file of findSmtpFiles(path)) found.push(file);
    else if (entry.isFile() && entry.name.endsWith('.smtp')) found.push(path);
  }
  return found;
}

/** Why a file could not be read, for "cannot read PATH: …". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file (check the path)';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
