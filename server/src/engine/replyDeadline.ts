// The RFC 5321 §4.5.3.2 wait for each reply, with one timer per connection
// instead of one per reply. A session waits for thousands of replies, most of
// them for well under a millisecond; creating and cancelling a Node timer for
// each cost more than reading the reply. The timer here is re-aimed only when
// a wait must end before it would fire; otherwise it stays armed and, when it
// fires early, sleeps again until the wait's real deadline.

import { monotonicMs } from './monotonicClock';

export class ReplyDeadline {
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (on the monotonic clock of monotonicMs()). */
  private firesAt = 0;
  /** When the current wait expires; meaningful only while `onExpired` is set. */
  private deadline = 0;
  private onExpired: (() => void) | null = null;

  /** Calls `onExpired` once `ms` have passed, unless stop() comes first. One wait at a time. */
  start(ms: number, onExpired: () => void): void {
    const now = monotonicMs();
    this.deadline = now + ms;
    this.onExpired = onExpired;
    // Armed early enough: it will check the deadline when it fires.
    if (this.timer && this.firesAt <= this.deadline) return;
    this.arm(ms, now);
  }

  /**
   * The wait ended in time. The timer stays armed for the next wait, and stays referenced: toggling that
   * per wait was two calls into libuv each time, and the connection's open socket keeps the process alive
   * meanwhile anyway. The owner disposes of it when the socket closes, so it never outlives the connection.
   */
  stop(): void {
    this.onExpired = null;
  }

  /** For good: the connection is closed. */
  dispose(): void {
    this.onExpired = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(ms: number, now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.firesAt = now + ms;
    this.timer = setTimeout(this.fire, ms);
  }

  private readonly fire = (): void => {
    this.timer = null;
    const onExpired = this.onExpired;
    if (!onExpired) return;
    const now = monotonicMs();
    if (now >= this.deadline) {
      this.onExpired = null;
      onExpired();
    } else {
      this.arm(this.deadline - now, now);
    }
  };
}
