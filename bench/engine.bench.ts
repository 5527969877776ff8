import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SERVER_NODE_FLAGS } from '../server/src/serverProcess';
import type { BenchRow } from './parser.bench';
import { ms } from './measure';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const TRANSACTIONS = 1_000;
const BODY_MB = 50;
const RUNS = 3;

/** The embedded server in its own process, so the client under test does not share its event loop. */
async function startSink(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--tls', 'none', '--size', '100M'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      output += text;
      const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the sink exited with ${code}`)));
  });
  child.stdout!.resume();
  return { port, child };
}

function transactionsTranscript(): string {
  const lines = ['S: 220', 'C: EHLO bench.example', 'S: 250'];
  for (let i = 0; i < TRANSACTIONS; i++) {
    lines.push(`C: MAIL FROM:<sender${i}@example.com>`, `C: RCPT TO:<rcpt${i}@example.org>`, 'C: DATA', 'S: 250', 'S: 250', 'S: 354', `Subject: ${i}`, '', 'Benchmark body line.', '.', 'S: 250');
  }
  lines.push('C: QUIT', 'S: 221');
  return lines.join('\n');
}

/** A raw client's side of the peer: counts complete replies and waits for the n-th. */
function countReplies(socket: Socket): (count: number) => Promise<void> {
  let buffer = '';
  let replies = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (text: string) => {
    buffer += text;
    let end: number;
    while ((end = buffer.indexOf('\r\n')) !== -1) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line[3] !== '-') replies++;
    }
    while (waiters.length > 0 && replies >= waiters[0].count) waiters.shift()!.resolve();
  });
  return (count) => new Promise<void>((resolve) => (replies >= count ? resolve() : waiters.push({ count, resolve })));
}

/** The same transactions written by hand on a raw socket: the least any Node client must do. */
async function rawTransactions(port: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const until = countReplies(socket);
  let expected = 1;
  await until(expected);
  socket.write('EHLO bench.example\r\n');
  await until(++expected);
  for (let i = 0; i < TRANSACTIONS; i++) {
    socket.write(`MAIL FROM:<sender${i}@example.com>\r\nRCPT TO:<rcpt${i}@example.org>\r\nDATA\r\n`);
    expected += 3;
    await until(expected);
    socket.write(`Subject: ${i}\r\n\r\nBenchmark body line.\r\n.\r\n`);
    await until(++expected);
  }
  socket.write('QUIT\r\n');
  await until(++expected);
  socket.destroy();
}

async function rawBody(port: number, body: Buffer): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  const until = countReplies(socket);
  await until(1);
  socket.write('EHLO bench.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n');
  await until(5);
  await new Promise<void>((resolve) => socket.write(body, () => resolve()));
  socket.write('.\r\nQUIT\r\n');
  await until(7);
  socket.destroy();
}

/** Runs the CLI as a whole process; returns wall time and peak memory. */
function cli(args: string[]): Promise<{ ms: number; maxRssMb: number; status: number | null }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '-r', join(__dirname, '..', 'bench', 'reportMaxRss.js'), CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (stderr += text));
  return new Promise((resolve) => {
    child.once('exit', (status) => {
      const kb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? 0);
      resolve({ ms: performance.now() - started, maxRssMb: kb / 1024, status });
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchEngine(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'smtp-session-bench-'));
  const sink = await startSink();
  try {
    const transcript = join(folder, 'transactions.smtp');
    writeFileSync(transcript, transactionsTranscript());
    const line = 'The quick brown fox jumps over the lazy dog, and a few more words to fill the line.\r\n';
    const body = Buffer.from(line.repeat(Math.ceil((BODY_MB * 2 ** 20) / line.length)));
    writeFileSync(join(folder, 'body.txt'), body);
    const bodyTranscript = join(folder, 'body.smtp');
    writeFileSync(bodyTranscript, ['S: 220', 'C: EHLO bench.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', '{{$file body.txt}}', '.', 'S: 250', 'C: QUIT', 'S: 221'].join('\n'));
    const server = `127.0.0.1:${sink.port}`;

    const ours: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await cli(['run', '--server', server, '--format', 'json', transcript]);
      if (run.status !== 0) throw new Error(`the 1,000-transaction run exited ${run.status}`);
      ours.push(run.ms);
      const started = performance.now();
      await rawTransactions(sink.port);
      raw.push(performance.now() - started);
    }
    const bodyRuns: { ms: number; maxRssMb: number }[] = [];
    const rawBodyMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await cli(['run', '--server', server, '--format', 'json', bodyTranscript]);
      if (run.status !== 0) throw new Error(`the ${BODY_MB} MB run exited ${run.status}`);
      bodyRuns.push(run);
      const started = performance.now();
      await rawBody(sink.port, body);
      rawBodyMs.push(performance.now() - started);
    }
    const bodyMs = median(bodyRuns.map((run) => run.ms));
    const peak = Math.max(...bodyRuns.map((run) => run.maxRssMb));
    return [
      {
        name: `smtp-session run: ${TRANSACTIONS.toLocaleString('en')} pipelined transactions, one connection`,
        figure: `median ${ms(median(ours))} (whole process)`,
        peer: `raw Node socket, same commands: median ${ms(median(raw))} (in-process, no start-up)`,
        ratio: `${(median(ours) / median(raw)).toFixed(1)}×`,
        note: 'includes Node start-up (~60 ms), parsing and checking each reply; Postfix smtp-source is not installed here (issue 6 adds it)',
      },
      {
        name: `smtp-session run: ${BODY_MB} MB {{$file}} body`,
        figure: `median ${ms(bodyMs)} (${(BODY_MB / (bodyMs / 1000)).toFixed(0)} MB/s), peak memory ${peak.toFixed(0)} MB`,
        peer: `raw socket writing the same bytes: median ${ms(median(rawBodyMs))}`,
        ratio: `${(bodyMs / median(rawBodyMs)).toFixed(1)}×`,
        note: 'the file is streamed, normalised to CRLF and dot-stuffed in chunks; peak memory stays far below the body size',
      },
    ];
  } finally {
    sink.child.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  }
}
