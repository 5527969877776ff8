// How `check`, `run`, `load` and `import` read a file: a regular file only (a FIFO would
// block forever, a device never ends), no larger than a limit (a 200 MB file
// once ran the parser out of memory after a minute), decoded as UTF-8 with
// its byte order mark dropped, and any other encoding refused once, by name,
// instead of as thousands of parse errors.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { tuneCompilerForInput } from './compilerTuning';
import { describeFsError } from './transcriptPaths';

/** The default --max-size: far above any hand-written transcript, far below what exhausts the parser's memory. */
export const DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The file's text, or a sentence saying why it is not read (for "cannot read PATH: …"). */
/** `wanted` names what the command reads, for the message when the path is something else. */
export function readTranscriptFile(path: string, maxSize = DEFAULT_MAX_FILE_SIZE, wanted = 'a .smtp file'): ReadResult {
  let kind: string | null;
  try {
    // stat, not open: opening a FIFO for reading waits for a writer.
    kind = notRegularFile(statSync(path));
  } catch (error) {
    return { ok: false, message: describeFsError(error) };
  }
  if (kind) return { ok: false, message: `it is ${kind}, not a regular file; give the path of ${wanted}` };
  let bytes: Buffer;
  try {
    const read = readAtMost(path, maxSize);
    if (read === null) return { ok: false, message: tooLarge(maxSize) };
    bytes = read;
  } catch (error) {
    return { ok: false, message: describeFsError(error) };
  }
  // A large transcript: V8 tuned for a short run before it is parsed (compilerTuning.ts).
  tuneCompilerForInput(bytes.length);
  return decode(bytes);
}

function notRegularFile(stats: import('node:fs').Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** At most maxSize bytes; null when the file holds more (checked on the open file too: it may have grown or been swapped since stat). */
function readAtMost(path: string, maxSize: number): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxSize) return null;
    const buffer = Buffer.allocUnsafe(Math.min(maxSize, size) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxSize) return null;
      if (length === buffer.length) return readRest(fd, buffer, maxSize);
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/** The file grew after fstat: keep reading in chunks until its end or past the limit. */
function readRest(fd: number, start: Buffer, maxSize: number): Buffer | null {
  const chunks = [start];
  let length = start.length;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, length);
    length += read;
    if (length > maxSize) return null;
    chunks.push(Buffer.from(chunk.subarray(0, read)));
  }
}

function tooLarge(maxSize: number): string {
  return `it is larger than ${formatSize(maxSize)}, the limit for a transcript; raise it with --max-size (e.g. --max-size 100M) if the file really is one`;
}

export function formatSize(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

function decode(bytes: Buffer): ReadResult {
  const bom = UTF8_BOM.every((byte, i) => bytes[i] === byte) ? 3 : 0;
  const utf16 = utf16Kind(bytes);
  if (utf16) return { ok: false, message: `it is encoded as ${utf16}; .smtp files are UTF-8: save it as UTF-8 (most editors: "Save with Encoding")` };
  try {
    return { ok: true, text: utf8.decode(bytes.subarray(bom)) };
  } catch {
    const at = firstInvalidUtf8(bytes, bom);
    const line = countLines(bytes, at);
    return { ok: false, message: `it is not valid UTF-8 (line ${line}, byte ${at + 1}: 0x${bytes[at].toString(16).padStart(2, '0')}); .smtp files are UTF-8: save it as UTF-8` };
  }
}

/**
 * UTF-16 by its byte order mark, or without one by its zero bytes: ASCII text
 * in UTF-16 has a zero in every other byte, which UTF-8 text never has.
 */
function utf16Kind(bytes: Buffer): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16 (little-endian, with a byte order mark)';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16 (big-endian, with a byte order mark)';
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = sample / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'UTF-16 (little-endian)';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'UTF-16 (big-endian)';
  return null;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4). */
function firstInvalidUtf8(bytes: Buffer, from: number): number {
  let i = from;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4) length = 4;
    else return i;
    // The second byte's range excludes overlong forms and surrogates (RFC 3629 §4).
    const min = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    if (lead === 0xed) max = 0x9f;
    else if (lead === 0xf4) max = 0x8f;
    if (i + 1 >= bytes.length || bytes[i + 1] < min || bytes[i + 1] > max) return i;
    for (let k = 2; k < length; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}

function countLines(bytes: Buffer, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
