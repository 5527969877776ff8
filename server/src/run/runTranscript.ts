// The one run path: every front end (the command line, the language server,
// the benchmarks through the CLI) turns its inputs into a RunRequest and its
// output from the RunObserver's calls and the RunOutcome. Selection, routing
// to the embedded capture server, trusting its certificate, the secrets of a
// run, the question before mail goes to a remote host, cancellation and the
// recording are decided here and nowhere else.
import { lookupOncePerRun } from '../engine/hostLookup';
import { formatRecording, type RecordedSession, type RecordingOptions } from '../engine/recordTranscript';
import { playSession, type InputsRead, type SessionEvent, type SessionResult } from '../engine/playSession';
import { Recorder } from '../engine/recorder';
import type { Session, TranscriptFile } from '../transcript/ast';
import { remoteDeliveries, type RemoteDelivery } from './remoteDelivery';
import { playOptions } from './playOptions';
import { secretsForOneRun, type RunSecretSource } from './runSecrets';
import { selectSessions, type SessionSelector } from './selectSessions';
import { goesToCaptureServer, sessionServer, type RunTarget } from './sessionRouting';

/** The embedded capture server as a run needs it: where it listens, and the certificate it presents. */
export interface CaptureServerAddress {
  host: string;
  port: number;
  /** Made at start-up; null when it offers no TLS. */
  certificatePem: string | null;
}

export interface RunRequest extends RunTarget {
  /** The parsed file (the front end parses once: the language server from its document cache). */
  file: TranscriptFile;
  /** The file's path: `{{$file}}` paths are relative to its folder. */
  filePath: string;
  /** The folder `{{$file}}` paths must stay in (run/workspaceRoot.ts): the editor's workspace folder, the CLI's repository or current directory. */
  workspaceRoot: string;
  sessions: SessionSelector;
  /** Do not verify TLS certificates (`--insecure`); results say what verification would have found. */
  insecure: boolean;
  /** Replaces every RFC 5321 timeout and `@timeout`, in seconds. */
  timeoutSeconds: number | null;
  /** Where `{{$secret}}` and `{{$prompt}}` values come from, told each session's host; the run asks each name once per host. */
  secrets: RunSecretSource;
  /** Where `{{$env}}` comes from. Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Stops the run: the session in flight ends as cancelled, later ones are not played. */
  signal: AbortSignal;
  /**
   * Stops the run more gently (`run --bail`): once aborted, sessions not yet
   * started are not played, and the one in flight plays to its end. One signal
   * may stop several runs (the files of `run --parallel`).
   */
  stopBefore?: AbortSignal;
  /**
   * Starts the embedded capture server, or answers with the one running. Called
   * at most once per run, and only when a selected session goes there; the
   * front end owns its lifetime (the CLI closes it after the run, the language
   * server keeps it for the next).
   */
  captureServer(): Promise<CaptureServerAddress>;
  /** Also return the dialogue as a `.smtp` transcript (`run --record`, the editor's Record). */
  recording: Omit<RecordingOptions, 'date'> | null;
  /**
   * Asked (and awaited) once per run, before anything starts or connects,
   * when a selected session goes to a host that is neither loopback nor the
   * embedded server: what would go where. False: nothing is played and the
   * outcome says `declined`. It may throw RunRequestError to refuse with a
   * reason. The language server implements it (the editor's guard before
   * real mail); the command line has none: typing `run` with a file and a
   * server is the decision, and CI must not stop at a question.
   */
  confirmRemote?(question: RemoteRunQuestion): Promise<boolean>;
  /** Ask confirmRemote on this run whatever was answered before (an environment's `"$confirm": "always"`). */
  confirmAlways?: boolean;
}

/** What confirmRemote is asked about. */
export interface RemoteRunQuestion {
  deliveries: RemoteDelivery[];
  /** The run says so (an environment's `"$confirm": "always"`): ask every run, whatever was answered before. */
  always: boolean;
}

/** What a front end hears while a run goes on, in order; every method is optional. */
export interface RunObserver {
  /**
   * The selection is valid and the run begins: called (and awaited) once,
   * before the embedded server starts or anything is sent — where an editor
   * opens its progress.
   */
  runStarting?(indexes: readonly number[]): Promise<void> | void;
  /** A session is about to be played (`position` counts from 0 among the selected ones). */
  sessionStarted?(started: { index: number; session: Session; position: number; count: number }): void;
  /** The engine's events of that session: connecting, connected, tls, each step, warnings. */
  sessionEvent?(index: number, event: SessionEvent): void;
  /** The session's result, as the outcome will hold it. */
  sessionFinished?(index: number, result: SessionResult): void;
}

export interface PlayedSession {
  /** 0-based index of the session in the file. */
  index: number;
  result: SessionResult;
}

export interface RunOutcome {
  /** The sessions that were played, in order; a cancelled run holds only those that started. */
  sessions: PlayedSession[];
  /** 0-based indexes of the selected sessions that were not played: the run was cancelled or stopped (`stopBefore`). */
  notPlayed: number[];
  cancelled: boolean;
  /** Every session played met every expectation, and the run was not cancelled. */
  ok: boolean;
  /** With `recording`: the dialogue as it happened, a `.smtp` document (LF line endings) without secrets. */
  transcript: string | null;
  /** What the sessions read from this machine: `{{$env}}` names and `{{$file}}` paths, each once. */
  inputs: InputsRead;
  /** confirmRemote answered no: nothing was played (`cancelled` is true as well). */
  declined: boolean;
}

/**
 * Plays the selected sessions of a parsed file one after the other. Throws
 * RunRequestError (before anything is sent) when the selection does not fit
 * the file, and whatever `captureServer()` throws when the embedded server
 * cannot start; everything that happens during a session is in its result.
 */
export async function runTranscript(request: RunRequest, observer: RunObserver = {}): Promise<RunOutcome> {
  const { file, signal } = request;
  const indexes = selectSessions(file, request.sessions);
  const local = indexes.map((index) => goesToCaptureServer(file, file.sessions[index], request));
  const named = { server: request.server, variables: request.variables };
  if (request.confirmRemote) {
    const deliveries = remoteDeliveries(file, indexes.map((index, position) => ({ index, toCaptureServer: local[position] })), named);
    if (deliveries.length > 0 && !(await request.confirmRemote({ deliveries, always: request.confirmAlways === true }))) {
      return { sessions: [], notPlayed: [...indexes], cancelled: true, ok: false, transcript: null, inputs: { environment: [], files: [] }, declined: true };
    }
  }
  await observer.runStarting?.(indexes);
  const capture = local.includes(true) && !signal.aborted && !request.stopBefore?.aborted ? await request.captureServer() : null;
  const secrets = secretsForOneRun(request.secrets, signal);
  const lookup = lookupOncePerRun();
  const played: PlayedSession[] = [];
  const recorded: RecordedSession[] = [];
  const notPlayed: number[] = [];
  const inputs: InputsRead = { environment: [], files: [] };
  for (const [position, index] of indexes.entries()) {
    if (signal.aborted || request.stopBefore?.aborted) {
      notPlayed.push(index);
      continue;
    }
    const session = file.sessions[index];
    observer.sessionStarted?.({ index, session, position, count: indexes.length });
    const onEvent = observer.sessionEvent ? (event: SessionEvent) => observer.sessionEvent!(index, event) : undefined;
    // The recording is an observer of the session's events: it sees what was written and answered, no secret.
    const recorder = request.recording ? new Recorder() : null;
    // Bound to the host it connects to: a secret kept for one server is never handed to a session bound for another.
    const sessionSecrets = secrets.forHost(() => (local[position] && capture ? capture.host : sessionServer(file, session, named)?.host ?? ''));
    // Set one by one, not spread into a new object: in Node 20 a spread costs more than the rest of this loop.
    const options = playOptions(request, capture, sessionSecrets, signal, lookup);
    options.inputsRead = inputs;
    if (recorder) options.observers = [recorder];
    if (onEvent) options.onEvent = onEvent;
    const result = await playSession(file, session, options);
    if (recorder) {
      // A replay of what went to the embedded server goes there too: no @server line for it.
      recorded.push({ name: result.name, line: result.line, server: result.server !== '' && local[position] ? null : result.server, lines: recorder.lines });
    }
    observer.sessionFinished?.(index, result);
    played.push({ index, result });
  }
  const cancelled = signal.aborted;
  return {
    sessions: played,
    notPlayed,
    cancelled,
    ok: !cancelled && played.every((run) => run.result.ok),
    transcript: request.recording ? formatRecording(recorded, { ...request.recording, date: new Date() }) : null,
    inputs,
    declined: false,
  };
}
