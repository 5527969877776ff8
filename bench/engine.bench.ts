// The engine against the embedded server (smtp-session serve, in its own
// process), next to a raw Node socket doing the same in the benchmark's
// process. The embedded server is Node too, and slow itself; peers.bench.ts
// measures against Postfix's smtp-sink, which shows the engine's own cost.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI_PATH, median, medianMs, ratio, timeRuns } from './benchProcess';
import { writeBodyWorkload } from './bodyWorkload';
import { benchGreeting } from './greeting.bench';
import { ms } from './measure';
import type { BenchRow } from './parser.bench';
import { pipelinedSession } from './peerTranscripts';
import { rawBody, rawPipelinedTransactions } from './rawClient';

const TRANSACTIONS = 1_000;
const BODY_MB = 50;
const RUNS = 3;

/** The embedded server in its own process, so the client under test does not share its event loop. */
async function startEmbeddedServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--port', '0', '--tls', 'none', '--size', '100M'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      output += text;
      const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the embedded server exited with ${code}`)));
  });
  child.stdout!.resume();
  return { port, child };
}

async function timeInProcess(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export async function benchEngine(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'smtp-session-bench-'));
  const server = await startEmbeddedServer();
  try {
    const transcript = join(folder, 'transactions.smtp');
    writeFileSync(transcript, pipelinedSession(TRANSACTIONS));
    const body = writeBodyWorkload(folder, BODY_MB);
    const address = `127.0.0.1:${server.port}`;
    const greeting = await benchGreeting(server.port);

    const ours = await timeRuns(RUNS, 'the 1,000-transaction run', process.execPath, [CLI_PATH, 'run', '--server', address, '--format', 'json', transcript]);
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) raw.push(await timeInProcess(() => rawPipelinedTransactions(server.port, TRANSACTIONS)));
    const bodyRuns = await timeRuns(RUNS, `the ${BODY_MB} MB run`, process.execPath, [CLI_PATH, 'run', '--server', address, '--format', 'json', body.transcript], { nodeMaxRss: true });
    const rawBodyMs: number[] = [];
    for (let i = 0; i < RUNS; i++) rawBodyMs.push(await timeInProcess(() => rawBody(server.port, body.wireBytes)));

    const bodyMs = medianMs(bodyRuns);
    const peak = Math.max(...bodyRuns.map((run) => run.maxRssMb ?? 0));
    return [
      greeting,
      {
        name: `smtp-session run: ${TRANSACTIONS.toLocaleString('en')} pipelined transactions, one connection, embedded server`,
        figure: `median ${ms(medianMs(ours))} (whole process)`,
        peer: `raw Node socket, same commands: median ${ms(median(raw))} (in-process, no start-up)`,
        ratio: ratio(medianMs(ours), median(raw)),
        note: 'the embedded server (smtp-server, Node) sets the pace for both: most of either figure is its time; against smtp-sink below the engine\'s own cost shows',
      },
      {
        name: `smtp-session run: ${BODY_MB} MB {{$file}} body, embedded server`,
        figure: `median ${ms(bodyMs)} (${(BODY_MB / (bodyMs / 1000)).toFixed(0)} MB/s), peak memory ${peak.toFixed(0)} MB`,
        peer: `raw socket writing the same bytes: median ${ms(median(rawBodyMs))}`,
        ratio: ratio(bodyMs, median(rawBodyMs)),
        note: 'the file is streamed in 64 KiB chunks (sent as they are when already in wire form, else normalised to CRLF and dot-stuffed); peak memory stays far below the body size; the server parsing the message is most of both',
      },
    ];
  } finally {
    server.child.kill('SIGTERM');
    rmSync(folder, { recursive: true, force: true });
  }
}
