// Turns the bytes a server sends into replies (RFC 5321 §4.2), with every
// quantity bounded so a hostile or broken server ends the session with a clear
// protocol error instead of growing memory without end.
//
// push() splits lines as bytes arrive (each byte is searched once) and groups
// them into replies; next() hands complete replies out in order. A line that is
// not a reply line is found in push() but reported by next() after the replies
// that came before it, so the engine still sees everything the server said
// correctly up to that point.

import { enhancedCodeLength } from '../protocol/enhancedStatusCodes';
import { escapeForDisplay, truncateForDisplay } from './displayText';
import { SessionError } from './sessionErrors';

export interface ServerReply {
  code: number;
  /** RFC 3463 `d.d.d` at the start of the first line's text, or null. */
  enhanced: string | null;
  /** Full lines without their line ending, e.g. `250-PIPELINING`. */
  lines: string[];
  /** Each line's text after the code and its separator (`PIPELINING`; '' for a bare `250`). */
  text: string[];
  /** Some line ended with LF alone instead of CRLF (tolerated, but the result says so). */
  bareLineFeeds: boolean;
}

export interface ReplyLimits {
  /** Octets in one line, line ending not counted. */
  maxLineOctets?: number;
  /** Octets in one reply, all its lines and their endings counted. */
  maxReplyOctets?: number;
  /** Octets received and not yet handed out as a reply by next(). */
  maxBufferedOctets?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const HYPHEN = 0x2d;
const ZERO = 0x30;

/** A reply with more than one line, while its lines arrive. */
interface OpenReply {
  code: number;
  lines: string[];
  text: string[];
  bareLineFeeds: boolean;
  octets: number;
}

export class ReplyReader {
  private readonly maxLineOctets: number;
  private readonly maxReplyOctets: number;
  private readonly maxBufferedOctets: number;

  /** Bytes of the line still waiting for its LF. */
  private lineParts: Buffer[] = [];
  private lineOctets = 0;
  private lineEndsWithCR = false;

  private open: OpenReply | null = null;
  /**
   * Complete replies, the first `count` entries; those before `head` were handed out (an index, since shift()
   * is linear). Reused from the start once all are out: the usual case, every reply taken as it came, makes
   * no new list and does not shrink one.
   */
  private complete: (ServerReply | undefined)[] = [];
  /** The octets each complete reply took on the wire, by the same index: numbers, not a wrapper object per reply. */
  private completeOctets: number[] = [];
  private head = 0;
  private count = 0;
  /** Bytes received minus bytes handed out by next(). */
  private buffered = 0;

  /** A line that was not a valid reply line: thrown by next() once the replies before it are out. */
  private malformed: SessionError | null = null;
  /** A bound was exceeded: push() and next() throw it from then on. */
  private overflow: SessionError | null = null;

  constructor(limits: ReplyLimits = {}) {
    this.maxLineOctets = limits.maxLineOctets ?? 8192;
    this.maxReplyOctets = limits.maxReplyOctets ?? 65536;
    this.maxBufferedOctets = limits.maxBufferedOctets ?? 1024 * 1024;
  }

  push(chunk: Buffer): void {
    if (this.overflow) throw this.overflow;
    if (this.malformed) return; // the session is over; next() reports why
    this.buffered += chunk.length;
    if (this.buffered > this.maxBufferedOctets) {
      this.fail(`the server sent more than ${this.maxBufferedOctets} octets that do not form complete replies the session has read (limit maxBufferedOctets). It is flooding the connection; the session was ended.`);
    }
    let from = 0;
    while (from < chunk.length && !this.malformed) {
      const lf = chunk.indexOf(LF, from);
      if (lf === -1) {
        this.appendToLine(chunk.subarray(from));
        break;
      }
      if (this.lineOctets > 0) this.finishSplitLine(chunk.subarray(from, lf));
      else this.finishLine(chunk, from, lf);
      from = lf + 1;
    }
    if (this.malformed) this.buffered -= chunk.length - from; // discarded, not buffered
  }

  /** The next complete reply, or null when none is buffered yet. */
  next(): ServerReply | null {
    if (this.overflow) throw this.overflow;
    if (this.head < this.count) {
      const reply = this.complete[this.head]!;
      this.complete[this.head] = undefined; // held by the caller now, not by the reader
      this.buffered -= this.completeOctets[this.head];
      this.head++;
      if (this.head === this.count) {
        this.head = 0;
        this.count = 0;
      } else if (this.head >= 1024 && this.head * 2 >= this.count) {
        this.complete = this.complete.slice(this.head, this.count);
        this.completeOctets = this.completeOctets.slice(this.head, this.count);
        this.count -= this.head;
        this.head = 0;
      }
      return reply;
    }
    if (this.malformed) throw this.malformed;
    return null;
  }

  /** The first line of what was received and not handed out yet (a complete reply, or one under way); null when nothing is. */
  firstUnread(): string | null {
    if (this.head < this.count) return this.complete[this.head]!.lines[0] ?? '';
    const partial = this.partial();
    return partial.length > 0 ? partial[0] : null;
  }

  /** Bytes received but not yet handed out as a reply (complete replies not taken, a partial reply, a partial line). */
  bufferedOctets(): number {
    return this.buffered;
  }

  /** The lines of the reply under way, including a line still missing its ending; for messages on disconnect. */
  partial(): string[] {
    const lines = this.open ? [...this.open.lines] : [];
    if (this.lineOctets > 0) {
      const bytes = Buffer.concat(this.lineParts, this.lineOctets);
      lines.push(bytes.subarray(0, this.lineEndsWithCR ? bytes.length - 1 : bytes.length).toString('utf8'));
    }
    return lines;
  }

  private appendToLine(bytes: Buffer): void {
    if (bytes.length === 0) return;
    // Copied: the caller may reuse its chunk.
    this.lineParts.push(Buffer.from(bytes));
    this.lineOctets += bytes.length;
    this.lineEndsWithCR = bytes[bytes.length - 1] === CR;
    // A CR at the end may be the first half of CRLF, so it does not count yet.
    const content = this.lineOctets - (this.lineEndsWithCR ? 1 : 0);
    if (content > this.maxLineOctets) this.lineTooLong(this.lineParts[0]);
    if ((this.open?.octets ?? 0) + this.lineOctets > this.maxReplyOctets) this.replyTooLong();
  }

  /** A line that began in an earlier chunk: its parts joined, then read like any other. */
  private finishSplitLine(tail: Buffer): void {
    const bytes = Buffer.concat([...this.lineParts, tail], this.lineOctets + tail.length);
    this.lineParts = [];
    this.lineOctets = 0;
    this.lineEndsWithCR = false;
    this.finishLine(bytes, 0, bytes.length);
  }

  /** The line in `chunk` from `start` to the LF at `lf`, decoded straight from the chunk: no Buffer view made for it. */
  private finishLine(chunk: Buffer, start: number, lf: number): void {
    const crlf = lf > start && chunk[lf - 1] === CR;
    const end = crlf ? lf - 1 : lf;
    if (end - start > this.maxLineOctets) this.lineTooLong(chunk.subarray(start, end));
    const octets = lf - start + 1;
    if ((this.open?.octets ?? 0) + octets > this.maxReplyOctets) this.replyTooLong();
    this.addLine(chunk.toString('utf8', start, end), octets, !crlf);
  }

  private addLine(line: string, octets: number, bareLineFeed: boolean): void {
    // RFC 5321 §4.2: three digits, then " ", "-" or the line's end. The first digit must be 2–5 (§4.3.2); other
    // digits are accepted because a client "MUST be prepared to handle codes not specified … by interpreting
    // the first digit only". Read by character code: no match array or substrings per line.
    const code = replyCode(line);
    if (code === -1) {
      this.malformed = new SessionError('protocol',
        `The server sent a line without a reply code: "${show(line)}". Every reply line starts with a three-digit code from 200 to 599 followed by a space, "-" or the line's end (RFC 5321 §4.2); the session was ended. The server is not speaking SMTP on this port, or is broken.`);
      return;
    }
    const continues = line.length > 3 && line.charCodeAt(3) === HYPHEN;
    const open = this.open;
    if (open === null) {
      // The usual reply, one line: complete at once, without an open reply to collect it.
      if (!continues) {
        const text = line.slice(4);
        this.completeReply({ code, enhanced: enhancedCode(text), lines: [line], text: [text], bareLineFeeds: bareLineFeed }, octets);
        return;
      }
      this.open = { code, lines: [line], text: [line.slice(4)], bareLineFeeds: bareLineFeed, octets };
      return;
    }
    if (code !== open.code) {
      this.malformed = new SessionError('protocol',
        `The server changed the reply code inside a multi-line reply: "${show(open.lines[open.lines.length - 1])}" was continued by "${show(line)}". All lines of one reply carry the same code (RFC 5321 §4.2.1); the session was ended because the reply cannot be read reliably.`);
      return;
    }
    open.lines.push(line);
    open.text.push(line.slice(4));
    open.bareLineFeeds ||= bareLineFeed;
    open.octets += octets;
    if (continues) return;
    this.open = null;
    this.completeReply({ code: open.code, enhanced: enhancedCode(open.text[0]), lines: open.lines, text: open.text, bareLineFeeds: open.bareLineFeeds }, open.octets);
  }

  private completeReply(reply: ServerReply, octets: number): void {
    this.complete[this.count] = reply;
    this.completeOctets[this.count] = octets;
    this.count++;
  }

  private lineTooLong(start: Buffer): never {
    const preview = start.subarray(0, 200).toString('utf8');
    this.fail(`the server sent a reply line longer than ${this.maxLineOctets} octets (limit maxLineOctets; RFC 5321 §4.5.3.1.5 sets 512 including CRLF). It starts "${show(preview)}…"; the session was ended.`);
  }

  private replyTooLong(): never {
    const lines = this.open?.lines ?? [];
    this.fail(`the server sent a reply longer than ${this.maxReplyOctets} octets (limit maxReplyOctets) — ${lines.length} lines so far, starting "${show(lines[0] ?? '')}"; the session was ended. An endless multi-line reply is either a broken server or an attack.`);
  }

  private fail(what: string): never {
    this.overflow = new SessionError('protocol', what.charAt(0).toUpperCase() + what.slice(1));
    // Nothing more will be read: drop what is held.
    this.lineParts = [];
    this.lineOctets = 0;
    this.complete = [];
    this.completeOctets = [];
    this.head = 0;
    this.count = 0;
    throw this.overflow;
  }
}

/** The reply code of a reply line (RFC 5321 §4.2: `[2-5]` two digits, then " ", "-" or the end), or -1 when it has none. */
function replyCode(line: string): number {
  if (line.length < 3) return -1;
  const first = line.charCodeAt(0) - ZERO;
  const second = line.charCodeAt(1) - ZERO;
  const third = line.charCodeAt(2) - ZERO;
  if (first < 2 || first > 5 || second < 0 || second > 9 || third < 0 || third > 9) return -1;
  if (line.length > 3) {
    const separator = line.charCodeAt(3);
    if (separator !== SPACE && separator !== HYPHEN) return -1;
  }
  return first * 100 + second * 10 + third;
}

/** The enhanced status code (RFC 3463 §2) that opens a reply's text, or null. */
function enhancedCode(text: string): string | null {
  const length = enhancedCodeLength(text, 0, text.length, false);
  return length === 0 ? null : text.slice(0, length);
}

function show(line: string): string {
  return truncateForDisplay(escapeForDisplay(line), 200);
}
