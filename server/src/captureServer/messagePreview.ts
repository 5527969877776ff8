// A captured message as a person reads it in the editor's inbox: the headers
// that matter, the text body decoded, the other parts listed. Enough MIME
// (RFC 2045–2047) for what mail-sending apps produce; never a renderer of HTML.
import { decodeEncodedWords, findHeaderEnd } from './localServerMessage';

const SHOWN_HEADERS = ['From', 'To', 'Cc', 'Reply-To', 'Subject', 'Date', 'Message-ID'];
/** A preview is for reading, not for archiving: longer bodies are cut with a note. */
const MAX_BODY_CHARACTERS = 200_000;
/** Multipart nesting deeper than this is listed, not opened (a hostile message cannot recurse us). */
const MAX_DEPTH = 8;

interface Part {
  headers: Map<string, string>;
  body: Buffer;
}

interface Attachment {
  name: string;
  type: string;
  size: number;
}

export function messagePreview(raw: Buffer): string {
  const message = splitPart(raw);
  const lines: string[] = [];
  for (const name of SHOWN_HEADERS) {
    const value = message.headers.get(name.toLowerCase());
    if (value !== undefined) lines.push(`${name}: ${decodeEncodedWords(value)}`);
  }
  lines.push(`Size: ${raw.length} bytes`, '');
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  collect(message, 0, texts, attachments);
  let body = texts.length > 0 ? texts.join('\n\n') : '(no text part)';
  if (body.length > MAX_BODY_CHARACTERS) body = `${body.slice(0, MAX_BODY_CHARACTERS)}\n\n[… ${body.length - MAX_BODY_CHARACTERS} more characters: open the .eml file for all of it]`;
  lines.push(body);
  if (attachments.length > 0) {
    lines.push('', `Attachments (${attachments.length}):`);
    for (const attachment of attachments) lines.push(`  ${attachment.name} (${attachment.type}, ${attachment.size} bytes)`);
  }
  return `${lines.join('\n').replace(/\r\n?/g, '\n')}\n`;
}

/** The readable text parts in order (text/plain preferred inside multipart/alternative), and everything else as attachments. */
function collect(part: Part, depth: number, texts: string[], attachments: Attachment[]): void {
  const { type, parameters } = contentType(part);
  const disposition = (part.headers.get('content-disposition') ?? '').toLowerCase();
  if (type.startsWith('multipart/') && parameters.boundary && depth < MAX_DEPTH) {
    const children = splitMultipart(part.body, parameters.boundary).map(splitPart);
    if (type === 'multipart/alternative') {
      const preferred = children.find((child) => contentType(child).type === 'text/plain') ?? children.find((child) => contentType(child).type === 'text/html') ?? children[0];
      if (preferred) collect(preferred, depth + 1, texts, attachments);
      return;
    }
    for (const child of children) collect(child, depth + 1, texts, attachments);
    return;
  }
  const decoded = decodeTransfer(part);
  const isText = type === 'text/plain' || type === 'text/html';
  if (isText && !disposition.startsWith('attachment')) {
    const text = decodeCharset(decoded, parameters.charset ?? 'us-ascii');
    texts.push(type === 'text/html' ? `[HTML part shown as text]\n${htmlToText(text)}` : text);
    return;
  }
  attachments.push({ name: fileName(part) ?? '(unnamed)', type, size: decoded.length });
}

function splitPart(raw: Buffer): Part {
  const headerEnd = findHeaderEnd(raw);
  const headerText = raw.subarray(0, headerEnd).toString('latin1');
  const separator = raw.subarray(headerEnd, headerEnd + 4).toString('latin1').startsWith('\r\n\r\n') ? 4 : 2;
  const headers = new Map<string, string>();
  for (const line of headerText.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Header bytes may be UTF-8 (RFC 6532): read them as such for display.
    if (!headers.has(name)) headers.set(name, Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  return { headers, body: headerEnd >= raw.length ? Buffer.alloc(0) : raw.subarray(headerEnd + separator) };
}

function contentType(part: Part): { type: string; parameters: Record<string, string> } {
  const value = part.headers.get('content-type') ?? 'text/plain; charset=us-ascii';
  const [type, ...rest] = value.split(';');
  const parameters: Record<string, string> = {};
  for (const item of rest) {
    const match = /^\s*([^=\s]+)\s*=\s*"?([^"]*)"?\s*$/.exec(item);
    if (match) parameters[match[1].toLowerCase()] = match[2];
  }
  return { type: type.trim().toLowerCase(), parameters };
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const parts: Buffer[] = [];
  const sections = text.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}(--)?[ \\t]*(?:\\r?\\n|$)`));
  // split with a capture group interleaves the captures: text, cap, text, cap, …; the first text is the preamble.
  for (let index = 2; index < sections.length; index += 2) {
    if (sections[index - 1] === '--') break; // the closing delimiter: what follows is the epilogue
    parts.push(Buffer.from(sections[index], 'latin1'));
  }
  return parts;
}

function decodeTransfer(part: Part): Buffer {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase().trim();
  if (encoding === 'base64') return Buffer.from(part.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const text = part.body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  }
  return part.body;
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8'); // a charset node does not know: UTF-8 shows most text right
  }
}

function fileName(part: Part): string | null {
  const fromDisposition = /filename\*?\s*=\s*"?([^";]+)"?/i.exec(part.headers.get('content-disposition') ?? '');
  const fromType = /name\s*=\s*"?([^";]+)"?/i.exec(part.headers.get('content-type') ?? '');
  const name = fromDisposition?.[1] ?? fromType?.[1];
  return name ? decodeEncodedWords(name) : null;
}

/** Tags dropped, paragraphs kept as blank lines, the common entities decoded: readable, not rendered. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
