import { dirname, resolve } from 'node:path';
import { checkTranscript } from '../analysis/checkTranscript';
import { workspaceRootFor } from '../run/workspaceRoot';
import { parseTranscript } from '../transcript/parseTranscript';
import { problemsToJson, problemsToText, type CheckedFile } from './formatProblems';
import { parseArguments, UsageError } from './parseArguments';
import type { CliIo } from './io';
import { readTranscriptFile } from './readTranscriptFile';
import { sizeOption } from './sizeOption';
import { expandPaths } from './transcriptPaths';

const FORMATS = new Set(['text', 'json']);

/** `smtp-session check`: returns the exit status (0 clean, 1 errors found, 2 unreadable input). */
export function checkCommand(args: string[], io: CliIo): number {
  const { positionals, options } = parseArguments(args, new Set(['format', 'max-size']), new Set());
  const maxSize = sizeOption('max-size', options.get('max-size'));
  const format = options.get('format') ?? 'text';
  if (typeof format !== 'string' || !FORMATS.has(format)) throw new UsageError(`--format must be "text" or "json", not "${String(format)}".`);
  if (positionals.length === 0) throw new UsageError('check needs at least one .smtp file or directory.');

  let unreadable = false;
  const checked: CheckedFile[] = [];
  for (const path of expandPaths(positionals, io)) {
    const read = readTranscriptFile(path, maxSize);
    if (!read.ok) {
      unreadable = true;
      io.stderr(`smtp-session: cannot read ${path}: ${read.message}`);
      continue;
    }
    // As `run` would confine it: a `{{$file}}` outside the file's repository (or the current directory) is reported.
    const fileLocation = { base: dirname(resolve(path)), root: workspaceRootFor(path, [], process.cwd()) };
    checked.push({ file: path, problems: checkTranscript(parseTranscript(read.text), { fileLocation }) });
  }
  io.stdout(format === 'json' ? problemsToJson(checked) : problemsToText(checked));
  if (unreadable) return 2;
  return checked.some(({ problems }) => problems.some((problem) => problem.severity === 'error')) ? 1 : 0;
}
