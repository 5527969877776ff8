import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTranscript } from '../transcript/parseTranscript';
import type { RunningLocalServer } from '../captureServer/localServer';
import { runTranscript, type RunOutcome } from '../run/runTranscript';
import { RunRequestError } from '../run/selectSessions';
import { cliSecretProvider } from './cliSecrets';
import { runToJson, runToText, type RunReport } from './formatRun';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';
import { phaseTimings } from './phaseTimings';

/** `smtp-session run`: 0 when every expectation held, 1 when one did not, 2 when a session could not run. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const timings = phaseTimings(process.env);
  timings.end('start-up');
  const { positionals, options } = parseArguments(args, new Set(['server', 'session', 'timeout', 'format', 'record']), new Set(['insecure']));
  const format = options.get('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be "text" or "json", not "${String(format)}".`);
  if (positionals.length !== 1) throw new UsageError('run takes exactly one .smtp file.');
  const timeoutText = options.get('timeout');
  const timeoutSeconds = typeof timeoutText === 'string' ? Number(timeoutText) : null;
  if (timeoutSeconds !== null && (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)) throw new UsageError(`--timeout must be a number of seconds greater than 0, not "${String(timeoutText)}".`);
  const [path] = positionals;
  const recordPath = typeof options.get('record') === 'string' ? (options.get('record') as string) : null;
  if (recordPath !== null && resolve(recordPath) === resolve(path)) throw new UsageError('--record would overwrite the file being run; give the recording another name.');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    io.stderr(`smtp-session: cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (check the path)' : (error as Error).message}`);
    return 2;
  }
  const file = parseTranscript(text);
  timings.end('parse');
  const choice = options.get('session');
  if (choice === true) throw new UsageError('--session needs a number or a name.');
  const server = typeof options.get('server') === 'string' ? (options.get('server') as string) : null;

  let local: RunningLocalServer | null = null;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  let outcome: RunOutcome;
  try {
    outcome = await runTranscript({
      file,
      filePath: path,
      sessions: choice === undefined ? { kind: 'all' } : { kind: 'typed', text: choice },
      server,
      local: false,
      variables: null,
      insecure: options.get('insecure') === true,
      timeoutSeconds,
      secrets: cliSecretProvider(process.env, process.stdin.isTTY === true && format === 'text'),
      signal: abort.signal,
      recording: recordPath !== null ? { source: path, recordingPath: recordPath } : null,
      captureServer: async () => {
        // Loaded only when a session needs it: smtp-server and what it pulls in (http, zlib, crypto…) are a good part
        // of the CLI's start-up, which is most of a short run against a real server.
        const { startLocalServer } = await import('../captureServer/localServer.js');
        local = await startLocalServer({ host: '127.0.0.1', port: 0, dir: null });
        if (format === 'text') io.stderr(`No @server in the file: using the embedded local server on 127.0.0.1:${local.port}.`);
        return local;
      },
    });
  } catch (error) {
    if (error instanceof RunRequestError) throw new UsageError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    await (local as RunningLocalServer | null)?.close();
  }
  const results = outcome.sessions.map((played) => played.result);
  timings.end('sessions');
  const report: RunReport = { file: path, ok: results.every((result) => result.ok), sessions: results };
  io.stdout(format === 'json' ? runToJson(report) : runToText(report, process.stdout.isTTY === true));
  timings.end('output');
  timings.report(io.stderr);
  if (recordPath !== null && outcome.transcript !== null) {
    try {
      writeFileSync(recordPath, outcome.transcript);
    } catch (error) {
      io.stderr(`smtp-session: cannot write the recording to ${recordPath}: ${(error as Error).message}`);
      return 2;
    }
    if (format === 'text') io.stderr(`Recorded the dialogue in ${recordPath} (smtp-session check ${recordPath}; smtp-session run ${recordPath} replays it).`);
  }
  if (results.some((result) => result.error !== null)) return 2;
  return report.ok ? 0 : 1;
}
