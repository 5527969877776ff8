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
let file: string;
before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-load-'));
  file = join(folder, 'load.smtp');
  writeFileSync(file, ['### Deliver', 'S: 220', 'C: EHLO load.test', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', 'hello', '.', 'S: 250', 'C: QUIT', 'S: 221'].join('\n'));
});
after(() => rmSync(folder, { recursive: true, force: true }));

describe('smtp-session load', () => {
  it('prints throughput, replies by code as a histogram, latency percentiles per step kind; exit 0', { timeout: 30_000 }, async () => {
    const result = await run('load', file, '--connections', '3', '--count', '12');
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^12 sessions in \d+\.\d\d s over 3 connections to 127\.0\.0\.1:\d+\n {2}12 passed, 0 failed, 0 errored\n {2}[\d.]+ sessions\/s, [\d.]+ messages\/s \(12 messages accepted\)/);
    assert.match(result.stdout, /Replies by code:\n {2}220 {2}12 {2}█{10}\n {2}221 {2}12 {2}█{10}\n {2}250 {2}48 {2}█{40}\n {2}354 {2}12 {2}█{10}\n/);
    assert.match(result.stdout, /Latency \(ms\): +count +p50 +p95 +p99 +max\n {2}greeting +12 /);
    assert.match(result.stdout, /^ {2}session +12 /m);
  });

  it('--format json gives the same figures for tools', { timeout: 30_000 }, async () => {
    const result = await run('load', file, '--count', '4', '--format', 'json');
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.sessions, { finished: 4, passed: 4, failed: 0, errored: 0 });
    assert.deepEqual(Object.keys(report), ['server', 'connections', 'elapsedMs', 'sessions', 'messages', 'sessionsPerSecond', 'messagesPerSecond', 'replies', 'latency', 'errors', 'examples', 'cancelled']);
  });

  it('refuses a load without an end, or with two, and names what to write', async () => {
    for (const [args, message] of [
      [[file], /load needs --count N \(sessions in all\) or --duration SECONDS, one of the two/],
      [[file, '--count', '3', '--duration', '2'], /one of the two/],
      [[file, '--count', '0'], /--count must be a whole number from 1/],
      [[file, '--count', '2', '--rate', '-1'], /--rate must be a number greater than 0, not "-1"/],
    ] as const) {
      const result = await run('load', ...args);
      assert.equal(result.status, 2);
      assert.match(result.stderr, message);
    }
  });
});
