// Where a `run` spends its time, for `npm run bench` ("where the time goes"):
// with SMTP_SESSION_TIMINGS=1 in the environment, one line on stderr gives
// the wall time from process start to the command, and the wall and CPU time
// of each phase after it. Off by default; it never prints secrets or content.
import { performance } from 'node:perf_hooks';

export interface PhaseTimings {
  /** Ends the phase under way (the first one runs from process start) and names it. */
  end(phase: string): void;
  /** The line on stderr, when enabled. */
  report(write: (text: string) => void): void;
}

const disabled: PhaseTimings = { end: () => undefined, report: () => undefined };

export function phaseTimings(env: NodeJS.ProcessEnv): PhaseTimings {
  if (env.SMTP_SESSION_TIMINGS !== '1') return disabled;
  const phases: string[] = [];
  let wallMark = 0; // performance.now() counts from process start
  let cpuMark = { user: 0, system: 0 };
  return {
    end(phase) {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      const cpuMs = (cpu.user + cpu.system - cpuMark.user - cpuMark.system) / 1000;
      phases.push(`${phase} ${(wall - wallMark).toFixed(1)} ms (cpu ${cpuMs.toFixed(0)} ms)`);
      wallMark = wall;
      cpuMark = cpu;
    },
    report(write) {
      write(`timings: ${phases.join(', ')}`);
    },
  };
}
