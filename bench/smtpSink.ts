// Postfix's smtp-sink on a free loopback port, started and stopped (by its
// pid) by the benchmark itself. It accepts every message and throws it away,
// in C, so what is measured against it is the client's own cost.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface RunningSink {
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startSmtpSink(path: string): Promise<RunningSink> {
  const port = await freePort();
  // As root smtp-sink insists on dropping privileges (-u); the backlog (last argument) is the listen queue.
  const privileges = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(path, [...privileges, `127.0.0.1:${port}`, '256'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => (stderr += text));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await exited(child);
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`smtp-sink exited at start (${child.exitCode}): ${stderr.trim()}`);
    if (await accepts(port)) return { port, stop };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await stop();
  throw new Error(`smtp-sink did not accept connections on 127.0.0.1:${port} within 2 s: ${stderr.trim()}`);
}
