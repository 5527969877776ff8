// The exact octets the engine sends. SMTP lines end with CRLF and nothing else
// (RFC 5321 §2.3.8); a lone CR or LF is what SMTP smuggling exploits (SEC
// Consult, 2023), and a line break inside a command is command injection. So
// nothing here emits a lone CR or LF unless the transcript sets
// `@allow-raw = true` for deliberate protocol testing.
//
// `line` parameters are transcript lines, 1-based as shown to people.

import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { atLine, SessionError } from './sessionErrors';

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const CRLF = Buffer.from('\r\n');
const ONE_DOT = Buffer.from('.');

/** RFC 5321 §4.1.1.4: the end of DATA. The body encoders never include it. */
export const DATA_TERMINATOR = Buffer.from('.\r\n');

const LINE_BREAK = /[\r\n]/;

function describeBreak(text: string): string {
  const at = text.search(LINE_BREAK);
  if (text[at] === '\n') return 'a line feed (LF)';
  return text[at + 1] === '\n' ? 'a line break (CRLF)' : 'a carriage return (CR)';
}

/**
 * A command line or SASL response: `text` + CRLF. A CR or LF in `text` (which
 * only a substituted value can bring, or a lone CR written in the file) would
 * let the rest be read as another command, so it is refused before anything is
 * sent.
 */
export function encodeCommandLine(text: string, line: number, variablesUsed: string[]): Buffer {
  return Buffer.from(commandLineText(text, line, variablesUsed), 'utf8');
}

/**
 * encodeCommandLine's checks, with the line as text (`text` + CRLF): the engine queues text and writes a
 * batch as one string, encoded once by the socket, rather than a Buffer per line joined again per write.
 */
export function commandLineText(text: string, line: number, variablesUsed: string[]): string {
  if (LINE_BREAK.test(text)) {
    const from = variablesUsed.length > 0 ? `after substituting ${variablesUsed.map((name) => `{{${name}}}`).join(', ')} ` : '';
    throw new SessionError('injection',
      `${atLine(line)}${from}the command contains ${describeBreak(text)}, which would make the server read what follows as another command (command injection); nothing was sent. ` +
      (from ? 'Remove the line break from the value.' : 'Remove the character from the line.'),
      line);
  }
  return `${text}\r\n`;
}

function refuseBareEnding(text: string, line: number, what: string): never {
  throw new SessionError('refused-input',
    `${atLine(line)}${what} contains ${describeBreak(text)} inside a line. SMTP lines end only with CRLF (RFC 5321 §2.3.8), and a lone CR or LF in message data is how SMTP smuggling works; nothing was sent. ` +
    'Remove it (check the values of variables used in the body), or set "@allow-raw = true" to send it as it is for deliberate protocol testing.',
    line);
}

/**
 * DATA body lines as written (wire form: the transcript already writes `..x`
 * for a line that arrives as `.x`), each followed by CRLF. The terminator is
 * not included (DATA_TERMINATOR).
 *
 * A line that is exactly `.` cannot come from the transcript (it would have
 * ended the body), only from a substituted value; it would end the message
 * early and turn the lines after it into commands, so it is refused like a lone
 * CR or LF.
 *
 * @param options.line the line errors are attributed to (the DATA command's, or the body line's).
 */
export function encodeBodyLines(lines: readonly string[], options: { allowRaw: boolean; line: number }): Buffer {
  for (const text of lines) checkBodyLine(text, options);
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The refusals of encodeBodyLines for one line, without encoding it: a body is checked whole before DATA goes out. */
export function checkBodyLine(text: string, options: { allowRaw: boolean; line: number }): void {
  if (options.allowRaw) return;
  if (LINE_BREAK.test(text)) refuseBareEnding(text, options.line, 'a line of the message body');
  if (text === '.') {
    throw new SessionError('injection',
      `${atLine(options.line)}after variable substitution a line of the message body is a single ".", which would end the message there and make the server read the lines after it as commands; nothing was sent. ` +
      'Change the value (a body line "." is written ".." in wire form), or set "@allow-raw = true" to send it deliberately.',
      options.line);
  }
}

/**
 * A BDAT chunk's exact octets (RFC 3030): each line + CRLF, except a last line
 * marked to go without it; no dot-stuffing (BDAT has no terminator).
 */
export function encodeBdatChunk(lines: readonly { text: string; withoutLineEnding: boolean }[], options: { allowRaw: boolean; line: number }): Buffer {
  let text = '';
  for (const chunkLine of lines) {
    if (!options.allowRaw && LINE_BREAK.test(chunkLine.text)) refuseBareEnding(chunkLine.text, options.line, 'a line of the BDAT chunk');
    text += chunkLine.withoutLineEnding ? chunkLine.text : `${chunkLine.text}\r\n`;
  }
  return Buffer.from(text, 'utf8');
}

export interface FileBodyOptions {
  /**
   * false (the default): CRLF, LF and a lone CR each end a line and are sent as
   * CRLF. true: the file's bytes go out as they are — lone CRs and LFs
   * included — except for the dot-stuffing of lines that start after a CRLF,
   * and the CRLF added at the end.
   */
  allowRaw: boolean;
  /** The line of the `{{$file}}` reference, 1-based, for error messages. */
  line?: number;
  /** Read size; small values are for tests. */
  highWaterMark?: number;
  /** The file already open (and checked, engine/confineFile.ts): read from it, never reopened by name; closed at the end. `path` then only names it in errors. */
  handle?: FileHandle;
}

/**
 * Streams a file as DATA body lines: never loads it whole.
 *
 * - Line endings become CRLF. A lone CR counts as a line ending, not as an
 *   error: files with classic Mac OS line endings exist, and reading the CR as
 *   a line break is the one reading that sends neither a lone CR nor a refusal
 *   of an ordinary file. (CRLF is one ending, never two.)
 * - A line starting with `.` gets a second one (RFC 5321 §4.5.2), because a
 *   file holds the message as it is, not in wire form.
 * - A last line without a line ending gets CRLF, so DATA_TERMINATOR can follow.
 *   An empty file yields nothing.
 *
 * State carries over chunk boundaries, so a CRLF or a leading dot split
 * between two reads is handled like any other.
 */
export async function* encodeFileAsBody(path: string, options: FileBodyOptions): AsyncGenerator<Buffer> {
  const encoder = new FileBodyEncoder(options.allowRaw);
  const stream = createReadStream(path, { ...(options.highWaterMark ? { highWaterMark: options.highWaterMark } : {}), ...(options.handle ? { fd: options.handle } : {}) });
  try {
    for await (const chunk of stream) {
      const out = encoder.push(chunk as Buffer);
      if (out.length > 0) yield out;
    }
  } catch (error) {
    throw fileError(error, path, options.line ?? null);
  } finally {
    stream.destroy();
  }
  const end = encoder.end();
  if (end.length > 0) yield end;
}

function fileError(error: unknown, path: string, line: number | null): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'it does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
  };
  if (!code) return error;
  const reason = reasons[code] ?? (error as Error).message;
  return new SessionError('usage', `${atLine(line)}{{$file}} cannot read "${path}": ${reason}. Check the path (it is relative to the .smtp file).`, line);
}

function indexOrEnd(chunk: Buffer, byte: number, from: number): number {
  const at = chunk.indexOf(byte, from);
  return at === -1 ? chunk.length : at;
}

/** The byte-level state machine behind encodeFileAsBody; push() chunks in order, then end(). */
export class FileBodyEncoder {
  private atLineStart = true;
  /** The last byte of the previous chunk was a CR (normalised mode: its CRLF is already out, so an LF first in the next chunk is swallowed). In raw mode: the previous byte was a CR. */
  private afterCR = false;
  private sawBytes = false;

  constructor(private readonly allowRaw: boolean) {}

  push(chunk: Buffer): Buffer {
    if (chunk.length === 0) return Buffer.alloc(0);
    this.sawBytes = true;
    return this.allowRaw ? this.pushRaw(chunk) : this.pushNormalised(chunk);
  }

  /** What must follow the last chunk: CRLF when the file did not end with a line ending. */
  end(): Buffer {
    return this.sawBytes && !this.atLineStart ? Buffer.from(CRLF) : Buffer.alloc(0);
  }

  private pushNormalised(chunk: Buffer): Buffer {
    if (this.isAlreadyWireForm(chunk)) {
      this.atLineStart = chunk[chunk.length - 1] === LF;
      return chunk;
    }
    // Each input byte becomes at most two (LF → CRLF, a leading "." → ".."), so one allocation holds the output.
    const out = Buffer.allocUnsafe(chunk.length * 2);
    const length = chunk.length;
    let o = 0;
    let i = 0;
    if (this.afterCR && chunk[0] === LF) i = 1; // the LF of a CRLF split between reads: its CRLF is already out
    this.afterCR = false;
    // Next CR and LF at or after i; each is searched for once per occurrence, so the whole chunk is scanned once.
    let nextCR = -1;
    let nextLF = -1;
    while (i < length) {
      if (nextCR < i) nextCR = indexOrEnd(chunk, CR, i);
      if (nextLF < i) nextLF = indexOrEnd(chunk, LF, i);
      const end = Math.min(nextCR, nextLF);
      if (end > i) {
        if (this.atLineStart && chunk[i] === DOT) out[o++] = DOT;
        this.atLineStart = false;
        o += chunk.copy(out, o, i, end);
      }
      if (end === length) break;
      out[o++] = CR;
      out[o++] = LF;
      this.atLineStart = true;
      i = end + 1;
      if (chunk[end] === CR) {
        if (i === length) this.afterCR = true;
        else if (chunk[i] === LF) i++;
      }
    }
    return out.subarray(0, o);
  }

  /**
   * The common case, a file that already has CRLF endings and no line starting
   * with ".": the chunk is its own output, so it is sent without being copied
   * line by line (which was most of a large body's cost). Every LF must follow
   * a CR, there must be as many CRs as LFs (so none is alone, including one
   * that ends the chunk), and no line may start with a dot.
   */
  private isAlreadyWireForm(chunk: Buffer): boolean {
    if (this.afterCR || (this.atLineStart && chunk[0] === DOT)) return false;
    let lineFeeds = 0;
    for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, lf + 1)) {
      if (lf === 0 || chunk[lf - 1] !== CR || chunk[lf + 1] === DOT) return false;
      lineFeeds++;
    }
    let carriageReturns = 0;
    for (let cr = chunk.indexOf(CR); cr !== -1 && carriageReturns <= lineFeeds; cr = chunk.indexOf(CR, cr + 1)) carriageReturns++;
    return carriageReturns === lineFeeds;
  }

  private pushRaw(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === CR) {
        this.atLineStart = false;
        this.afterCR = true;
        continue;
      }
      if (byte === LF) {
        // Only CRLF starts a line; a lone LF goes out as it is and starts nothing.
        this.atLineStart = this.afterCR;
        this.afterCR = false;
        continue;
      }
      this.afterCR = false;
      if (this.atLineStart) {
        this.atLineStart = false;
        if (byte === DOT) {
          out.push(chunk.subarray(from, i), ONE_DOT);
          from = i;
        }
      }
    }
    out.push(chunk.subarray(from));
    return Buffer.concat(out);
  }
}
