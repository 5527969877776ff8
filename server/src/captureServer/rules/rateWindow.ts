// The times of the last accepted messages, for a rule that acts once N
// messages arrived within a window of seconds (a rate limit). Only the last
// N times can decide "N within the window", so no more are kept: a server
// that accepts millions of messages holds N numbers.
export class RateWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly messages: number,
    private readonly windowMs: number,
  ) {}

  /** A message was accepted at `now` (milliseconds). */
  add(now: number): void {
    this.times.push(now);
    if (this.times.length > this.messages) this.times.shift();
  }

  /** Whether `messages` messages were accepted in the window that ends at `now`. */
  isFull(now: number): boolean {
    return this.times.length >= this.messages && now - this.times[0] < this.windowMs;
  }
}
