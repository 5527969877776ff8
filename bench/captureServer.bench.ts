// The capture server's memory under load: 16 clients each sending a 45 MB
// message at once to `smtp-session serve` in its own process, its peak
// resident memory read as it exits. The peer is what the clients sent: a
// server that held each message while it arrived needed about that much
// (1.73 GB resident before messages were spooled to disk).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './parser.bench';

const CLIENTS = 16;
const MESSAGE_OCTETS = 45 * 1024 * 1024;
const LINE = `${'x'.repeat(998)}\r\n`;

export async function benchCaptureServer(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-session-bench-capture-'));
  const server = spawn(process.execPath, ['-r', join(__dirname, '..', 'bench', 'reportMaxRss.js'), join(__dirname, 'cli.js'), 'serve', '--port', '0', '--dir', dir, '--tls', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    server.stderr!.setEncoding('utf8');
    server.stderr!.on('data', (text: string) => (stderr += text));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout!.setEncoding('utf8');
      server.stdout!.on('data', (text: string) => {
        out += text;
        const match = /Listening on [^:]+:(\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      server.once('exit', () => reject(new Error(`serve exited before listening: ${stderr}`)));
    });
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: CLIENTS }, () => sendMessage(port)));
    const seconds = (Date.now() - started) / 1000;
    const refused = replies.filter((reply) => !reply.startsWith('250'));
    if (refused.length > 0) throw new Error(`capture server refused ${refused.length} messages: ${refused[0]}`);
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    server.kill('SIGINT');
    await exited;
    const peakMb = Number(/MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
    const sentMb = (CLIENTS * MESSAGE_OCTETS) / 1024 / 1024;
    return [{
      name: `capture server: ${CLIENTS} concurrent ${MESSAGE_OCTETS / 1024 / 1024} MB messages`,
      figure: `peak RSS ${peakMb.toFixed(0)} MB (${seconds.toFixed(1)} s)`,
      peer: `${sentMb.toFixed(0)} MB sent`,
      ratio: `${(peakMb / sentMb).toFixed(2)}× what was sent`,
      note: 'smtp-session serve in its own process, messages spooled to .eml files as they arrive (256 KB in memory at most each); peak RSS read as the process exits',
    }];
  } finally {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One transaction over plain SMTP, the message written as the socket takes it; resolves to the end-of-data reply. */
function sendMessage(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    socket.setEncoding('latin1');
    let buffer = '';
    let step = 0;
    const commands = ['EHLO bench.example', 'MAIL FROM:<bench@example.org>', 'RCPT TO:<sink@example.org>', 'DATA'];
    socket.on('error', reject);
    socket.on('data', (text: string) => {
      buffer += text;
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (line[3] === '-') continue;
        if (step < commands.length) socket.write(`${commands[step]}\r\n`);
        else if (step === commands.length) writeBody(socket);
        else {
          socket.end('QUIT\r\n');
          resolve(line);
          return;
        }
        step++;
      }
    });
  });
}

function writeBody(socket: Socket): void {
  const block = Buffer.from(LINE.repeat(64));
  let written = 0;
  const pump = () => {
    while (written < MESSAGE_OCTETS) {
      written += block.length;
      if (!socket.write(block)) return void socket.once('drain', pump);
    }
    socket.write('.\r\n');
  };
  pump();
}
