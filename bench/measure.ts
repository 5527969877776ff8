import { performance } from 'node:perf_hooks';

export interface Timing {
  /** The fastest run: the least disturbed by other work on a shared machine. */
  min: number;
  median: number;
  p95: number;
  runs: number;
}

/** Runs `work` repeatedly after a warm-up and returns the median and p95 in milliseconds. */
export function measure(work: () => unknown, runs = 200, warmup = 30): Timing {
  for (let i = 0; i < warmup; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { min: samples[0], median: samples[Math.floor(runs / 2)], p95: samples[Math.floor(runs * 0.95)], runs };
}

export function ms(value: number): string {
  return `${value.toFixed(value < 1 ? 3 : 2)} ms`;
}
