// The least any Node client must do for the engine's workloads: the same
// bytes written by hand on a raw socket, in the benchmark's own process (so no
// start-up), waiting only for the number of replies the dialogue needs.
import { connect, type Socket } from 'node:net';
import { CLIENT_NAME, MESSAGE_LINES, RECIPIENT, SENDER } from './peerTranscripts';

/** Counts complete replies (a line whose fourth character is not "-") and waits for the n-th. */
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

/** `count` pipelined transactions on one connection, as peerTranscripts.pipelinedSession writes them. */
export async function rawPipelinedTransactions(port: number, count: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  const until = countReplies(socket);
  const group = `MAIL FROM:<${SENDER}>\r\nRCPT TO:<${RECIPIENT}>\r\nDATA\r\n`;
  const message = `${MESSAGE_LINES.join('\r\n')}\r\n.\r\n`;
  let expected = 1;
  await until(expected);
  socket.write(`EHLO ${CLIENT_NAME}\r\n`);
  await until(++expected);
  for (let i = 0; i < count; i++) {
    socket.write(group);
    expected += 3;
    await until(expected);
    socket.write(message);
    await until(++expected);
  }
  socket.write('QUIT\r\n');
  await until(++expected);
  socket.destroy();
}

/** `count` sessions one after the other, as peerTranscripts.separateSessions writes them: a connection, HELO, one lock-step transaction, QUIT each. */
export async function rawSeparateSessions(port: number, count: number): Promise<void> {
  const commands = [`HELO ${CLIENT_NAME}\r\n`, `MAIL FROM:<${SENDER}>\r\n`, `RCPT TO:<${RECIPIENT}>\r\n`, 'DATA\r\n', `${MESSAGE_LINES.join('\r\n')}\r\n.\r\n`, 'QUIT\r\n'];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    const until = countReplies(socket);
    await until(1);
    for (let sent = 0; sent < commands.length; sent++) {
      socket.write(commands[sent]);
      await until(sent + 2);
    }
    socket.destroy();
  }
}

/** One message whose body is `body` (already in wire form, CRLF, dot-stuffed). */
export async function rawBody(port: number, body: Buffer): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  const until = countReplies(socket);
  await until(1);
  socket.write(`EHLO ${CLIENT_NAME}\r\nMAIL FROM:<${SENDER}>\r\nRCPT TO:<${RECIPIENT}>\r\nDATA\r\n`);
  await until(5);
  await new Promise<void>((resolve) => socket.write(body, () => resolve()));
  socket.write('.\r\nQUIT\r\n');
  await until(7);
  socket.destroy();
}
