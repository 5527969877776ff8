// How eagerly V8 optimizes the CLI's code. A `run` or `check` is a short
// process: most functions of the parser and the engine run a few thousand
// times (once per line or per step) and then never again. With V8's default
// tiering, each soon reaches TurboFan, whose compilation runs on a background
// thread and, in `npm run bench`'s 1,000-transaction run, cost more CPU than
// the optimized code saved: on two shared cores it competes with the main
// thread and with the server being talked to. Asking for eight times the
// default interrupt budget before optimizing measured best (parse CPU about
// -35%, sessions CPU about -20%, the 50 MB body no slower): code that is truly
// hot, a loop over a large body, still reaches TurboFan within milliseconds.
//
// Safe because only *when* functions are optimized changes, never what they
// compute. The flag is set once the work is known to be large — a transcript
// of LARGE_INPUT_CHARS or more read (readTranscriptFile), or a command that
// keeps running (load, serve) — and before that work runs. A small `run` or
// `--version` leaves the flags alone: no function there gets hot, and setting
// one meant loading node:v8 and the modules behind it (heap_utils,
// promise_hooks, serdes…), about 1% of a one-session process. node:v8 is
// reached through process.getBuiltinModule so that dist/cli.js does not load
// it at start with the bundle's static imports (Node before 20.16 has no
// getBuiltinModule and runs untuned).

/** V8's default `--interrupt-budget` (Node 20: 66 KiB of bytecode executed) times eight. */
export const CLI_INTERRUPT_BUDGET = 8 * 66 * 1024;

/** A transcript file this large (in bytes as read, which readTranscriptFile passes) is parsed and played long enough for the tuning to pay. */
export const LARGE_INPUT_CHARS = 64 * 1024;

let tuned = false;

function setV8Flags(flags: string): void {
  process.getBuiltinModule?.('node:v8')?.setFlagsFromString(flags);
}

export function tuneCompilerForShortRuns(setFlags: (flags: string) => void = setV8Flags): void {
  setFlags(`--interrupt-budget=${CLI_INTERRUPT_BUDGET}`);
}

/** Tunes the compiler, once, when an input of `chars` (a file's bytes) is large enough for it to pay. */
export function tuneCompilerForInput(chars: number, setFlags: (flags: string) => void = setV8Flags): void {
  if (tuned || chars < LARGE_INPUT_CHARS) return;
  tuned = true;
  tuneCompilerForShortRuns(setFlags);
}
