// The engine's clock for step times and reply deadlines: milliseconds on a
// monotonic clock, read from process.hrtime. The global `performance` gives
// the same, but Node sets it up on first use by loading node:perf_hooks and
// nine modules behind it — and the CLI loads them only after V8's flags have
// changed (server/src/cli/start.ts), so they were compiled from source on
// every `run`: about 1.5 M instructions of a one-session process.

/** Milliseconds since an arbitrary fixed point; only differences mean anything. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
