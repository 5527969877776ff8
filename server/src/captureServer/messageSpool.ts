// Where a message goes while it arrives: memory up to a small size, then a
// file, written as it comes with the client held back while the disk catches
// up. Sixteen clients sending 45 MB each once made 1.7 GB resident; now each
// holds at most IN_MEMORY_LIMIT plus one chunk.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';

/** A message up to this size stays in memory (most test messages); a larger one goes to a file. */
export const IN_MEMORY_LIMIT = 256 * 1024;
/** The first bytes kept aside for the summary (the header section, mostly): read in bounded time whatever the message. */
export const HEAD_LIMIT = 64 * 1024;

export type MessageContent =
  | { kind: 'memory'; raw: Buffer }
  /** `temporary`: a spool file of a server that keeps no folder, deleted when the message is let go. */
  | { kind: 'file'; path: string; temporary: boolean };

export interface SpooledMessage {
  content: MessageContent;
  /** Octets received (after dot-unstuffing), also when refused. */
  size: number;
  /** The first HEAD_LIMIT octets. */
  head: Buffer;
  /** Why nothing was kept: over the message size limit, or no room left in the folder. */
  refused: 'size' | 'folder' | null;
}

export interface SpoolOptions {
  maxSize: number;
  /** Where the message goes once it is too large for memory (called at most once). */
  spillPath: () => string;
  temporary: boolean;
  /** True while `bytes` more fit in the folder. */
  fits: (bytes: number) => boolean;
}

/** Reads one message's data stream to its end; never rejects for what the client sent (a failed disk write does). */
export function spoolMessage(stream: Readable, options: SpoolOptions): Promise<SpooledMessage> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let size = 0;
    let file: WriteStream | null = null;
    let path: string | null = null;
    let refused: SpooledMessage['refused'] = null;
    let failed: Error | null = null;

    const discard = () => {
      chunks = [];
      if (file) {
        file.destroy();
        void unlink(path!).catch(() => undefined);
        file = null;
      }
    };
    const fail = (error: Error) => {
      failed ??= error;
      discard();
    };

    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (refused || failed) return; // drained, not kept: the client gets its refusal at the end
      if (size > options.maxSize) refused = 'size';
      else if (!options.fits(chunk.length)) refused = 'folder';
      if (refused) return discard();
      if (headLength < HEAD_LIMIT) {
        const part = chunk.subarray(0, HEAD_LIMIT - headLength);
        headChunks.push(part);
        headLength += part.length;
      }
      if (file) {
        // The disk is slower than the socket: hold the client back instead of queueing its data in memory.
        if (!file.write(chunk)) {
          stream.pause();
          file.once('drain', () => stream.resume());
        }
        return;
      }
      chunks.push(chunk);
      if (size <= IN_MEMORY_LIMIT) return;
      path = options.spillPath();
      file = createWriteStream(path, { flags: 'wx' });
      file.on('error', fail);
      for (const held of chunks) file.write(held);
      chunks = [];
    });
    stream.on('error', (error: Error) => {
      discard();
      reject(error);
    });
    stream.on('end', () => {
      const head = Buffer.concat(headChunks, headLength);
      const done = (content: MessageContent) => (failed ? reject(failed) : resolve({ content, size, head, refused }));
      if (refused) return done({ kind: 'memory', raw: Buffer.alloc(0) });
      if (!file) return done({ kind: 'memory', raw: Buffer.concat(chunks, size) });
      const written = { kind: 'file' as const, path: path!, temporary: options.temporary };
      file.end(() => done(written));
    });
  });
}

/** The message's octets as a stream, from memory or from its file. */
export function openContent(content: MessageContent): Readable {
  return content.kind === 'memory' ? Readable.from([content.raw]) : createReadStream(content.path);
}

/** All of the message's octets: for tests and small messages; the preview reads a stream. */
export async function readContent(content: MessageContent): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of openContent(content)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
