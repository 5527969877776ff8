// `smtp-session run FILE|DIR…`: many files through the one run path
// (run/runTranscript.ts), a few at once, each file's sessions in order.
import type { InputsRead, SessionResult } from '../engine/playSession';
import { runTranscript, type RunRequest } from '../run/runTranscript';
import { RunRequestError } from '../run/selectSessions';
import type { TranscriptFile } from '../transcript/ast';
import { parseTranscript } from '../transcript/parseTranscript';
import { readTranscriptFile } from './readTranscriptFile';

export interface TimedSession {
  result: SessionResult;
  /** Wall time from the session's start to its result. */
  ms: number;
}

/** A selected session that was never played (`--bail` stopped the run, or Ctrl+C). */
export interface UnplayedSession {
  name: string | null;
  /** 1-based line of its start. */
  line: number;
}

/** What became of one file. */
export interface FileRun {
  /** The path as given or found. */
  file: string;
  /** Why nothing of the file ran (unreadable, no session, no such --session); null when it ran. */
  error: string | null;
  sessions: TimedSession[];
  notPlayed: UnplayedSession[];
  startedAt: Date;
  ms: number;
  /** With a recording asked for: the dialogue as a `.smtp` document. */
  transcript: string | null;
  /** What the file's sessions read from this machine: `{{$env}}` names and `{{$file}}` paths. */
  inputs: InputsRead;
}

export interface FilesPlan {
  paths: readonly string[];
  /** The largest file read (`--max-size`); undefined for readTranscriptFile's default. */
  maxSize?: number;
  /** Files played at once (`--parallel`); each file's sessions stay in order. */
  parallel: number;
  /** Stop at the first failed session: sessions not started by then are not played (`--bail`). */
  bail: boolean;
  /** Ctrl+C: the sessions in flight end as cancelled. */
  signal: AbortSignal;
  /** Everything of a RunRequest but the file: the CLI's options, the same for every file. */
  request(path: string, file: TranscriptFile): Omit<RunRequest, 'stopBefore'>;
  /** Each file's run, in the order of `paths` whatever order they finish in (output stays stable with --parallel). */
  fileFinished?(run: FileRun): void;
  /** A file was read and parsed, and its sessions are about to play (SMTP_SESSION_TIMINGS' parse phase). */
  fileParsed?(path: string): void;
}

/** Plays every file of the plan; resolves to their runs in the order of `paths`. Never rejects for a file's own failure. */
export async function runFiles(plan: FilesPlan): Promise<FileRun[]> {
  const stop = new AbortController();
  const runs: (FileRun | undefined)[] = new Array(plan.paths.length);
  let reported = 0;
  let nextFile = 0;
  const report = () => {
    while (reported < runs.length && runs[reported] !== undefined) plan.fileFinished?.(runs[reported++]!);
  };
  const worker = async () => {
    while (nextFile < plan.paths.length) {
      const position = nextFile++;
      const run = await runOneFile(plan, plan.paths[position], stop);
      runs[position] = run;
      if (plan.bail && (run.error !== null || run.sessions.some(({ result }) => !result.ok))) stop.abort();
      report();
    }
  };
  const workers = Math.max(1, Math.min(plan.parallel, plan.paths.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return runs as FileRun[];
}

async function runOneFile(plan: FilesPlan, path: string, stop: AbortController): Promise<FileRun> {
  const startedAt = new Date();
  const run: FileRun = { file: path, error: null, sessions: [], notPlayed: [], startedAt, ms: 0, transcript: null, inputs: { environment: [], files: [] } };
  const finish = () => {
    run.ms = Date.now() - startedAt.getTime();
    return run;
  };
  const read = readTranscriptFile(path, plan.maxSize);
  if (!read.ok) {
    run.error = `cannot read ${path}: ${read.message}`;
    return finish();
  }
  const file = parseTranscript(read.text);
  plan.fileParsed?.(path);
  const started = new Map<number, number>();
  try {
    const outcome = await runTranscript({ ...plan.request(path, file), stopBefore: stop.signal }, {
      sessionStarted: ({ index }) => started.set(index, Date.now()),
      sessionFinished: (index, result) => {
        run.sessions.push({ result, ms: Date.now() - (started.get(index) ?? Date.now()) });
        if (plan.bail && !result.ok) stop.abort();
      },
    });
    run.notPlayed = outcome.notPlayed.map((index) => ({ name: file.sessions[index].name, line: file.sessions[index].range.start.line + 1 }));
    run.transcript = outcome.transcript;
    run.inputs = outcome.inputs;
  } catch (error) {
    if (!(error instanceof RunRequestError)) throw error;
    run.error = `${path}: ${error.message}`;
  }
  return finish();
}
