// The subject of a captured message for its summary line and the inbox:
// from the first octets only (messageSpool.ts keeps them aside), decoded by
// mailparser. Bounded whatever the message: a subject of 40,000 spaces once
// stalled the whole server for seconds in a regular expression.
import { Readable } from 'node:stream';
import { MailParser, type HeaderValue } from 'mailparser';
import { headerText } from './messagePreview';

/** The Subject header (unfolded, encoded words decoded), or null when the header section has none. */
export async function subjectOf(head: Buffer): Promise<string | null> {
  const parser = new MailParser({ skipHtmlToText: true, skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  const headerSection = head.subarray(0, headerEnd(head));
  return new Promise((resolve) => {
    parser.once('headers', (headers: Map<string, HeaderValue>) => {
      const subject = headers.get('subject');
      resolve(subject === undefined ? null : headerText(subject));
    });
    parser.on('error', () => resolve(null));
    parser.on('end', () => resolve(null));
    // Only the header section: the body is not this summary's business.
    parser.resume();
    Readable.from([headerSection, Buffer.from('\r\n\r\n')]).pipe(parser);
  });
}

/** Where the header section ends (its blank line), or the end of what was kept. */
function headerEnd(head: Buffer): number {
  const crlf = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  if (crlf === -1) return lf === -1 ? head.length : lf;
  return lf === -1 ? crlf : Math.min(crlf, lf);
}
