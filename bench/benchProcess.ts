// Whole-process timings: what a person waits for when they run a command,
// start-up included. Used for the CLI and for the peers it is measured against.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ProcessRun {
  ms: number;
  status: number | null;
  /** Peak resident memory in MB; only when asked for (it preloads a reporter into Node). */
  maxRssMb: number | null;
  stderr: string;
}

const RSS_REPORTER = join(__dirname, '..', 'bench', 'reportMaxRss.js');

/** Runs a command to its end with stdout discarded; wall time from spawn to exit. */
export function timeProcess(command: string, args: string[], options: { nodeMaxRss?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessRun> {
  const fullArgs = options.nodeMaxRss ? ['-r', RSS_REPORTER, ...args] : args;
  const started = performance.now();
  const child = spawn(command, fullArgs, { stdio: ['ignore', 'ignore', 'pipe'], env: options.env ?? process.env });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (status) => {
      const ms = performance.now() - started;
      const kb = options.nodeMaxRss ? Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? 0) : null;
      resolve({ ms, status, maxRssMb: kb === null ? null : kb / 1024, stderr });
    });
  });
}

/** Runs it `runs` times; a run that fails is an error, not a figure. */
export async function timeRuns(runs: number, what: string, command: string, args: string[], options: { nodeMaxRss?: boolean } = {}): Promise<ProcessRun[]> {
  const results: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timeProcess(command, args, options);
    if (run.status !== 0) throw new Error(`${what} exited with ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
    results.push(run);
  }
  return results;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function medianMs(runs: readonly { ms: number }[]): number {
  return median(runs.map((run) => run.ms));
}

/** The CLI as people run it: `node dist/cli.js …`, no extra Node flags. */
export const CLI_PATH = join(__dirname, '..', 'dist', 'cli.js');

export function ratio(ours: number, peer: number): string {
  return `${(ours / peer).toFixed(2)}×`;
}

/** A phase's medians: wall and CPU time (ms), and what it allocated on the JS heap (MB; NaN when the CLI did not say). */
export interface PhaseFigures {
  wall: number;
  cpu: number;
  allocatedMb: number;
}

/**
 * Each phase's median wall and CPU time (ms) from the CLI's SMTP_SESSION_TIMINGS line (server/src/cli/phaseTimings.ts),
 * and its heap allocations from the SMTP_SESSION_ALLOCATIONS line, over `runs` extra runs.
 */
export async function cliPhaseFigures(runs: number, args: string[]): Promise<Map<string, PhaseFigures>> {
  const phases = new Map<string, { wall: number[]; cpu: number[]; allocated: number[] }>();
  const outside: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timeProcess(process.execPath, [CLI_PATH, ...args], { env: { ...process.env, SMTP_SESSION_TIMINGS: '1', SMTP_SESSION_ALLOCATIONS: '1' } });
    const line = /^timings: (.*)$/m.exec(run.stderr)?.[1] ?? '';
    let phasesMs = 0;
    for (const match of line.matchAll(/([\w-]+) ([\d.]+) ms \(cpu (\d+) ms\)/g)) {
      const phase = phases.get(match[1]) ?? { wall: [], cpu: [], allocated: [] };
      phase.wall.push(Number(match[2]));
      phase.cpu.push(Number(match[3]));
      phases.set(match[1], phase);
      phasesMs += Number(match[2]);
    }
    outside.push(run.ms - phasesMs);
    const allocations = /^allocations: (.*)$/m.exec(run.stderr)?.[1] ?? '';
    for (const match of allocations.matchAll(/([\w-]+) ([\d.]+) MB/g)) phases.get(match[1])?.allocated.push(Number(match[2]));
  }
  const figures = new Map([...phases].map(([name, phase]) => [name, { wall: median(phase.wall), cpu: median(phase.cpu), allocatedMb: phase.allocated.length > 0 ? median(phase.allocated) : Number.NaN }]));
  figures.set(OUTSIDE_PHASES, { wall: median(outside), cpu: Number.NaN, allocatedMb: Number.NaN });
  return figures;
}

/**
 * The whole process's wall time that no phase covers: the phases run on Node's clock, from its origin to the
 * end of the output, so this is spawning Node and what it does before its clock starts, then closing the
 * connection, Node's exit and the parent seeing it end. `node -e 0` has such a part too (nodeOutsideMs).
 */
export const OUTSIDE_PHASES = 'outside the phases';

/** `node -e 0`'s wall time outside its own clock (see OUTSIDE_PHASES): the whole process less its clock at exit; median of `runs`. */
export async function nodeOutsideMs(runs: number): Promise<number> {
  const outside: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timeProcess(process.execPath, ['-e', "process.on('exit', () => process.stderr.write(`clock at exit: ${performance.now()}`))"]);
    const clock = Number(/clock at exit: ([\d.]+)/.exec(run.stderr)?.[1]);
    if (run.status !== 0 || !Number.isFinite(clock)) throw new Error(`node -e exited with ${run.status}: ${run.stderr.trim().slice(0, 300)}`);
    outside.push(run.ms - clock);
  }
  return median(outside);
}

/**
 * Where a CLI run's time goes, e.g. "start-up 150 ms (cpu 145), parse 210 ms
 * (cpu 205), …": cliPhaseFigures written out.
 */
export function describePhases(figures: Map<string, PhaseFigures>): string {
  return [...figures].map(([name, phase]) => `${name} ${phase.wall.toFixed(0)} ms${Number.isNaN(phase.cpu) ? '' : ` (cpu ${phase.cpu.toFixed(0)})`}`).join(', ');
}

export async function cliPhases(runs: number, args: string[]): Promise<string> {
  return describePhases(await cliPhaseFigures(runs, args));
}
