// What the engine has encoded but not yet written, so a pipelined group goes
// out in one write (RFC 2920 §3.1: "the client SHOULD send the commands in a
// single TCP segment where possible"), and a message body with its end of data
// in one more. Every small write is a system call and, with Nagle off, a TCP
// segment the server must wake up for: per transaction that was five writes,
// and most of the engine's time.

import type { SmtpConnection } from './smtpConnection';

export class OutgoingBatch {
  private parts: Buffer[] = [];
  private octets = 0;
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

  /** Queues bytes; the write timeout of the batch is the longest of its parts'. */
  add(bytes: Buffer, timeoutMs: number): void {
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.octets += bytes.length;
    this.timeoutMs = Math.max(this.timeoutMs, timeoutMs);
  }

  /** Queues message body bytes; `complete` when they include the end of data. */
  addBody(bytes: Buffer, timeoutMs: number, complete: boolean): void {
    this.add(bytes, timeoutMs);
    this.holdsBody ||= bytes.length > 0;
    this.bodyOpen = !complete;
  }

  /** Marks a body begun outside the batch (a streamed file), so a failure leaves no QUIT behind it. */
  beginBody(): void {
    this.bodyOpen = true;
    this.inBody = true;
  }

  get queuedOctets(): number {
    return this.octets;
  }

  /** Writes what is queued as one write; nothing when the queue is empty. */
  async flush(connection: SmtpConnection, signal?: AbortSignal): Promise<void> {
    if (this.parts.length === 0) return;
    const bytes = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.octets);
    const timeoutMs = this.timeoutMs;
    if (this.holdsBody) this.inBody = true;
    this.parts = [];
    this.octets = 0;
    this.timeoutMs = 0;
    this.holdsBody = false;
    await connection.write(bytes, timeoutMs, signal);
    this.inBody = this.bodyOpen;
  }

  /** Drops what was queued and never written (the batch failed before its write). */
  discard(): void {
    this.parts = [];
    this.octets = 0;
    this.timeoutMs = 0;
    this.holdsBody = false;
    this.bodyOpen = this.inBody;
  }
}
