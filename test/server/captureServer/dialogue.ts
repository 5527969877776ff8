// A line-oriented SMTP client for the capture server's tests: it reads
// replies whole and in order, so a test can say what it sends and what it
// expects back, and see when the server closes the connection.
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** A line-oriented SMTP client for tests: replies are read whole (RFC 5321 §4.2.1), in order, as they arrive. */
export class Dialogue {
  private buffer = '';
  private partial: string[] = [];
  private readonly replies: string[][] = [];
  private readonly waiting: ((reply: string[] | null) => void)[] = [];
  private ended = false;
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket | TLSSocket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => this.receive(text));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.once('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter(null);
    });
    socket.on('error', () => undefined);
  }

  /** The next reply's lines, or null when the server closed the connection first. */
  reply(): Promise<string[] | null> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Sends one command and returns its reply. */
  async command(line: string): Promise<string[] | null> {
    this.send(line);
    return this.reply();
  }

  send(text: string): void {
    this.socket.write(text.endsWith('\r\n') ? text : `${text}\r\n`, 'latin1');
  }

  /** Whatever arrived and was not read as a reply yet. */
  get pending(): string {
    return this.buffer;
  }

  private receive(text: string): void {
    this.buffer += text;
    const lines: string[] = [];
    for (let end = this.buffer.indexOf('\r\n'); end !== -1; end = this.buffer.indexOf('\r\n')) {
      lines.push(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 2);
    }
    let current: string[] = this.partial;
    for (const line of lines) {
      current.push(line);
      if (line[3] !== '-') {
        this.deliver(current);
        current = [];
      }
    }
    this.partial = current;
  }

  private deliver(reply: string[]): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(reply);
    else this.replies.push(reply);
  }
}
