// How an SmtpConnection ends, seen from the server's side of a real socket.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SmtpConnection } from '../../../server/src/engine/smtpConnection';

const TIMEOUT = { timeout: 10_000 };

interface SeenByServer {
  received: string;
  /** The client's end of the connection arrived as a FIN ('end'), not as a reset. */
  ended: boolean;
  error: string | null;
}

/** A server that greets, answers QUIT with 221, and reports how the client left. */
async function quitServer(): Promise<{ port: number; seen: Promise<SeenByServer>; close(): void }> {
  let report: (seen: SeenByServer) => void = () => undefined;
  const seen = new Promise<SeenByServer>((resolve) => (report = resolve));
  const server = createServer((socket: Socket) => {
    const result: SeenByServer = { received: '', ended: false, error: null };
    socket.setEncoding('latin1');
    socket.write('220 test.example\r\n');
    socket.on('data', (text: string) => {
      result.received += text;
      if (result.received.endsWith('QUIT\r\n')) socket.write('221 bye\r\n');
    });
    socket.on('end', () => (result.ended = true));
    socket.on('error', (error: NodeJS.ErrnoException) => (result.error = error.code ?? error.message));
    socket.on('close', () => report(result));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen, close: () => server.close() };
}

describe('SmtpConnection: how a connection ends', () => {
  it('after an answered QUIT, the server reads everything sent and then the end of the connection (a FIN, no reset)', TIMEOUT, async () => {
    const server = await quitServer();
    try {
      const connection = await SmtpConnection.open('127.0.0.1', server.port, 5_000, null);
      assert.equal((await connection.readReply(5_000, 'the greeting')).code, 220);
      await connection.write('QUIT\r\n');
      assert.equal((await connection.readReply(5_000, 'QUIT')).code, 221);
      connection.close();
      assert.equal(connection.usable, false);
      assert.deepEqual(await server.seen, { received: 'QUIT\r\n', ended: true, error: null });
    } finally {
      server.close();
    }
  });

  it('closed without a QUIT (a session cut short), the server still gets a clean end, not a reset', TIMEOUT, async () => {
    const server = await quitServer();
    try {
      const connection = await SmtpConnection.open('127.0.0.1', server.port, 5_000, null);
      assert.equal((await connection.readReply(5_000, 'the greeting')).code, 220);
      connection.close();
      assert.deepEqual(await server.seen, { received: '', ended: true, error: null });
    } finally {
      server.close();
    }
  });

  it('a connection the server closed does not keep the process alive, even when nobody closes it (its reply timer goes with the socket)', TIMEOUT, async () => {
    // The server greets and hangs up; the child reads the greeting, waits for a reply that never comes (the
    // wait fails when the socket closes) and never calls close(). The reply timeout is 60 s: the child must
    // exit long before that.
    const server = createServer((socket) => socket.end('220 test.example\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const engine = join(__dirname, '..', '..', '..', 'server', 'src', 'engine', 'smtpConnection.ts');
      const program = [
        `const { SmtpConnection } = require(${JSON.stringify(engine)});`,
        '(async () => {',
        `  const connection = await SmtpConnection.open('127.0.0.1', ${port}, 60000, null);`,
        "  await connection.readReply(60000, 'the greeting');",
        "  await connection.readReply(60000, 'a reply').catch((error) => console.log(error.message));",
        '})();',
      ].join('\n');
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', program], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(status, 0, output);
      assert.match(output, /The server closed the connection/);
      assert.ok(Date.now() - started < 8_000, `the child took ${Date.now() - started} ms to exit`);
    } finally {
      server.close();
    }
  });
});
