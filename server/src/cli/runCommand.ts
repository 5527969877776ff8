import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isatty } from 'node:tty';
import type { RunningLocalServer } from '../captureServer/localServer';
import type { CaptureServerAddress } from '../run/runTranscript';
import { workspaceRootFor } from '../run/workspaceRoot';
import { cliSecretProvider } from './cliSecrets';
import { fileToText, paintFor, runToJson, summaryToText, type RunReport } from './formatRun';
import { runToJunit } from './formatJunit';
import type { CliIo } from './io';
import { UsageError } from './parseArguments';
import { phaseTimings } from './phaseTimings';
import { parseRunArguments, type RunArguments } from './runArguments';
import { runFiles } from './runFiles';
import { exitStatus, summarize } from './runSummary';
import { expandPaths } from './transcriptPaths';
import { readEnvironment } from './workspaceEnvironments';

/** `smtp-session run`: 0 when every expectation held, 1 when one did not, 2 when a session or a file could not run. */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const timings = phaseTimings(process.env);
  timings.end('start-up');
  const options = parseRunArguments(args);
  const { format, recordPath } = options;
  if (recordPath !== null && resolve(recordPath) === resolve(options.paths[0])) throw new UsageError('--record would overwrite the file being run; give the recording another name.');
  const variables = await runVariables(options);
  const paths = expandPaths(options.paths, io);
  if (paths.length === 0) return 2;

  const started = Date.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  let local: RunningLocalServer | null = null;
  let capture: Promise<CaptureServerAddress> | null = null;
  // One embedded server for the whole run, started when the first session needs it, whichever file that is.
  const captureServer = () => (capture ??= (async () => {
    // Loaded only when a session needs it: smtp-server and what it pulls in (http, zlib, crypto…) are a good part
    // of the CLI's start-up, which is most of a short run against a real server.
    const { startLocalServer } = await import('../captureServer/localServer.js');
    local = await startLocalServer({ host: '127.0.0.1', port: 0, dir: null });
    if (format === 'text') io.stderr(`A session names no @server: using the embedded local server on 127.0.0.1:${local.port}.`);
    return local;
  })());
  // isatty(0), not process.stdin.isTTY: touching process.stdin opens a stream over it (and loads node:fs/promises
  // and readline's internals), a cost every run paid although only a prompt reads from it.
  const secrets = cliSecretProvider(process.env, format === 'text' && options.parallel === 1 && isatty(0));
  const paint = paintFor(process.stdout.isTTY === true);
  let runs;
  try {
    runs = await runFiles({
      paths,
      maxSize: options.maxSize,
      parallel: options.parallel,
      bail: options.bail,
      signal: abort.signal,
      request: (path, file) => ({
        file,
        filePath: path,
        // The file's repository, else the current directory when it holds the file: `{{$file}}` reads nothing outside it.
        workspaceRoot: workspaceRootFor(path, [], process.cwd()),
        sessions: options.sessions,
        server: options.server,
        local: false,
        variables,
        insecure: options.insecure,
        timeoutSeconds: options.timeoutSeconds,
        secrets,
        signal: abort.signal,
        recording: recordPath !== null ? { source: path, recordingPath: recordPath } : null,
        captureServer,
      }),
      // With one file the phases follow each other: reading and parsing it, then its sessions.
      ...(paths.length === 1 ? { fileParsed: () => timings.end('parse') } : {}),
      fileFinished: (run) => {
        if (run.error !== null) io.stderr(`smtp-session: ${run.error}`);
        // Text goes out file by file, so a long run shows progress; JSON and JUnit are one document at the end.
        if (format === 'text') io.stdout(fileToText(run, paint, paths.length > 1));
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    await (local as RunningLocalServer | null)?.close();
  }
  timings.end('sessions');
  const summary = summarize(runs, Date.now() - started);
  const status = exitStatus(summary, abort.signal.aborted);
  const report: RunReport = { files: runs, summary, ok: status === 0 };
  if (format === 'text') {
    io.stdout(summaryToText(report, paint));
  } else {
    io.stdout(format === 'json' ? runToJson(report) : runToJunit(report));
  }
  timings.end('output');
  timings.report(io.stderr);
  if (options.report !== null) {
    try {
      writeFileSync(options.report.path, options.report.format === 'json' ? runToJson(report) : runToJunit(report));
    } catch (error) {
      io.stderr(`smtp-session: cannot write the report to ${options.report.path}: ${(error as Error).message}`);
      return 2;
    }
  }
  const recorded = runs[0]?.transcript ?? null;
  if (recordPath !== null && recorded !== null) {
    try {
      writeFileSync(recordPath, recorded);
    } catch (error) {
      io.stderr(`smtp-session: cannot write the recording to ${recordPath}: ${(error as Error).message}`);
      return 2;
    }
    if (format === 'text') io.stderr(`Recorded the dialogue in ${recordPath} (smtp-session check ${recordPath}; smtp-session run ${recordPath} replays it).`);
  }
  return status;
}

/**
 * The variables every session gets as if defined above the file: the
 * environment's (`--env`), then `--var` on top; the file's own `@name` lines
 * win over both (the engine applies that), and `--server` over any `server`.
 */
async function runVariables(options: RunArguments): Promise<Record<string, string> | null> {
  const environment = options.environment === null ? {} : await readEnvironment(options.environment, options.paths[0]);
  const variables = { ...environment, ...options.variables };
  return Object.keys(variables).length > 0 ? variables : null;
}
