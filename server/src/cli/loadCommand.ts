import { parseTranscript } from '../transcript/parseTranscript';
import type { RunningLocalServer } from '../captureServer/localServer';
import { runLoad, type LoadReport } from '../run/loadTest';
import { RunRequestError } from '../run/selectSessions';
import { workspaceRootFor } from '../run/workspaceRoot';
import { cliSecretProvider } from './cliSecrets';
import { loadToText, progressLine } from './formatLoad';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';
import { readTranscriptFile } from './readTranscriptFile';

const VALUED = new Set(['server', 'session', 'connections', 'count', 'duration', 'rate', 'timeout', 'format']);

/**
 * `smtp-session load FILE`: one session played repeatedly over several
 * connections; 0 when every session met every expectation, 1 when one did
 * not, 2 when sessions could not be played (or a usage error).
 */
export async function loadCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals, options } = parseArguments(args, VALUED, new Set(['insecure']));
  const text = (name: string): string | null => {
    const value = options.get(name);
    return typeof value === 'string' ? value : null;
  };
  if (positionals.length !== 1) throw new UsageError('load takes exactly one .smtp file.');
  const format = text('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be "text" or "json", not "${format}".`);
  const connections = whole('connections', text('connections') ?? '1', 1, 1000);
  const count = text('count') === null ? null : whole('count', text('count')!, 1, Number.MAX_SAFE_INTEGER);
  const duration = text('duration') === null ? null : positive('duration', text('duration')!);
  if ((count === null) === (duration === null)) throw new UsageError('load needs --count N (sessions in all) or --duration SECONDS, one of the two.');
  const rate = text('rate') === null ? null : positive('rate', text('rate')!);
  const timeoutSeconds = text('timeout') === null ? null : positive('timeout', text('timeout')!);

  const [path] = positionals;
  const read = readTranscriptFile(path);
  if (!read.ok) {
    io.stderr(`smtp-session: cannot read ${path}: ${read.message}`);
    return 2;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  let local: RunningLocalServer | null = null;
  const live = format === 'text' && process.stderr.isTTY === true;
  let report: LoadReport;
  try {
    report = await runLoad({
      file: parseTranscript(read.text),
      filePath: path,
      workspaceRoot: workspaceRootFor(path, [], process.cwd()),
      session: text('session') === null ? { kind: 'all' } : { kind: 'typed', text: text('session')! },
      server: text('server'),
      local: false,
      variables: null,
      connections,
      count,
      durationSeconds: duration,
      rate,
      insecure: options.get('insecure') === true,
      timeoutSeconds,
      secrets: cliSecretProvider(process.env, false),
      signal: abort.signal,
      captureServer: async () => {
        const { startLocalServer } = await import('../captureServer/localServer.js');
        local = await startLocalServer({ host: '127.0.0.1', port: 0, dir: null });
        if (format === 'text') io.stderr(`The session names no @server: loading the embedded local server on 127.0.0.1:${local.port}.`);
        return local;
      },
    }, live ? (progress) => process.stderr.write(`\r\x1b[2K${progressLine(progress)}`) : undefined);
  } catch (error) {
    if (error instanceof RunRequestError) throw new UsageError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    if (live) process.stderr.write('\n');
    await (local as RunningLocalServer | null)?.close();
  }
  io.stdout(format === 'json' ? JSON.stringify(report, null, 2) : loadToText(report));
  if (report.sessions.errored > 0) return 2;
  return report.sessions.failed > 0 || report.cancelled ? 1 : 0;
}

function whole(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return number;
}

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new UsageError(`--${name} must be a number greater than 0, not "${value}".`);
  return number;
}
