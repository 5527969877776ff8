import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTranscript } from '../transcript/parseTranscript';
import type { Session, TranscriptFile } from '../transcript/ast';
import { visibleVariables } from '../analysis/variableScope';
import { playSession, type SessionResult } from '../engine/playSession';
import type { RunningLocalServer } from '../captureServer/localServer';
import { formatRecording, type RecordedSession } from '../engine/recordTranscript';
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
  const sessions = selectSessions(file, options.get('session'));
  const server = typeof options.get('server') === 'string' ? (options.get('server') as string) : null;

  // Sessions that name no server go to the embedded local server, started only when one needs it.
  let local: RunningLocalServer | null = null;
  const usesLocal = (session: Session) => server === null && !visibleVariables(file, session, Number.MAX_SAFE_INTEGER).has('server');
  const needsLocal = sessions.some(usesLocal);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  const results: SessionResult[] = [];
  try {
    if (needsLocal) {
      // Loaded only when a session needs it: smtp-server and what it pulls in (http, zlib, crypto…) are a good part
      // of the CLI's start-up, which is most of a short run against a real server.
      const { startLocalServer } = await import('../captureServer/localServer.js');
      local = await startLocalServer({ host: '127.0.0.1', port: 0, dir: null });
      if (format === 'text') io.stderr(`No @server in the file: using the embedded local server on 127.0.0.1:${local.port}.`);
    }
    const secrets = cliSecretProvider(process.env, process.stdin.isTTY === true && format === 'text');
    for (const session of sessions) {
      results.push(await playSession(file, session, {
        filePath: path,
        server,
        defaultServer: local ? `127.0.0.1:${local.port}` : null,
        insecure: options.get('insecure') === true,
        // The embedded server's certificate is made at start-up; trusting it lets TLS to it verify like any other.
        trustedCertificates: local?.certificatePem ? [local.certificatePem] : [],
        timeoutSeconds,
        secrets,
        signal: abort.signal,
        record: recordPath !== null,
      }));
      if (abort.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', onSignal);
    await local?.close();
  }
  timings.end('sessions');
  const report: RunReport = { file: path, ok: results.every((result) => result.ok), sessions: results };
  io.stdout(format === 'json' ? runToJson(report) : runToText(report, process.stdout.isTTY === true));
  timings.end('output');
  timings.report(io.stderr);
  if (recordPath !== null) {
    const recorded: RecordedSession[] = results.map((result, i) => ({
      name: result.name, line: result.line, server: result.server !== '' && usesLocal(sessions[i]) ? null : result.server, lines: result.recording ?? [],
    }));
    try {
      writeFileSync(recordPath, formatRecording(recorded, { source: path, recordingPath: recordPath, date: new Date() }));
    } catch (error) {
      io.stderr(`smtp-session: cannot write the recording to ${recordPath}: ${(error as Error).message}`);
      return 2;
    }
    if (format === 'text') io.stderr(`Recorded the dialogue in ${recordPath} (smtp-session check ${recordPath}; smtp-session run ${recordPath} replays it).`);
  }
  if (results.some((result) => result.error !== null)) return 2;
  return report.ok ? 0 : 1;
}

/** `--session 2` (1-based) or `--session "Its name"`; all sessions without it. */
function selectSessions(file: TranscriptFile, choice: string | true | undefined): Session[] {
  if (file.sessions.length === 0) throw new UsageError('The file has no session to run: add C: and S: lines (see docs/format.md).');
  if (choice === undefined) return file.sessions;
  if (choice === true) throw new UsageError('--session needs a number or a name.');
  const index = /^\d+$/.test(choice) ? Number(choice) - 1 : file.sessions.findIndex((session) => session.name === choice);
  const session = file.sessions[index];
  if (!session) {
    const names = file.sessions.map((s, i) => `${i + 1}${s.name ? ` (${s.name})` : ''}`).join(', ');
    throw new UsageError(`No session "${choice}" in the file; it has: ${names}.`);
  }
  return [session];
}
