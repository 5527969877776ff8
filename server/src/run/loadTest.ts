// `smtp-session load`: one session of a file played over and over on several
// connections at once, through the same engine as every run, with what it
// measures kept in bounded memory (counters and latency histograms; no
// session's result outlives its counting).
import { lookupOncePerRun } from '../engine/hostLookup';
import { playSession, type SessionResult } from '../engine/playSession';
import type { SecretProvider } from '../engine/resolveVariables';
import type { TranscriptFile } from '../transcript/ast';
import { LatencyHistogram } from './latencyHistogram';
import { playOptions } from './playOptions';
import type { CaptureServerAddress } from './runTranscript';
import { secretsForOneRun } from './runSecrets';
import { RunRequestError, selectSessions, type SessionSelector } from './selectSessions';
import { goesToCaptureServer, sessionServer, type RunTarget } from './sessionRouting';

export interface LoadRequest extends RunTarget {
  file: TranscriptFile;
  filePath: string;
  /** The folder `{{$file}}` paths must stay in, as for every run (RunRequest.workspaceRoot). */
  workspaceRoot: string;
  /** Which session to repeat; a file with several needs one named. */
  session: SessionSelector;
  /** Sessions in flight at once. */
  connections: number;
  /** Stop after this many sessions… */
  count: number | null;
  /** …or after this many seconds (sessions under way finish). */
  durationSeconds: number | null;
  /** Start at most this many sessions per second, across all connections; null: as fast as they finish. */
  rate: number | null;
  insecure: boolean;
  timeoutSeconds: number | null;
  secrets: SecretProvider;
  env?: NodeJS.ProcessEnv;
  signal: AbortSignal;
  captureServer(): Promise<CaptureServerAddress>;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  server: string;
  connections: number;
  elapsedMs: number;
  sessions: { finished: number; passed: number; failed: number; errored: number };
  /** Messages the server accepted: an end of data (the "." line) answered 2xx. */
  messages: number;
  sessionsPerSecond: number;
  messagesPerSecond: number;
  /** Every reply received, by code. */
  replies: Record<string, number>;
  /** Time from sending a step to its reply, by step kind (greeting: from the connection; session: connect to QUIT's reply), in ms. */
  latency: Record<string, LatencySummary>;
  /** Sessions that could not be played through, by the kind of failure, and unmet expectations as "expectation". */
  errors: Record<string, number>;
  /** The first few distinct error messages, for people. */
  examples: string[];
  cancelled: boolean;
}

export interface LoadProgress {
  finished: number;
  failed: number;
  inFlight: number;
  elapsedMs: number;
}

const EXAMPLES_KEPT = 5;

/** Plays the load; throws RunRequestError before anything is sent when the request does not fit the file. */
export async function runLoad(request: LoadRequest, progress?: (progress: LoadProgress) => void): Promise<LoadReport> {
  const { file, signal } = request;
  const indexes = selectSessions(file, request.session);
  if (indexes.length !== 1) {
    const names = file.sessions.map((session, i) => `${i + 1}${session.name ? ` (${session.name})` : ''}`).join(', ');
    throw new RunRequestError(`load repeats one session, and the file has ${indexes.length}: choose one with --session N|NAME (${names}).`);
  }
  const session = file.sessions[indexes[0]];
  const local = goesToCaptureServer(file, session, request);
  const capture = local ? await request.captureServer() : null;
  // Each secret asked once for the whole load, bound to the one host it goes to (as runTranscript binds a run's).
  const host = capture ? capture.host : sessionServer(file, session, { server: request.server, variables: request.variables })?.host ?? '';
  const secrets = secretsForOneRun(request.secrets, signal).forHost(host);
  // One lookup for the whole test: thousands of connections to one host ask the resolver once.
  const lookup = lookupOncePerRun();

  const stats = new LoadStatistics();
  const started = performance.now();
  const deadline = request.durationSeconds === null ? Infinity : started + request.durationSeconds * 1000;
  let startedCount = 0;
  let inFlight = 0;
  let server = '';
  const more = () => !signal.aborted && (request.count === null || startedCount < request.count) && performance.now() < deadline;
  const report = () => progress?.({ finished: stats.finished, failed: stats.failed + stats.errored, inFlight, elapsedMs: performance.now() - started });
  const ticker = progress ? setInterval(report, 250) : null;
  const connection = async () => {
    while (more()) {
      const position = startedCount++;
      if (request.rate !== null) {
        // The schedule is shared: session n starts no earlier than n / rate seconds in, whichever connection plays it.
        const due = started + (position * 1000) / request.rate;
        const wait = due - performance.now();
        if (wait > 0) await delay(wait, signal);
        if (signal.aborted || performance.now() >= deadline) break;
      }
      inFlight++;
      const connectedAt = performance.now();
      const result = await playSession(file, session, playOptions(request, capture, secrets, signal, lookup));
      inFlight--;
      server ||= result.server;
      stats.add(result, performance.now() - connectedAt);
    }
  };
  try {
    await Promise.all(Array.from({ length: request.connections }, connection));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  report();
  return stats.report(server, request.connections, performance.now() - started, signal.aborted);
}

class LoadStatistics {
  finished = 0;
  passed = 0;
  failed = 0;
  errored = 0;
  messages = 0;
  private readonly replies = new Map<number, number>();
  private readonly latency = new Map<string, LatencyHistogram>();
  private readonly errors = new Map<string, number>();
  private readonly examples = new Set<string>();

  add(result: SessionResult, sessionMs: number): void {
    this.finished++;
    if (result.ok) this.passed++;
    else if (result.error) this.errored++;
    else this.failed++;
    for (const step of result.steps) {
      if (step.reply === null) continue;
      this.replies.set(step.reply.code, (this.replies.get(step.reply.code) ?? 0) + 1);
      this.histogram(step.kind).add(step.ms);
      if (step.kind === 'data' && step.reply.code >= 200 && step.reply.code < 300) this.messages++;
      if (step.ok === false) this.note('expectation', step.mismatch ?? 'an unmet expectation');
    }
    this.histogram('session').add(sessionMs);
    if (result.error) this.note(result.error.kind ?? 'error', result.error.message);
  }

  report(server: string, connections: number, elapsedMs: number, cancelled: boolean): LoadReport {
    const seconds = elapsedMs / 1000;
    const latency: Record<string, LatencySummary> = {};
    for (const [kind, histogram] of this.latency) {
      latency[kind] = { count: histogram.count, p50: round(histogram.percentile(0.5)), p95: round(histogram.percentile(0.95)), p99: round(histogram.percentile(0.99)), max: round(histogram.max) };
    }
    return {
      server,
      connections,
      elapsedMs: Math.round(elapsedMs),
      sessions: { finished: this.finished, passed: this.passed, failed: this.failed, errored: this.errored },
      messages: this.messages,
      sessionsPerSecond: seconds > 0 ? round(this.finished / seconds) : 0,
      messagesPerSecond: seconds > 0 ? round(this.messages / seconds) : 0,
      replies: Object.fromEntries([...this.replies].sort(([a], [b]) => a - b).map(([code, count]) => [String(code), count])),
      latency,
      errors: Object.fromEntries(this.errors),
      examples: [...this.examples],
      cancelled,
    };
  }

  private histogram(kind: string): LatencyHistogram {
    let histogram = this.latency.get(kind);
    if (!histogram) this.latency.set(kind, (histogram = new LatencyHistogram()));
    return histogram;
  }

  private note(kind: string, message: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (this.examples.size < EXAMPLES_KEPT) this.examples.add(message);
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
