// A raw TCP server for engine tests: each connection runs a script that reads
// the client's lines and writes whatever bytes the test wants, so a test can
// play a correct server, a broken one or an attacker. Loopback unless a test
// asks for another local address (the engine treats loopback specially).
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ScriptedConnection {
  socket: Socket;
  /** Everything received so far, as bytes. */
  received(): Buffer;
  /** Resolves with the next CRLF-terminated line the client sends (without CRLF). */
  line(): Promise<string>;
  /** Resolves once `count` lines have arrived, without consuming them. */
  linesArrived(count: number): Promise<void>;
  /** Reads up to and including the line that is exactly ".", returning the raw bytes of the body. */
  body(): Promise<Buffer>;
  /** Resolves with exactly the next `count` bytes the client sends (a BDAT chunk), whatever they are. */
  bytes(count: number): Promise<Buffer>;
  /** Resolves once the client's connection has closed (either side ended it). */
  closed: Promise<void>;
  send(text: string | Buffer): void;
}

export interface ScriptedServer {
  /** The TCP port; 0 when the server listens on a Unix socket. */
  port: number;
  connections: ScriptedConnection[];
  close(): Promise<void>;
}

/** Listens on `host` (loopback by default), or on a Unix socket when `host` is an absolute path (for `@server = unix:/path`). */
export async function startScriptedServer(script: (connection: ScriptedConnection) => Promise<void>, host = '127.0.0.1'): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let buffer = Buffer.alloc(0);
    let consumed = 0;
    const waiters: (() => void)[] = [];
    let closed = false;
    const closedPromise = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (const wake of waiters.splice(0)) wake();
    });
    socket.on('close', () => {
      closed = true;
      for (const wake of waiters.splice(0)) wake();
    });
    // Waits for more bytes; once the client has gone, waiting fails and the script ends.
    const more = () => (closed ? Promise.reject(new Error('client closed')) : new Promise<void>((resolve) => waiters.push(resolve)));
    const connection: ScriptedConnection = {
      socket,
      received: () => Buffer.concat(chunks),
      async line() {
        for (;;) {
          const end = buffer.indexOf('\r\n', consumed);
          if (end !== -1) {
            const text = buffer.subarray(consumed, end).toString('utf8');
            consumed = end + 2;
            return text;
          }
          await more();
        }
      },
      async linesArrived(count) {
        for (;;) {
          let found = 0;
          for (let at = buffer.indexOf('\r\n', consumed); at !== -1; at = buffer.indexOf('\r\n', at + 2)) found++;
          if (found >= count) return;
          await more();
        }
      },
      async body() {
        for (;;) {
          if (buffer.subarray(consumed, consumed + 3).equals(Buffer.from('.\r\n'))) {
            consumed += 3;
            return Buffer.alloc(0);
          }
          const end = buffer.indexOf('\r\n.\r\n', consumed);
          if (end !== -1) {
            const body = buffer.subarray(consumed, end + 2);
            consumed = end + 5;
            return body;
          }
          await more();
        }
      },
      async bytes(count) {
        while (buffer.length - consumed < count) await more();
        const chunk = buffer.subarray(consumed, consumed + count);
        consumed += count;
        return chunk;
      },
      closed: closedPromise,
      send(text) {
        if (!socket.destroyed) socket.write(text);
      },
    };
    connections.push(connection);
    script(connection).catch(() => socket.destroy());
  });
  const socketPath = host.startsWith('/') ? host : null;
  await new Promise<void>((resolve) => (socketPath ? server.listen(socketPath, resolve) : server.listen(0, host, resolve)));
  return {
    port: socketPath ? 0 : (server.address() as AddressInfo).port,
    connections,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A well-behaved server for the common opening: greeting, then EHLO answered with `keywords`. */
export async function greetAndEhlo(connection: ScriptedConnection, keywords: string[] = ['PIPELINING', '8BITMIME']): Promise<void> {
  connection.send('220 test.example ESMTP\r\n');
  await connection.line();
  const lines = ['test.example', ...keywords];
  connection.send(lines.map((line, i) => `250${i === lines.length - 1 ? ' ' : '-'}${line}\r\n`).join(''));
}

/**
 * A permissive server: greets, answers EHLO with `keywords`, reads DATA bodies
 * and BDAT chunks, asks for SASL responses after AUTH LOGIN (and accepts
 * them), accepts everything else with 250 and QUIT with 221. Everything the
 * client sent stays in `received()`, for byte-exact comparisons.
 */
export async function answerEverything(connection: ScriptedConnection, keywords: string[] = ['PIPELINING', 'CHUNKING', '8BITMIME', 'AUTH PLAIN LOGIN']): Promise<void> {
  await greetAndEhlo(connection, keywords);
  let saslSteps = 0;
  for (;;) {
    const line = await connection.line();
    const verb = line.split(' ', 1)[0].toUpperCase();
    if (saslSteps > 0) {
      saslSteps--;
      connection.send(saslSteps > 0 ? '334 UGFzc3dvcmQ6\r\n' : '235 2.7.0 ok\r\n');
    } else if (verb === 'QUIT') {
      connection.send('221 2.0.0 bye\r\n');
      return;
    } else if (verb === 'AUTH' && /^AUTH LOGIN$/i.test(line)) {
      saslSteps = 2;
      connection.send('334 VXNlcm5hbWU6\r\n');
    } else if (verb === 'AUTH') {
      connection.send('235 2.7.0 ok\r\n');
    } else if (verb === 'DATA') {
      connection.send('354 go ahead\r\n');
      await connection.body();
      connection.send('250 2.0.0 queued\r\n');
    } else if (verb === 'BDAT') {
      await connection.bytes(Number(line.split(' ')[1]));
      connection.send('250 2.0.0 chunk ok\r\n');
    } else {
      connection.send('250 2.0.0 ok\r\n');
    }
  }
}

/** For sessions that must not need a secret: asking for one fails the session with an error naming it. */
export const noSecrets: { secret(name: string): Promise<string>; prompt(label: string): Promise<string> } = {
  secret: async (name) => {
    throw new Error(`no secret ${name}`);
  },
  prompt: async (label) => {
    throw new Error(`no prompt ${label}`);
  },
};
