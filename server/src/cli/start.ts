// dist/cli.js: starts the CLI bundle (dist/cliMain.js) from V8's code cache
// when the build left one beside it. Compiling the ~440 KB bundle, and then
// each function the command calls, was a good part of what loading the CLI
// costs beyond `node -e 0`: the cache holds the bytecode of the functions a
// training run used (esbuild.js runs one after each build), so V8 neither
// parses nor compiles them again.
//
// Safe by construction: the cache is read only when its header names this
// very build (a build id written into both), V8 itself refuses data made by
// another Node or V8 version or under other flags (and then compiles as
// usual), and nothing here writes outside dist/ — the cache is written only
// by the build's training run. Without a cache the CLI runs as before.
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

declare const SMTP_SESSION_BUILD_ID: string;
/** The node: modules the bundle requires as it starts (esbuild.js finds them from its imports). */
declare const SMTP_SESSION_START_BUILTINS: string[];

// Node's own modules (net, tty, perf_hooks…) load from the code cache built into node, which V8 accepts only
// under the flags it was made with: a module first required after the bundle tunes V8 (compilerTuning.ts:
// load, serve, a large transcript) is parsed and compiled from its source instead, and with those the bundle
// loads as it starts that was a quarter of what `--version` costs beyond `node` itself. So they load first,
// and so does the stream behind stdout (every command writes there).
for (const builtin of SMTP_SESSION_START_BUILTINS) require(builtin);
void process.stdout;
// Phase timings (server/src/cli/phaseTimings.ts) read the global `performance`, node:perf_hooks behind it:
// loaded only when they are asked for, and then here, for the same reason.
if (process.env.SMTP_SESSION_TIMINGS === '1') require('node:perf_hooks');

// V8 accepts cached code only under the flags it was made with: the bundle changes them (compilerTuning.ts)
// only after this script is compiled, and the training run reads a transcript too small to change them.

const bundlePath = join(__dirname, 'cliMain.js');
const cachePath = join(__dirname, 'cliMain.codecache');
const header = Buffer.from(`smtp-session ${SMTP_SESSION_BUILD_ID}\n`);

function readCache(): Buffer | undefined {
  try {
    const data = readFileSync(cachePath);
    return data.subarray(0, header.length).equals(header) ? data.subarray(header.length) : undefined;
  } catch {
    return undefined; // no cache (a development build, or removed): compile as usual
  }
}

// What Node's CommonJS loader wraps a module in: the bundle gets exports, require, module, __filename, __dirname.
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n});';

/**
 * The bundle inside its wrapper, as one string: read into one buffer that already holds the wrapper's two
 * ends, so the text is neither copied again to join them (half a megabyte more on V8's young generation,
 * and about 250 more pages of memory touched as the CLI starts) nor decoded as UTF-8 —
 * the build writes the bundle as ASCII (esbuild.js escapes every other character), which reads the same as
 * Latin-1, a plain copy. A bundle that is not ASCII after all is decoded as UTF-8.
 */
function readWrappedBundle(): string {
  const fd = openSync(bundlePath, 'r');
  try {
    const size = fstatSync(fd).size;
    const text = Buffer.allocUnsafe(WRAPPER_START.length + size + WRAPPER_END.length);
    text.write(WRAPPER_START, 0, 'latin1');
    let read = 0;
    while (read < size) {
      const got = readSync(fd, text, WRAPPER_START.length + read, size - read, null);
      if (got === 0) break;
      read += got;
    }
    const end = WRAPPER_START.length + read;
    text.write(WRAPPER_END, end, 'latin1');
    const wrapped = text.subarray(0, end + WRAPPER_END.length);
    return isAscii(wrapped) ? wrapped.toString('latin1') : wrapped.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const script = new Script(readWrappedBundle(), { filename: bundlePath, cachedData: readCache() });
if (process.env.SMTP_SESSION_WRITE_CODE_CACHE === '1') {
  // The build's training run: at exit the functions it compiled are in the cache too.
  process.once('exit', () => {
    const temporary = `${cachePath}.${process.pid}`;
    writeFileSync(temporary, Buffer.concat([header, script.createCachedData()]));
    renameSync(temporary, cachePath);
  });
}
const bundleModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(bundleModule.exports, bundleModule.exports, require, bundleModule, bundlePath, __dirname);
