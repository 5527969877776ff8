// How the CLI process ends once its command has finished. Left to itself Node
// ends when nothing keeps its loop alive, and then tears its heap down page by
// page: after a run of 4,003 steps that was ~7 ms of the whole process (its
// "outside the phases" in the bench), spent freeing memory the exit frees
// anyway. process.exit() skips that teardown, but also cuts whatever is still
// under way — output queued for a pipe that the reader has not drained, a
// TLS close_notify, a socket still closing. So the CLI calls it only when
// Node would have ended by itself: once stdout and stderr have taken all that
// was written to them and, a turn of the loop later (where sockets' closes
// complete), nothing else keeps the process alive. Otherwise it leaves the
// process to end as it always did.

/** Ends the process with `status` as soon as it has nothing left to do but its exit; never sooner. */
export function exitWhenIdle(status: number): void {
  process.exitCode = status;
  flushed(process.stdout, () =>
    flushed(process.stderr, () =>
      // Two turns: a socket destroyed in the last one finishes closing in the loop's close phase, after the first.
      setImmediate(() =>
        setImmediate(() => {
          if (onlyStdioAlive()) process.exit(status);
        }),
      ),
    ),
  );
}

/** Calls `done` once everything written to `stream` so far has been handed to the system (at once when nothing waits). */
function flushed(stream: NodeJS.WriteStream, done: () => void): void {
  if (stream.writableLength === 0 && !stream.writableNeedDrain) {
    done();
    return;
  }
  // Writes complete in order: the callback of an empty write runs after those before it.
  stream.write('', () => done());
}

/**
 * True when what Node reports as holding the process is at most the handles
 * of stdout and stderr themselves (a terminal or a pipe: open for the life of
 * the process, and idle once flushed). Any other handle — a socket, a child's
 * pipe, a ref'd timer — or a request under way (a write, a file operation): false.
 */
function onlyStdioAlive(): boolean {
  const allowed = new Map<string, number>();
  for (const stream of [process.stdout, process.stderr]) {
    const kind = stdioHandleKind(stream);
    if (kind !== null) allowed.set(kind, (allowed.get(kind) ?? 0) + 1);
  }
  for (const resource of process.getActiveResourcesInfo()) {
    const left = allowed.get(resource) ?? 0;
    if (left === 0) return false;
    allowed.set(resource, left - 1);
  }
  return true;
}

/** How getActiveResourcesInfo() names a stdio stream's handle: a terminal's or a pipe's; null for a file (no handle) or anything else. */
function stdioHandleKind(stream: NodeJS.WriteStream): string | null {
  if (stream.isTTY === true) return 'TTYWrap';
  const handle = (stream as { _handle?: object | null })._handle;
  return handle?.constructor.name === 'Pipe' ? 'PipeWrap' : null;
}
