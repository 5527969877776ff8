import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

let folder: string;
const write = (name: string, lines: string[]) => {
  const path = join(folder, name);
  writeFileSync(path, lines.join('\n'));
  return path;
};

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-run-'));
});
after(() => rmSync(folder, { recursive: true, force: true }));

const TIMEOUT = { timeout: 20_000 };

describe('smtp-session run (against the embedded server when the file names none)', () => {
  it('prints the documented JSON and exits 0 when every expectation holds, over verified STARTTLS', TIMEOUT, async () => {
    const path = write('ok.smtp', [
      '### Deliver', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'S: 250 2.1.0', 'C: RCPT TO:<b@example.org>', 'S: 250 2.1.5', 'C: DATA', 'S: 354', 'Subject: t', '', 'hi', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    const result = await run('run', '--format', 'json', path);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.file, path);
    assert.equal(report.ok, true);
    const [session] = report.sessions;
    assert.deepEqual(Object.keys(session).slice(0, 7), ['name', 'line', 'server', 'ok', 'error', 'tls', 'warnings']);
    assert.equal(session.name, 'Deliver');
    assert.equal(session.tls.verified, true);
    assert.match(session.tls.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.deepEqual(Object.keys(session.steps[0]).slice(0, 7), ['line', 'kind', 'sent', 'reply', 'expected', 'ok', 'mismatch']);
    assert.deepEqual(session.steps.map((s: { kind: string }) => s.kind), ['greeting', 'command', 'command', 'command', 'command', 'command', 'command', 'data', 'command']);
  });

  it('exits 1 and explains the mismatch when a reply differs from the expectation', TIMEOUT, async () => {
    const path = write('mismatch.smtp', ['S: 220', 'C: NOOP', 'S: 550', 'C: QUIT', 'S: 221']);
    const result = await run('run', path);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /# line 2: expected 550, got 250/);
    assert.match(result.stdout, /1 session: 0 passed, 1 failed/);
  });

  it('exits 2 with a clear message when the server cannot be reached', TIMEOUT, async () => {
    const path = write('unreachable.smtp', ['S: 220', 'C: QUIT']);
    const result = await run('run', '--server', '127.0.0.1:1', '--format', 'json', path);
    assert.equal(result.status, 2);
    assert.match(JSON.parse(result.stdout).sessions[0].error.message, /Could not connect to 127\.0\.0\.1:1: nothing is listening there/);
  });

  it('runs one session chosen by number or name, and rejects an unknown one', TIMEOUT, async () => {
    const path = write('two.smtp', ['### First', 'S: 220', 'C: QUIT', 'S: 221', '### Second', 'S: 220', 'C: NOOP', 'S: 250', 'C: QUIT', 'S: 221']);
    const byName = JSON.parse((await run('run', '--format', 'json', '--session', 'Second', path)).stdout);
    assert.deepEqual(byName.sessions.map((s: { name: string }) => s.name), ['Second']);
    const byNumber = JSON.parse((await run('run', '--format', 'json', '--session', '1', path)).stdout);
    assert.deepEqual(byNumber.sessions.map((s: { name: string }) => s.name), ['First']);
    const unknown = await run('run', '--session', 'Third', path);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No session "Third" in the file; it has: 1 \(First\), 2 \(Second\)/);
  });

  it('refuses to run a file with parser errors, naming the line', TIMEOUT, async () => {
    const path = write('broken.smtp', ['S: 220', 'EHLO no prefix', 'C: QUIT']);
    const result = await run('run', '--format', 'json', path);
    assert.equal(result.status, 2);
    assert.match(JSON.parse(result.stdout).sessions[0].error.message, /^line 2: unprefixed-line/);
  });
});
