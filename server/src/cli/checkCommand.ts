import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../analysis/checkTranscript';
import { parseTranscript } from '../transcript/parseTranscript';
import { problemsToJson, problemsToText, type CheckedFile } from './formatProblems';
import { parseArguments, UsageError } from './parseArguments';
import type { CliIo } from './io';

const FORMATS = new Set(['text', 'json']);

/** `smtp-session check`: returns the exit status (0 clean, 1 errors found, 2 unreadable input). */
export function checkCommand(args: string[], io: CliIo): number {
  const { positionals, options } = parseArguments(args, new Set(['format']), new Set());
  const format = options.get('format') ?? 'text';
  if (typeof format !== 'string' || !FORMATS.has(format)) throw new UsageError(`--format must be "text" or "json", not "${String(format)}".`);
  if (positionals.length === 0) throw new UsageError('check needs at least one .smtp file or directory.');

  let unreadable = false;
  const checked: CheckedFile[] = [];
  for (const path of expandPaths(positionals, io)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      unreadable = true;
      io.stderr(`smtp-session: cannot read ${path}: ${describeFsError(error)}`);
      continue;
    }
    checked.push({ file: path, problems: checkTranscript(parseTranscript(text)) });
  }
  io.stdout(format === 'json' ? problemsToJson(checked) : problemsToText(checked));
  if (unreadable) return 2;
  return checked.some(({ problems }) => problems.some((problem) => problem.severity === 'error')) ? 1 : 0;
}

/** Files as given; directories replaced by the .smtp files below them, in a stable order. */
function expandPaths(paths: string[], io: CliIo): string[] {
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
    files.push(...found);
  }
  return files;
}

function findSmtpFiles(directory: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(directory, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) found.push(...findSmtpFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.smtp')) found.push(path);
  }
  return found;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file (check the path)';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
