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
// compute; the flag is set before the commands run, so every function's
// budget is counted against it.
import { setFlagsFromString } from 'node:v8';

/** V8's default `--interrupt-budget` (Node 20: 66 KiB of bytecode executed) times eight. */
export const CLI_INTERRUPT_BUDGET = 8 * 66 * 1024;

export function tuneCompilerForShortRuns(setFlags: (flags: string) => void = setFlagsFromString): void {
  setFlags(`--interrupt-budget=${CLI_INTERRUPT_BUDGET}`);
}
