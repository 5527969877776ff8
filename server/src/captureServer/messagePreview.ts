// A captured message as a person reads it in the editor's inbox: the headers
// that matter, the text body decoded, the other parts listed; never a
// renderer of HTML. The MIME work (RFC 2045–2047: header words, transfer
// encodings, charsets, multipart) is mailparser's, from the same family as
// smtp-server and tested on years of real mail. It reads a stream and hands
// attachments over as streams, so a preview holds the text, never the parts.
import type { Readable } from 'node:stream';
import { MailParser, type AddressObject, type AttachmentStream, type HeaderValue, type MessageText } from 'mailparser';

const SHOWN_HEADERS = ['From', 'To', 'Cc', 'Reply-To', 'Subject', 'Date', 'Message-ID'];
/** A preview is for reading, not for archiving: longer bodies are cut with a note. */
const MAX_BODY_CHARACTERS = 200_000;
const MAX_HEADER_CHARACTERS = 998;
/** Octets of the message the preview reads: parts past them are not listed, and it says so. */
export const MAX_PREVIEW_OCTETS = 8 * 1024 * 1024;

interface ListedAttachment {
  name: string;
  type: string;
  size: number;
}

/** The preview of a message whose octets `source` streams (`size` of them in all). */
export async function messagePreview(source: Readable, size: number): Promise<string> {
  const parser = new MailParser({ skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  const headerLines: string[] = [];
  let text: string | null = null;
  // An HTML message is shown as text (mailparser's html-to-text), and says so.
  let html = false;
  const attachments: ListedAttachment[] = [];
  let problem: string | null = null;

  parser.on('headers', (headers: Map<string, HeaderValue>) => {
    const type = headers.get('content-type');
    html = typeof type === 'object' && 'value' in type && type.value === 'text/html';
    for (const name of SHOWN_HEADERS) {
      const value = headers.get(name.toLowerCase());
      if (value !== undefined) headerLines.push(`${name}: ${shortened(headerText(value))}`);
    }
  });
  parser.on('data', (data: AttachmentStream | MessageText) => {
    if (data.type === 'text') {
      text = data.text ?? null;
      return;
    }
    // Counted as it flows past, then let go: a 40 MB attachment is never held.
    const part: AttachmentStream = data;
    const attachment: ListedAttachment = { name: part.filename ?? '(unnamed)', type: part.contentType, size: 0 };
    attachments.push(attachment);
    const content = part.content as Readable;
    content.on('data', (chunk: Buffer) => {
      attachment.size += chunk.length;
    });
    content.on('end', () => part.release?.());
  });

  await new Promise<void>((resolve) => {
    let read = 0;
    const stop = (why: string | null) => {
      problem ??= why;
      source.destroy();
      resolve();
    };
    parser.on('error', (error: Error) => stop(`The message could not be read past this point (${error.message}); open the .eml file for all of it.`));
    parser.on('end', () => resolve());
    source.on('error', (error: Error) => stop(`The message could not be read (${error.message}).`));
    source.on('data', (chunk: Buffer) => {
      const room = MAX_PREVIEW_OCTETS - read;
      read += chunk.length;
      if (!parser.write(chunk.length > room ? chunk.subarray(0, room) : chunk)) {
        source.pause();
        parser.once('drain', () => source.resume());
      }
      if (read > MAX_PREVIEW_OCTETS) {
        problem = `The preview reads the first ${MAX_PREVIEW_OCTETS / 1024 / 1024} MB of ${size} bytes: later parts are not listed; open the .eml file for all of it.`;
        source.destroy();
        parser.end();
      }
    });
    source.on('end', () => parser.end());
  });

  const lines = [...headerLines, `Size: ${size} bytes`, ''];
  let body = text === null ? '(no text part)' : html ? `[HTML part shown as text]\n${text}` : text;
  if (body.length > MAX_BODY_CHARACTERS) body = `${body.slice(0, MAX_BODY_CHARACTERS)}\n\n[… ${body.length - MAX_BODY_CHARACTERS} more characters: open the .eml file for all of it]`;
  lines.push(body.replace(/\s+$/, ''));
  if (attachments.length > 0) {
    lines.push('', `Attachments (${attachments.length}):`);
    for (const attachment of attachments) lines.push(`  ${attachment.name} (${attachment.type}, ${attachment.size} bytes)`);
  }
  if (problem) lines.push('', problem);
  return `${lines.join('\n').replace(/\r\n?/g, '\n')}\n`;
}

/** A header line of the preview: as long as a header line may be (RFC 5322 §2.1.1), then cut. */
function shortened(text: string): string {
  return text.length > MAX_HEADER_CHARACTERS ? `${text.slice(0, MAX_HEADER_CHARACTERS)}…` : text;
}

/** A header as mailparser decoded it (encoded words, charsets), written back as one line. */
export function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.map((item) => headerText(item as HeaderValue)).join(', ');
  if ('text' in value && typeof (value as AddressObject).text === 'string') return (value as AddressObject).text;
  if ('value' in value && typeof value.value === 'string') return value.value;
  return String(value);
}
