import type { FileRun } from './runFiles';

/** The counts at the end of `smtp-session run`, in the text, the JSON and the JUnit report alike. */
export interface RunSummary {
  files: number;
  /** Sessions selected: played or not. */
  sessions: number;
  /** Played, and every expectation held. */
  passed: number;
  /** Played to a reply that did not meet its expectation. */
  failed: number;
  /** Could not be played through: connection, TLS, protocol, a refused input — or its file could not run. */
  errored: number;
  /** Selected but never started: `--bail` stopped the run, or it was cancelled. */
  notRun: number;
  /** Replies that met their `S:` expectation, of all expectations of the sessions played (those never reached count as unmet). */
  expectationsMet: number;
  expectations: number;
  /** Wall time of the whole run. */
  ms: number;
}

export function summarize(runs: readonly FileRun[], ms: number): RunSummary {
  const summary: RunSummary = { files: runs.length, sessions: 0, passed: 0, failed: 0, errored: 0, notRun: 0, expectationsMet: 0, expectations: 0, ms };
  for (const run of runs) {
    if (run.error !== null) summary.errored++;
    summary.notRun += run.notPlayed.length;
    for (const { result } of run.sessions) {
      if (result.ok) summary.passed++;
      else if (result.error !== null) summary.errored++;
      else summary.failed++;
      for (const step of result.steps) {
        if (step.expected === null) continue;
        summary.expectations++;
        if (step.ok === true) summary.expectationsMet++;
      }
    }
  }
  summary.sessions = summary.passed + summary.failed + summary.errored + summary.notRun;
  return summary;
}

/** The exit status of `run`: 2 when anything could not run, 1 when an expectation was not met, else 0. */
export function exitStatus(summary: RunSummary, cancelled: boolean): number {
  if (summary.errored > 0) return 2;
  if (summary.failed > 0 || cancelled) return 1;
  return 0;
}

/** "2 files, 5 sessions: 3 passed, 1 failed, 1 errored; 14 of 16 expectations met; 1.24 s" (the file count only when there are several). */
export function describeSummary(summary: RunSummary): string {
  const parts = [`${summary.passed} passed`];
  if (summary.failed) parts.push(`${summary.failed} failed`);
  if (summary.errored) parts.push(`${summary.errored} errored`);
  if (summary.notRun) parts.push(`${summary.notRun} not run`);
  const files = summary.files === 1 ? '' : `${summary.files} files, `;
  const expectations = `${summary.expectationsMet} of ${summary.expectations} expectation${summary.expectations === 1 ? '' : 's'} met`;
  return `${files}${plural(summary.sessions, 'session')}: ${parts.join(', ')}; ${expectations}; ${(summary.ms / 1000).toFixed(2)} s`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
