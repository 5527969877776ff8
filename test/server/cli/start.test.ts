// dist/cli.js (server/src/cli/start.ts) starts the CLI bundle from the code
// cache the build's training run wrote, and from nothing at all when the cache
// is missing, made by another build, or damaged: the cache may only ever make
// start-up faster, never change what runs. Needs `npm run build` (npm test
// builds first).
import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const dist = join(__dirname, '..', '..', '..', 'dist');
const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

function cli(folder: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(folder, 'cli.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('dist/cli.js and its code cache', () => {
  const folders: string[] = [];
  after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  /** A copy of the CLI's files, with the cache replaced by `cache` (null: none). */
  function copyWithCache(cache: Buffer | null): string {
    const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-'));
    folders.push(folder);
    for (const name of ['cli.js', 'cliMain.js']) copyFileSync(join(dist, name), join(folder, name));
    if (cache) writeFileSync(join(folder, 'cliMain.codecache'), cache);
    return folder;
  }

  it('the build leaves a cache beside the bundle, and the CLI runs from it', () => {
    assert.ok(existsSync(join(dist, 'cliMain.codecache')), 'npm run build writes dist/cliMain.codecache');
    const run = cli(dist, ['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('the bundle is ASCII, so Node reads it as a one-byte string (a "§" in a kept comment made all of it two-byte)', () => {
    const bundle = readFileSync(join(dist, 'cliMain.js'), 'utf8');
    const outside = /[^\x00-\x7f]/.exec(bundle);
    assert.equal(outside, null, `dist/cliMain.js has ${JSON.stringify(outside?.[0])} at offset ${outside?.index}`);
    // Escaped, not dropped: \u escapes mean the same character in strings, regular expressions and comments.
    assert.match(bundle, /\\u00a7/, 'the kept comments citing RFC sections (§) are there, escaped');
  });

  it('keeps the source map true after an escaped character: code after it on the line maps to its own source column', () => {
    // server/src/import/turns.ts has a "…" in a regular expression, which esbuild keeps and the build escapes
    // (one character becomes six): the '' after it must still map to where it stands in the source.
    const sourceLine = "  const cleaned = text.trim().replace(/[.…]+$/, '');";
    const source = readFileSync(join(__dirname, '..', '..', '..', 'server', 'src', 'import', 'turns.ts'), 'utf8').split('\n');
    const originalLine = source.indexOf(sourceLine);
    assert.notEqual(originalLine, -1, 'turns.ts no longer holds the line this test reads');
    const generated = readFileSync(join(dist, 'cliMain.js'), 'utf8').split('\n');
    const generatedLine = generated.findIndex((line) => line.includes('.replace(/[.\\u2026]+$/, ""'));
    assert.notEqual(generatedLine, -1, 'the escaped regular expression is not in dist/cliMain.js');
    const generatedColumn = generated[generatedLine].indexOf('""', generated[generatedLine].indexOf('\\u2026'));
    const map = new SourceMap(JSON.parse(readFileSync(join(dist, 'cliMain.js.map'), 'utf8')) as SourceMapPayload);
    const entry = map.findEntry(generatedLine, generatedColumn) as { generatedColumn: number; originalLine: number; originalColumn: number; originalSource: string };
    assert.equal(entry.generatedColumn, generatedColumn, 'no mapping starts at the string after the escaped character');
    assert.match(entry.originalSource, /import\/turns\.ts$/);
    assert.deepEqual([entry.originalLine, entry.originalColumn], [originalLine, sourceLine.indexOf("''")]);
  });

  it('runs without a cache', () => {
    const run = cli(copyWithCache(null), ['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), version);
  });

  it('never runs a cache made by another build, even for a bundle of the same length (all V8 itself compares)', () => {
    // V8 accepts cached code for any source of the length it was made from: only the build id keeps a stale cache out.
    const cache = readFileSync(join(dist, 'cliMain.codecache'));
    const other = Buffer.from(cache.toString('latin1').replace(/^smtp-session \S+\n/, 'smtp-session another-build\n'), 'latin1');
    const folder = copyWithCache(other);
    const realLength = readFileSync(join(dist, 'cliMain.js'), 'utf8').length;
    const program = 'process.stdout.write("another bundle\\n"); //';
    writeFileSync(join(folder, 'cliMain.js'), program + ' '.repeat(realLength - program.length));
    const run = cli(folder, ['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'another bundle');
  });

  it('reads the bundle as UTF-8 when it is not ASCII after all (the ASCII bundle is read as Latin-1, a plain copy)', () => {
    const folder = copyWithCache(null);
    writeFileSync(join(folder, 'cliMain.js'), 'process.stdout.write("caf\u00e9 \u2014 " + typeof require + " " + require("node:path").basename(__filename) + "\\n");');
    const run = cli(folder, ['--version']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'caf\u00e9 \u2014 function cliMain.js');
  });

  it('runs when the cache names this build but its V8 data is damaged (V8 refuses it and compiles)', () => {
    const cache = readFileSync(join(dist, 'cliMain.codecache'));
    const headerEnd = cache.indexOf(0x0a) + 1;
    const damaged = Buffer.concat([cache.subarray(0, headerEnd), Buffer.alloc(cache.length - headerEnd, 0x5a)]);
    const run = cli(copyWithCache(damaged), ['check', '--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /smtp-session check/);
  });

  it('sets up check, explain and import on first use: each runs from the bundle', () => {
    const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-commands-'));
    folders.push(folder);
    const transcript = join(folder, 'clean.smtp');
    writeFileSync(transcript, 'S: 220\nC: EHLO client.example\nS: 250\nC: QUIT\nS: 221\n');
    const checked = cli(dist, ['check', transcript]);
    assert.equal(checked.status, 0, checked.stderr);
    assert.equal(checked.stdout.trim(), '1 file checked: no problems.');
    const explained = cli(dist, ['explain', '550']);
    assert.equal(explained.status, 0, explained.stderr);
    assert.match(explained.stdout, /^550 mailbox unavailable\n/);
    const swaks = join(folder, 'swaks.txt');
    writeFileSync(swaks, ['=== Trying mx.example.org:25...', '<-  220 mx.example.org ESMTP', ' -> EHLO client.example.com', '<-  250 mx.example.org', ' -> QUIT', '<-  221 Bye', ''].join('\n'));
    const imported = cli(dist, ['import', swaks]);
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /^S: 220 mx\.example\.org ESMTP$/m);
  });

  it('loads what the bundle keeps apart (the embedded server) through the loader', () => {
    const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-run-'));
    folders.push(folder);
    const transcript = join(folder, 'local.smtp');
    writeFileSync(transcript, 'S: 220\nC: EHLO client.example\nS: 250\nC: QUIT\nS: 221\n');
    const run = cli(dist, ['run', '--format', 'json', transcript]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { ok: boolean }).ok, true);
  });

  /**
   * Runs dist/cli.js with a preload that notes which of Node's own modules
   * load after V8's flags first change: those are compiled from source rather
   * than from the code cache built into node.
   */
  async function modulesLoadedAfterFlags(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ modules: string[]; flags: string[]; stderr: string }> {
    const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-flags-'));
    folders.push(folder);
    const hook = join(folder, 'hook.js');
    writeFileSync(hook, [
      "const v8 = require('node:v8');",
      'const setFlags = v8.setFlagsFromString;',
      'let before = null;',
      'const flagsSet = [];',
      'v8.setFlagsFromString = (flags) => { before ??= new Set(process.moduleLoadList); flagsSet.push(flags); setFlags(flags); };',
      "process.on('exit', () => process.stderr.write(`LOADED AFTER FLAGS: ${JSON.stringify(process.moduleLoadList.filter((name) => before !== null && !before.has(name)))}\\nFLAGS SET: ${JSON.stringify(flagsSet)}\\n`));",
    ].join('\n'));
    const stderr = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--require', hook, join(dist, 'cli.js'), ...args], { timeout: 30_000, env, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr)));
    });
    const line = /LOADED AFTER FLAGS: (.*)/.exec(stderr);
    assert.ok(line, `the preload reports (stderr: ${stderr})`);
    const flags = JSON.parse(/FLAGS SET: (.*)/.exec(stderr)?.[1] ?? 'null') as string[];
    return { modules: (JSON.parse(line[1]) as string[]).filter((name) => name.startsWith('NativeModule ') && !name.startsWith('NativeModule internal/')), flags, stderr };
  }

  it("loads Node's modules that the bundle needs at start before it changes V8's flags (else they compile from source)", async () => {
    assert.deepEqual((await modulesLoadedAfterFlags(['--version'])).modules, []);
    // A whole session over TCP and its JSON on stdout: connecting, timing and writing need nothing more.
    const server = createServer((socket) => {
      socket.write('220 test.example\r\n');
      socket.on('data', (data) => socket.write(/^QUIT/i.test(data.toString('latin1')) ? '221 bye\r\n' : '250 ok\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-flags-run-'));
      folders.push(folder);
      const transcript = join(folder, 'one.smtp');
      writeFileSync(transcript, 'S: 220\nC: EHLO client.example\nS: 250\nC: QUIT\nS: 221\n');
      const port = (server.address() as AddressInfo).port;
      const run = ['run', '--server', `127.0.0.1:${port}`, '--format', 'json', transcript];
      // The engine's clock is process.hrtime: the global `performance` would load node:perf_hooks after the flags.
      assert.deepEqual((await modulesLoadedAfterFlags(run)).modules, []);
      // Phase timings do read `performance`: asked for, node:perf_hooks loads before the flags, and the line prints.
      const timed = await modulesLoadedAfterFlags(run, { ...process.env, SMTP_SESSION_TIMINGS: '1' });
      assert.deepEqual(timed.modules, []);
      assert.match(timed.stderr, /^timings: start-up [\d.]+ ms \(cpu \d+ ms\), parse [\d.]+ ms .*sessions [\d.]+ ms/m);
    } finally {
      server.close();
    }
  });

  it("leaves V8's flags alone for a small run (node:v8 is never loaded), and tunes them before a large transcript is parsed", async () => {
    const server = createServer((socket) => {
      socket.write('220 test.example\r\n');
      socket.on('data', (data) => socket.write(/^QUIT/i.test(data.toString('latin1')) ? '221 bye\r\n' : '250 ok\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const folder = mkdtempSync(join(tmpdir(), 'smtp-session-start-tuning-'));
      folders.push(folder);
      const port = (server.address() as AddressInfo).port;
      const small = join(folder, 'small.smtp');
      writeFileSync(small, 'S: 220\nC: EHLO client.example\nS: 250\nC: QUIT\nS: 221\n');
      const smallRun = await modulesLoadedAfterFlags(['run', '--server', `127.0.0.1:${port}`, '--format', 'json', small]);
      assert.deepEqual(smallRun.flags, []);
      // One session of many NOOPs: 80 KB, above the 64 KiB from which the tuning pays.
      const large = join(folder, 'large.smtp');
      writeFileSync(large, `S: 220\nC: EHLO client.example\nS: 250\n${'C: NOOP\nS: 250\n'.repeat(5_000)}C: QUIT\nS: 221\n`);
      const largeRun = await modulesLoadedAfterFlags(['run', '--server', `127.0.0.1:${port}`, '--format', 'json', large]);
      assert.deepEqual(largeRun.flags, ['--interrupt-budget=540672']);
      assert.deepEqual(largeRun.modules, [], 'connecting and writing need no Node module loaded after the flags');
    } finally {
      server.close();
    }
  });
});
