// A message body of `megabytes` MB streamed from a file with {{$file}}: the
// transcript that sends it, and the same bytes for a raw-socket peer (the file
// already has CRLF endings and no line starting with ".", so it is its own wire form).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_NAME, RECIPIENT, SENDER } from './peerTranscripts';

export interface BodyWorkload {
  transcript: string;
  wireBytes: Buffer;
}

export function writeBodyWorkload(folder: string, megabytes: number): BodyWorkload {
  const line = 'The quick brown fox jumps over the lazy dog, and a few more words to fill the line.\r\n';
  const wireBytes = Buffer.from(line.repeat(Math.ceil((megabytes * 2 ** 20) / line.length)));
  writeFileSync(join(folder, 'body.txt'), wireBytes);
  const transcript = join(folder, 'body.smtp');
  writeFileSync(transcript, [
    'S: 220', `C: EHLO ${CLIENT_NAME}`, 'S: 250', `C: MAIL FROM:<${SENDER}>`, 'S: 250', `C: RCPT TO:<${RECIPIENT}>`, 'S: 250',
    'C: DATA', 'S: 354', '{{$file body.txt}}', '.', 'S: 250', 'C: QUIT', 'S: 221',
  ].join('\n'));
  return { transcript, wireBytes };
}
