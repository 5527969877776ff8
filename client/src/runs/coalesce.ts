// Many events, one redraw: a run of thousands of steps sends an event per
// step, and redrawing a document's decorations or diagnostics for each would
// cost the square of the steps. Keys (document URIs, or undefined for all)
// are collected and handled together once the events pause briefly.

/** How long events may gather before the redraw; short enough to look live. */
const DELAY_MS = 40;

export function coalesce(handle: (keys: Set<string> | 'all') => void, delayMs = DELAY_MS): { add(key: string | undefined): void; dispose(): void } {
  let pending: Set<string> | 'all' | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    add(key) {
      if (key === undefined) pending = 'all';
      else if (pending !== 'all') {
        const keys = pending ?? new Set<string>();
        keys.add(key);
        pending = keys;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        const keys = pending;
        pending = null;
        if (keys !== null) handle(keys);
      }, delayMs);
    },
    dispose() {
      clearTimeout(timer);
      timer = undefined;
      pending = null;
    },
  };
}
