// Where a `run` spends its time, for `npm run bench` ("where the time goes"):
// with SMTP_SESSION_TIMINGS=1 in the environment, one line on stderr gives
// the wall time from process start to the command, and the wall and CPU time
// of each phase after it. With SMTP_SESSION_ALLOCATIONS=1 as well, a second
// line gives what each phase after the first allocated on the JS heap (the
// bench's "allocations per step"). Off by default; it never prints secrets or
// content.
//
// The clock is the global `performance`, which Node sets up on first use: a
// `run` without SMTP_SESSION_TIMINGS never loads node:perf_hooks and the nine
// modules behind it (dist/cli.js loads them before V8's flags change when the
// variable is set, so they still come from node's own code cache).

export interface PhaseTimings {
  /** Ends the phase under way (the first one runs from process start) and names it. */
  end(phase: string): void;
  /** The line on stderr (two with allocations), when enabled. */
  report(write: (text: string) => void): void;
}

const disabled: PhaseTimings = { end: () => undefined, report: () => undefined };

export function phaseTimings(env: NodeJS.ProcessEnv): PhaseTimings {
  if (env.SMTP_SESSION_TIMINGS !== '1') return disabled;
  const phases: string[] = [];
  // node:v8 is loaded only when asked for (the CLI's start-up does not pay for it); Node before 20.16 has no getBuiltinModule.
  const v8 = env.SMTP_SESSION_ALLOCATIONS === '1' ? process.getBuiltinModule?.('node:v8') : undefined;
  const allocations = v8 ? heapAllocations(v8) : null;
  let wallMark = 0; // performance.now() counts from process start
  let cpuMark = { user: 0, system: 0 };
  let first = true;
  return {
    end(phase) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      const cpuMs = (cpu.user + cpu.system - cpuMark.user - cpuMark.system) / 1000;
      phases.push(`${phase} ${(wall - wallMark).toFixed(1)} ms (cpu ${cpuMs.toFixed(0)} ms)`);
      wallMark = wall;
      cpuMark = cpu;
      // The first phase began before anything could watch the heap: its figure would be only its tail.
      if (allocations) allocations.end(first ? null : phase);
      first = false;
    },
    report(write) {
      write(`timings: ${phases.join(', ')}`);
      if (allocations) write(`allocations: ${allocations.phases.join(', ')}`);
    },
  };
}

/**
 * Bytes allocated on the JS heap per phase: what the heap grew by, plus what
 * each garbage collection in the phase freed (V8's GC profiler reports the
 * heap before and after each one). Buffers' memory outside the heap is not
 * counted.
 */
function heapAllocations(v8: typeof import('node:v8')): { phases: string[]; end(phase: string | null): void } {
  const phases: string[] = [];
  let profiler = new v8.GCProfiler();
  let usedMark = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  return {
    phases,
    end(phase) {
      const collections = profiler.stop()?.statistics ?? [];
      const used = v8.getHeapStatistics().used_heap_size;
      let freed = 0;
      for (const collection of collections) freed += collection.beforeGC.heapStatistics.usedHeapSize - collection.afterGC.heapStatistics.usedHeapSize;
      if (phase !== null) phases.push(`${phase} ${((used - usedMark + freed) / 1_000_000).toFixed(2)} MB`);
      usedMark = used;
      profiler = new v8.GCProfiler();
      profiler.start();
    },
  };
}
