// Time to greeting: from connect() to the first reply line, on the embedded
// capture server and on a raw `net` server that writes its 220 on accept —
// each in its own process, measured alternately in the same run.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { median, ratio } from './benchProcess';
import { ms } from './measure';
import type { BenchRow } from './parser.bench';

const CONNECTIONS = 20;

/** A server that greets the moment it accepts: Node's floor for the same exchange. */
const RAW_SERVER = `
const server = require('node:net').createServer((socket) => {
  socket.on('error', () => {});
  socket.end('220 raw ready\\r\\n');
});
server.listen(0, '127.0.0.1', () => console.log('Listening on 127.0.0.1:' + server.address().port));
`;

export async function startRawGreetingServer(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', RAW_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.once('data', (text: string) => {
      const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
      else reject(new Error(`the raw server said ${JSON.stringify(text)}`));
    });
    child.once('exit', (code) => reject(new Error(`the raw server exited with ${code}`)));
  });
  return { port, child };
}

/** Milliseconds from connect() to the end of the first line the server sends. */
function timeToGreeting(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\r\n')) return;
      const elapsed = performance.now() - started;
      socket.destroy();
      if (text.startsWith('220')) resolve(elapsed);
      else reject(new Error(`greeting was ${JSON.stringify(text)}`));
    });
    socket.on('error', reject);
  });
}

/** `embeddedPort`: a running `smtp-session serve` (no delay, no implicit TLS). */
export async function benchGreeting(embeddedPort: number): Promise<BenchRow> {
  const raw = await startRawGreetingServer();
  try {
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      ours.push(await timeToGreeting(embeddedPort));
      peer.push(await timeToGreeting(raw.port));
    }
    return {
      name: `embedded capture server: time to greeting (connect → 220 line), ${CONNECTIONS} connections`,
      figure: `median ${ms(median(ours))}, max ${ms(Math.max(...ours))}`,
      peer: `raw Node net server greeting on accept: median ${ms(median(peer))}`,
      ratio: ratio(median(ours), median(peer)),
      note: 'smtp-server\'s 100 ms early-talker pause is replaced by two event-loop turns (greetingWithoutPause.ts); what remains is its connection set-up and onConnect',
    };
  } finally {
    raw.child.kill('SIGTERM');
  }
}
