// What the engine has encoded but not yet written, so a pipelined group goes
// out in one write (RFC 2920 §3.1: "the client SHOULD send the commands in a
// single TCP segment where possible"), and a message body with its end of data
// in one more. Every small write is a system call and, with Nagle off, a TCP
// segment the server must wake up for: per transaction that was five writes,
// and most of the engine's time.

import { escapeForDisplay } from './displayText';
import { SessionError } from './sessionErrors';
import type { SmtpConnection } from './smtpConnection';

export class OutgoingBatch {
  /** Bytes queued (a streamed file's chunks), in order; text queued after the last of them is in `text`. */
  private parts: Buffer[] = [];
  /**
   * Lines queued as text, after `parts`: a command, a pipelined group or a body written inline goes out as
   * one string, which the socket encodes once — no Buffer per line, and none to join them again.
   */
  private text = '';
  /** Octets in `parts` plus characters in `text` (at most the octets it encodes to): what bounds the queue. */
  private size = 0;
  private timeoutMs = 0;
  /** Some queued bytes belong to a message body. */
  private holdsBody = false;
  /** A body has begun and its end of data is not queued yet. */
  private bodyOpen = false;
  /**
   * Part of a message body has been written but not its end: the server reads
   * anything more as message text (so no QUIT may follow). A write that fails
   * with body bytes in it leaves this set, since what arrived is unknown.
   */
  inBody = false;
  /** 1-based line of the "." that ends the body being written, for the early-reply error. */
  private bodyEndLine: number | null = null;

  /** Queues bytes or text (UTF-8 on the wire); the write timeout of the batch is the longest of its parts'. */
  add(bytes: Buffer | string, timeoutMs: number): void {
    if (bytes.length === 0) return;
    if (typeof bytes === 'string') {
      this.text += bytes;
    } else {
      if (this.text !== '') this.parts.push(Buffer.from(this.text, 'utf8'));
      this.text = '';
      this.parts.push(bytes);
    }
    this.size += bytes.length;
    if (timeoutMs > this.timeoutMs) this.timeoutMs = timeoutMs;
  }

  /** A message body whose end of data is on `endLine` (1-based) is about to be queued. */
  startBody(endLine: number): void {
    this.bodyEndLine = endLine;
  }

  /** Queues message body bytes or text; `complete` when they include the end of data. */
  addBody(bytes: Buffer | string, timeoutMs: number, complete: boolean): void {
    this.add(bytes, timeoutMs);
    this.holdsBody ||= bytes.length > 0;
    this.bodyOpen = !complete;
  }

  /** Marks a body begun outside the batch (a streamed file), so a failure leaves no QUIT behind it. */
  beginBody(): void {
    this.bodyOpen = true;
    this.inBody = true;
  }

  /** How much is queued: octets, counting text by its characters (a lower bound of its octets). */
  get queuedOctets(): number {
    return this.size;
  }

  /**
   * Writes what is queued as one write; nothing when the queue is empty. Returns the wait for a write the
   * kernel did not take at once, else null: the usual batch costs no promise.
   */
  flush(connection: SmtpConnection, signal?: AbortSignal): Promise<void> | null {
    if (this.parts.length === 0 && this.text === '') return null;
    if (this.holdsBody || this.inBody) this.refuseEarlyReply(connection);
    let data: Buffer | string = this.text;
    if (this.parts.length > 0) {
      if (this.text !== '') this.parts.push(Buffer.from(this.text, 'utf8'));
      data = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    }
    const timeoutMs = this.timeoutMs;
    if (this.holdsBody) this.inBody = true;
    this.parts = [];
    this.text = '';
    this.size = 0;
    this.timeoutMs = 0;
    this.holdsBody = false;
    const written = connection.write(data, timeoutMs, signal);
    if (written === null) {
      this.inBody = this.bodyOpen;
      return null;
    }
    return written.then(() => {
      this.inBody = this.bodyOpen;
    });
  }

  /**
   * While a message body is written the server owes no reply: it answers the
   * end of data once it has it (RFC 5321 §4.1.1.4, "Receipt of the end of mail
   * data indication requires the server to process…"). A reply that is
   * already there answers nothing the client sent — taken as the end of
   * data's, it would mark ✓ a message the server may never have read to its
   * end (a server that accepts early, or someone in the path answering for
   * it). It ends the session as a protocol error that shows the reply.
   */
  private refuseEarlyReply(connection: SmtpConnection): void {
    const early = connection.unreadReply();
    if (early === null) return;
    const line = this.bodyEndLine;
    const where = line === null ? 'the end of data' : `the end of data (the "." on line ${line})`;
    throw connection.failProtocol(new SessionError(
      'protocol',
      `${line === null ? '' : `line ${line}: `}the server replied "${escapeForDisplay(early)}" while the message body was still being sent, before ${where}. A server answers a message only after its end of data (RFC 5321 §4.1.1.4), so this reply answers nothing the session sent and is not taken as the message's; the session was ended. If the server is yours, it replies too early (or something in the path answers for it).`,
      line,
    ));
  }

  /** Drops what was queued and never written (the batch failed before its write). */
  discard(): void {
    this.parts = [];
    this.text = '';
    this.size = 0;
    this.timeoutMs = 0;
    this.holdsBody = false;
    this.bodyOpen = this.inBody;
  }
}
