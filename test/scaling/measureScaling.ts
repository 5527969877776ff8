// How the scaling tests measure: CPU time of this process (user + system, so
// time spent waiting for the shared machine's other work does not count), the
// best of up to three runs when the first is over a limit (a collection or a
// compile landing in one run is noise, not the code's cost), at n and at 4n.
import assert from 'node:assert/strict';
import type { Family } from './adversarialFamilies';

export const SMALL = 200_000;
export const LARGE = 4 * SMALL;
/** Linear code grows about 4× from n to 4n; quadratic 16×. */
export const MAX_GROWTH = 6;
/** What 800 KB of any family may cost, in CPU milliseconds. */
export const MAX_LARGE_MS = 2_000;
/** Below this a run is too short for a ratio to mean anything: the ratio is taken against at least this. */
const FLOOR_MS = 50;
const RUNS = 3;

function cpuMs(work: () => void): number {
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface Scaling {
  smallMs: number;
  largeMs: number;
}

function growth({ smallMs, largeMs }: Scaling): number {
  return largeMs / Math.max(smallMs, FLOOR_MS);
}

function withinLimits(scaling: Scaling): boolean {
  return scaling.largeMs <= MAX_LARGE_MS && growth(scaling) <= MAX_GROWTH;
}

/**
 * Measures `work` on the family's inputs of both sizes (made once each,
 * outside the measure): a first pair of runs, and when that pair is over a
 * limit up to RUNS pairs, keeping each size's best.
 */
export function measure(family: Family, work: (input: string) => void): Scaling {
  const small = family.make(SMALL);
  const large = family.make(LARGE);
  // Once at the small size first so that the measures compare warm code.
  work(small);
  const best: Scaling = { smallMs: Infinity, largeMs: Infinity };
  for (let run = 0; run < RUNS; run++) {
    best.smallMs = Math.min(best.smallMs, cpuMs(() => work(small)));
    best.largeMs = Math.min(best.largeMs, cpuMs(() => work(large)));
    // Far over the limit is not noise: no point repeating it.
    if (withinLimits(best) || best.largeMs > MAX_LARGE_MS * 3) break;
  }
  return best;
}

async function cpuMsAsync(work: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** measure() for work that finishes later (a stream parsed in steps). */
export async function measureAsync(family: Family, work: (input: string) => Promise<void>): Promise<Scaling> {
  const small = family.make(SMALL);
  const large = family.make(LARGE);
  await work(small);
  const best: Scaling = { smallMs: Infinity, largeMs: Infinity };
  for (let run = 0; run < RUNS; run++) {
    best.smallMs = Math.min(best.smallMs, await cpuMsAsync(() => work(small)));
    best.largeMs = Math.min(best.largeMs, await cpuMsAsync(() => work(large)));
    if (withinLimits(best) || best.largeMs > MAX_LARGE_MS * 3) break;
  }
  return best;
}

/** Fails with the figures when 4n costs more than MAX_GROWTH times n, or 4n more than MAX_LARGE_MS. */
export function assertScales(target: string, family: Family, scaling: Scaling): void {
  const { smallMs, largeMs } = scaling;
  const figures = `${target}, ${family.name}: ${smallMs.toFixed(0)} ms at ${SMALL / 1000} KB, ${largeMs.toFixed(0)} ms at ${LARGE / 1000} KB (×${growth(scaling).toFixed(1)})`;
  assert.ok(largeMs <= MAX_LARGE_MS, `${figures}: over ${MAX_LARGE_MS} ms of CPU`);
  assert.ok(growth(scaling) <= MAX_GROWTH, `${figures}: grows faster than linear (limit ×${MAX_GROWTH})`);
}
