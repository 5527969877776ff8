// Child processes the e2e suite starts (code-server and what it spawns) and
// stops by pid. Each runs in its own process group so stopping it also stops
// its children (extension host, language server, embedded SMTP server).
import { spawn, type ChildProcess } from 'node:child_process';

/** Output kept per process: enough for a failure message, bounded. */
const OUTPUT_LIMIT = 64 * 1024;

export interface StartedProcess {
  readonly pid: number;
  /** The last OUTPUT_LIMIT characters of stdout and stderr, interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, or fails after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM to the process group, SIGKILL if it is still there after 5 s. */
  stop(): Promise<void>;
}

// Should the test process end without cleaning up (a failure, Ctrl+C, a CI
// timeout's SIGTERM), no group outlives it: signals become an exit, and the
// exit kills what is left. Playwright closes its Chromium on exit likewise.
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function startProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): StartedProcess {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${command}.`);
  const pid = child.pid;
  liveGroups.add(pid);

  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      liveGroups.delete(pid);
      for (const listener of listeners) listener();
      resolve();
    });
  });

  return {
    pid,
    output: () => output,
    waitForOutput(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) return finish(() => resolve(match));
          if (exited) return finish(() => reject(new Error(`${command} exited before printing ${pattern}. Its output:\n${output}`)));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms. Its output:\n${output}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (exited) return;
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
      // The leader may exit before its children: make sure none stays behind.
      killGroup(pid, 'SIGKILL');
    },
  };
}
