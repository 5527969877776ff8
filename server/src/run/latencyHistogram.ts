// Latencies of a load run, kept in bounded memory whatever the count: each
// sample goes into a bucket 2% wide on a log scale, so a million samples cost
// the same few hundred counters as a thousand, and a percentile read back is
// within 2% of the true value.

/** Relative width of a bucket: percentiles come back within this fraction of the truth. */
const PRECISION = 0.02;
const LOG_BASE = Math.log(1 + PRECISION);
/** Below this (ms) everything shares the first bucket: timers do not resolve finer. */
const FLOOR_MS = 0.01;

export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  count = 0;
  max = 0;

  add(ms: number): void {
    const bucket = ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / LOG_BASE);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  /** How many buckets hold samples: bounded by the range of values, never by their number. */
  get bucketCount(): number {
    return this.buckets.size;
  }

  /** The latency below which `fraction` (0–1) of the samples lie: the upper edge of that bucket, capped at the largest sample. */
  percentile(fraction: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(fraction * this.count));
    let seen = 0;
    for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(bucket)!;
      if (seen >= rank) return Math.min(this.max, bucket === 0 ? FLOOR_MS : FLOOR_MS * Math.pow(1 + PRECISION, bucket));
    }
    return this.max;
  }
}
