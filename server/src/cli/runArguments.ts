import { extname } from 'node:path';
import type { SessionSelector } from '../run/selectSessions';
import { parseArguments, UsageError } from './parseArguments';
import { sizeOption } from './sizeOption';

export type RunFormat = 'text' | 'json' | 'junit';

/** `smtp-session run`'s command line, checked: every mistake is a UsageError that says what to write instead. */
export interface RunArguments {
  paths: string[];
  format: RunFormat;
  /** `--report FILE`: the JSON or JUnit report also written there (by its extension), whatever the terminal shows. */
  report: { path: string; format: 'json' | 'junit' } | null;
  server: string | null;
  sessions: SessionSelector;
  insecure: boolean;
  timeoutSeconds: number | null;
  recordPath: string | null;
  bail: boolean;
  parallel: number;
  /** `--env NAME`: read from the workspace settings by the caller. */
  environment: string | null;
  /** `--var name=value`, in order (a later one wins). */
  variables: Record<string, string>;
  /** `--max-size N`: the largest file read (readTranscriptFile.ts); undefined for its default. */
  maxSize: number | undefined;
}

const VALUED = new Set(['server', 'session', 'timeout', 'format', 'record', 'report', 'parallel', 'grep', 'env', 'var', 'max-size']);
const FLAGS = new Set(['insecure', 'bail']);
const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;

export function parseRunArguments(args: string[]): RunArguments {
  const { positionals, options, allValues } = parseArguments(args, VALUED, FLAGS);
  const text = (name: string): string | null => {
    const value = options.get(name);
    return typeof value === 'string' ? value : null;
  };
  if (positionals.length === 0) throw new UsageError('run needs at least one .smtp file or directory.');
  const format = text('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'junit') throw new UsageError(`--format must be "text", "json" or "junit", not "${format}".`);

  const timeoutText = text('timeout');
  const timeoutSeconds = timeoutText === null ? null : Number(timeoutText);
  if (timeoutSeconds !== null && (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)) throw new UsageError(`--timeout must be a number of seconds greater than 0, not "${timeoutText}".`);

  const parallelText = text('parallel') ?? '1';
  const parallel = Number(parallelText);
  if (!/^\d+$/.test(parallelText) || parallel < 1 || parallel > 64) throw new UsageError(`--parallel must be a whole number of files from 1 to 64, not "${parallelText}".`);

  const session = text('session');
  const grep = text('grep');
  if (session !== null && grep !== null) throw new UsageError('--session and --grep both choose sessions; give one of them.');
  let sessions: SessionSelector = { kind: 'all' };
  if (session !== null) sessions = { kind: 'typed', text: session };
  if (grep !== null) {
    try {
      sessions = { kind: 'matching', pattern: new RegExp(grep, 'i') };
    } catch (error) {
      throw new UsageError(`--grep "${grep}" is not a valid regular expression: ${(error as Error).message}.`);
    }
  }

  const reportPath = text('report');
  let report: RunArguments['report'] = null;
  if (reportPath !== null) {
    const extension = extname(reportPath).toLowerCase();
    if (extension === '.json') report = { path: reportPath, format: 'json' };
    else if (extension === '.xml') report = { path: reportPath, format: 'junit' };
    else throw new UsageError(`--report ${reportPath}: name the file .json for the JSON report or .xml for JUnit XML.`);
  }

  const recordPath = text('record');
  if (recordPath !== null && positionals.length > 1) throw new UsageError('--record writes one file\'s dialogue: run one .smtp file with it.');

  const variables: Record<string, string> = {};
  for (const assignment of allValues.get('var') ?? []) {
    const equals = assignment.indexOf('=');
    const name = equals === -1 ? assignment : assignment.slice(0, equals);
    if (equals === -1 || !VARIABLE_NAME.test(name)) {
      throw new UsageError(`--var "${assignment}": write --var name=value (a name of letters, digits, _, . and -, starting with a letter or _).`);
    }
    variables[name] = assignment.slice(equals + 1);
  }

  return {
    paths: positionals,
    format,
    report,
    server: text('server'),
    sessions,
    insecure: options.get('insecure') === true,
    timeoutSeconds,
    recordPath,
    bail: options.get('bail') === true,
    parallel,
    environment: text('env'),
    variables,
    maxSize: sizeOption('max-size', options.get('max-size')),
  };
}
