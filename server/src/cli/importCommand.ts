import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_MAX_FILE_SIZE, readTranscriptFile } from './readTranscriptFile';
import { resolve } from 'node:path';
import { checkTranscript } from '../analysis/checkTranscript';
import { IMPORT_FROM_NAMES, importTranscript, type ImportFrom } from '../import/importTranscript';
import { parseTranscript } from '../transcript/parseTranscript';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';

/**
 * `smtp-session import`: a transcript someone already has (swaks output, a
 * >>>/<<< log, a telnet/nc/openssl session, an RFC example) as a `.smtp`
 * file, on stdout or in --output. Says on stderr what it read and what
 * `check` thinks of the result. 0 when converted, 2 when nothing could be.
 */
export function importCommand(args: string[], io: CliIo, readStdin: () => string = () => readFileSync(0, 'utf8')): number {
  const { positionals, options } = parseArguments(args.map((arg) => (arg === '-o' ? '--output' : arg)), new Set(['from', 'output']), new Set());
  const from = options.get('from') ?? 'auto';
  if (typeof from !== 'string' || !(IMPORT_FROM_NAMES as readonly string[]).includes(from)) throw new UsageError(`--from must be one of ${IMPORT_FROM_NAMES.join(', ')}, not "${String(from)}".`);
  if (positionals.length !== 1) throw new UsageError('import takes exactly one file to convert, or - for standard input.');
  const [path] = positionals;
  const output = typeof options.get('output') === 'string' ? (options.get('output') as string) : null;
  if (output !== null && path !== '-' && resolve(output) === resolve(path)) throw new UsageError('--output would overwrite the transcript being imported; give the .smtp file another name.');
  const name = path === '-' ? 'standard input' : path;
  let text: string;
  if (path === '-') {
    try {
      text = readStdin();
    } catch (error) {
      io.stderr(`smtp-session: cannot read ${name}: ${(error as Error).message}`);
      return 2;
    }
  } else {
    // A regular file only, within the size limit, decoded like every file the CLI reads (a FIFO would wait forever).
    const read = readTranscriptFile(path, DEFAULT_MAX_FILE_SIZE, 'the log or transcript to convert (or - for standard input)');
    if (!read.ok) {
      io.stderr(`smtp-session: cannot read ${name}: ${read.message}`);
      return 2;
    }
    text = read.text;
  }
  const result = importTranscript(text, { from: from as ImportFrom });
  if (!result.ok) {
    io.stderr(`smtp-session: ${name}: ${result.message}`);
    return 2;
  }
  if (output === null) {
    io.stdout(result.text.replace(/\n$/, ''));
  } else {
    try {
      writeFileSync(output, result.text);
    } catch (error) {
      io.stderr(`smtp-session: cannot write ${output}: ${(error as Error).message}`);
      return 2;
    }
  }
  io.stderr(`smtp-session: read ${name} as ${describeFormat(result.format)} (${result.dialogueLines} dialogue lines)${output ? ` into ${output}` : ''}; ${describeCheck(result.text)}`);
  return 0;
}

function describeFormat(format: string): string {
  return { swaks: 'swaks output', arrows: 'a >>>/<<< log', telnet: 'a telnet/nc/openssl session', rfc: 'an RFC-style transcript' }[format] ?? format;
}

/** What `check` says of the result, so a problem the original had is seen at once. */
function describeCheck(text: string): string {
  const problems = checkTranscript(parseTranscript(text));
  const count = (severity: string) => problems.filter((problem) => problem.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  if (errors + warnings === 0) return 'check finds no error or warning in it.';
  const parts = [errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `check finds ${parts.join(' and ')} in it (run smtp-session check on it for where).`;
}
