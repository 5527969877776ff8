import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';

/** The first reply line the server sends on a new connection, and whether the client wrote `early` before reading anything. */
function firstLine(server: RunningLocalServer, early?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(server.port, server.host, () => {
      if (early !== undefined) socket.write(early);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed before a reply line; received ${JSON.stringify(text)}`)));
  });
}

describe('capture server greeting', () => {
  let server: RunningLocalServer;
  before(async () => {
    server = await startLocalServer({ port: 0, tls: 'none' });
  });
  after(() => server.close());

  it('greets without arming smtp-server\'s 100 ms early-talker timer', async () => {
    // setTimeout is watched, not replaced: with the pause back, the greeting
    // would still come (100 ms later) and this assertion would name the timer.
    const timers = mock.method(globalThis, 'setTimeout');
    try {
      assert.match(await firstLine(server), /^220 localhost /);
      const delays = timers.mock.calls.map((call) => call.arguments[1]);
      assert.deepEqual(delays.filter((delay) => typeof delay === 'number' && delay >= 100), []);
    } finally {
      timers.mock.restore();
    }
  });

  it('still answers a client that talks before the greeting with 421 You talk too soon', async () => {
    // The client writes in its connect callback, so its command is in the
    // server's socket before the server's second event-loop turn.
    assert.match(await firstLine(server, 'EHLO early.example\r\n'), /^421 localhost You talk too soon/);
  });
});
