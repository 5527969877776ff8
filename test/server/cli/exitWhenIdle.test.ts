// The CLI ends its process with process.exit() once its command is done (to
// skip Node's heap teardown), but only when Node would have ended by itself:
// nothing written may be lost, nothing still under way cut short. Each case
// runs a small program in its own process, bundled as the CLI is (tsx would
// leave its own file reads under way); 'beforeExit' is emitted only when Node
// ends by itself, so it tells which way the process ended.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSync } from 'esbuild';

const modulePath = join(__dirname, '..', '..', '..', 'server', 'src', 'cli', 'exitWhenIdle.ts');
const folder = mkdtempSync(join(tmpdir(), 'smtp-session-exit-'));

/** Runs `body` (with exitWhenIdle in scope) and reads its stdout through a pipe, only after `readAfterMs`. */
function run(body: string, readAfterMs = 0): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const name = `case-${Math.random().toString(36).slice(2)}`;
  const script = join(folder, `${name}.ts`);
  const preamble = `import { writeSync } from 'node:fs';\nimport { exitWhenIdle } from ${JSON.stringify(modulePath)};\nimport { createServer, connect } from 'node:net';\nprocess.once('beforeExit', () => writeSync(2, 'ended by itself'));\n`;
  writeFileSync(script, `${preamble}${body}\n`);
  buildSync({ entryPoints: [script], bundle: true, platform: 'node', format: 'cjs', outfile: join(folder, `${name}.js`), logLevel: 'error' });
  const child = spawn(process.execPath, [join(folder, `${name}.js`)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  child.stdout.pause();
  setTimeout(() => child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk)).resume(), readAfterMs);
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr }));
  });
}

describe('exitWhenIdle (how the CLI process ends)', () => {
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('ends at once with the status when nothing is left to do', async () => {
    const result = await run(`process.stdout.write('done\\n');\nexitWhenIdle(3);`);
    assert.equal(result.status, 3);
    assert.equal(result.stdout, 'done\n');
    assert.doesNotMatch(result.stderr, /ended by itself/, 'process.exit() skipped the natural end');
  });

  it('delivers big output whole through a pipe whose reader is slow to start', async () => {
    // 8 MB is far beyond a pipe's buffer (64 KB): most of it is still queued in the process when the command returns.
    const line = `${'x'.repeat(79)}\n`;
    const result = await run(`process.stdout.write(${JSON.stringify(line)}.repeat(100_000));\nprocess.stdout.write('last line\\n');\nexitWhenIdle(1);`, 300);
    assert.equal(result.status, 1);
    assert.equal(result.stdout.length, line.length * 100_000 + 'last line\n'.length);
    assert.ok(result.stdout.endsWith(`${line}last line\n`));
  });

  it('waits for a connection still closing, and leaves the end to Node', async () => {
    // A server that answers a client's end with its own only 200 ms later: the socket keeps the process alive till then.
    const result = await run(`
const server = createServer((peer) => peer.on('end', () => setTimeout(() => peer.end(), 200)));
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  const socket = connect(port, '127.0.0.1', () => {
    socket.end();
    server.close();
    socket.on('close', () => process.stdout.write('closed\\n'));
    socket.resume();
    exitWhenIdle(0);
  });
});`);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, 'closed\n', 'the connection finished closing before the process ended');
    assert.match(result.stderr, /ended by itself/);
  });

  it('never cuts a pending timer short', async () => {
    const result = await run(`setTimeout(() => process.stdout.write('later\\n'), 100);\nexitWhenIdle(0);`);
    assert.equal(result.stdout, 'later\n');
    assert.match(result.stderr, /ended by itself/);
  });
});
