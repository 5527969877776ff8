// Inputs built to find the quadratic paths and the deep recursions: each
// family makes a text of about `size` characters out of one pattern repeated.
// The scaling test feeds them at two sizes to every part that reads them and
// compares the cost; bench/ uses the same inputs.

export interface Family {
  name: string;
  make: (size: number) => string;
}

const SESSION_HEAD = '### adversarial\nC: EHLO client.example\nS: 250 mx.example\n';
const DATA_HEAD = `${SESSION_HEAD}C: MAIL FROM:<a@example.org>\nS: 250 ok\nC: RCPT TO:<b@example.org>\nS: 250 ok\nC: DATA\nS: 354 go ahead\n`;

/** `unit` repeated to about `size` characters. */
function repeat(unit: string, size: number): string {
  return unit.repeat(Math.max(1, Math.ceil(size / unit.length)));
}

/** Lines of a .smtp file that stress the parser, the analysis, the editor features and the grammar. */
export const TRANSCRIPT_FAMILIES: Family[] = [
  { name: 'spaces inside an address', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a${' '.repeat(size)}b@example.org>\n` },
  { name: 'spaces inside a variable value', make: (size) => `@value = a${' '.repeat(size)}b\n${SESSION_HEAD}` },
  { name: 'spaces after a reply code', make: (size) => `${SESSION_HEAD}C: NOOP\nS: 250${' '.repeat(size)}x\n` },
  { name: 'quotes inside an address', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<${repeat('"\\', size)}\n` },
  { name: '"{{" in a parameter value', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a@b> X=${repeat('{{a', size)}\n` },
  { name: 'parameters with "{{" and spaces', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a@b> ${repeat('X={{ a ', size)}\n` },
  { name: 'spaces after a session name', make: (size) => `### name${' '.repeat(size)}x\nC: NOOP\n` },
  { name: 'a run of "<"', make: (size) => `${SESSION_HEAD}C: MAIL FROM:${'<'.repeat(size)}\n` },
  { name: '"{{" never closed, one line', make: (size) => `${SESSION_HEAD}C: NOOP ${repeat('{{', size)}\n` },
  { name: '"{{" never closed, many lines', make: (size) => `${SESSION_HEAD}${repeat(`C: NOOP ${'{{'.repeat(4000)}\n`, size)}` },
  { name: '"{{" nested and closed', make: (size) => `${SESSION_HEAD}C: NOOP ${repeat('{{$base64 ', size / 2)}${repeat('}}', size / 10)}\n` },
  { name: '"{{" then "}}" on many lines', make: (size) => `@v = x\n${SESSION_HEAD}${repeat('C: NOOP {{v}} {{ v }}{{$base64 {{v}}}}\n', size)}` },
  { name: '"-" continuation replies', make: (size) => `${SESSION_HEAD}C: NOOP\n${repeat('S: 250-continued\n', size)}S: 250 last\n` },
  { name: '"-" continuation replies, never ended', make: (size) => `${SESSION_HEAD}C: NOOP\n${repeat('S: 250-continued\n', size)}` },
  { name: '"." body lines', make: (size) => `${DATA_HEAD}${repeat('C: .x\n', size)}C: .\nS: 250 ok\n` },
  { name: 'comments between replies after DATA', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a@b>\nC: DATA\nS: 250 ok\n${repeat('# note\n', size)}S: 354 go\nC: .\n` },
  { name: 'NUL and CR soup', make: (size) => `${SESSION_HEAD}${repeat('C: \0\r\0\rS: \r\r{{\0\r\n\r\0\n', size)}` },
  { name: 'one long unknown word', make: (size) => `${SESSION_HEAD}C: ${'a'.repeat(size)}\n` },
  { name: 'many long unknown words', make: (size) => `${SESSION_HEAD}${repeat(`C: ${'b'.repeat(2000)}\n`, size)}` },
  { name: 'a long word then a space', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a@b> ${'x'.repeat(size)} \n` },
  { name: 'backticks', make: (size) => `${SESSION_HEAD}C: NOOP ${repeat('```x', size)}\n` },
  { name: 'many sessions', make: (size) => repeat('### s\nC: EHLO a\nS: 250 b\nC: QUIT\nS: 221 bye\n', size) },
  { name: 'many recipients', make: (size) => `${SESSION_HEAD}C: MAIL FROM:<a@b>\nS: 250 ok\n${repeat('C: RCPT TO:<r@example.org>\nS: 250 ok\n', size)}` },
  { name: 'long header lines in a body', make: (size) => `${DATA_HEAD}Subject: ${'s '.repeat(size / 2)}\nC: .\nS: 250 ok\n` },
];

/** Raw messages (CRLF lines) for the capture server's summary and preview. */
export const MESSAGE_FAMILIES: Family[] = [
  { name: 'a subject of spaces', make: (size) => `Subject: a${' '.repeat(size)}\r\nFrom: a@b\r\n\r\nbody\r\n` },
  { name: 'a long folded header', make: (size) => `Subject: ${repeat('word\r\n ', size)}x\r\n\r\nbody\r\n` },
  { name: 'many headers', make: (size) => `${repeat('X-Header: value\r\n', size)}Subject: s\r\n\r\nbody\r\n` },
  { name: 'encoded words', make: (size) => `Subject: ${repeat('=?UTF-8?B?w6k=?= =?ISO-8859-1?Q?=E9?= ', size)}\r\n\r\nbody\r\n` },
  { name: 'broken encoded words', make: (size) => `Subject: ${repeat('=?UTF-8?B?', size)}\r\n\r\nbody\r\n` },
  { name: 'HTML of "<"', make: (size) => `Content-Type: text/html\r\n\r\n${repeat('<', size)}\r\n` },
  { name: 'HTML of unclosed tags', make: (size) => `Content-Type: text/html\r\n\r\n${repeat('<a href="x', size)}\r\n` },
  {
    name: 'deep multipart',
    make: (size) => {
      const depth = Math.max(1, Math.floor(size / 120));
      let head = '';
      let tail = '';
      for (let i = 0; i < depth; i++) {
        head += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
        tail = `\r\n--b${i}--\r\n${tail}`;
      }
      return `Subject: deep\r\n${head}Content-Type: text/plain\r\n\r\ninner${tail}`;
    },
  },
  { name: 'many parts', make: (size) => `Subject: parts\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${repeat('--b\r\nContent-Type: text/plain\r\n\r\npart\r\n', size)}--b--\r\n` },
  { name: 'broken base64', make: (size) => `Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${repeat('@@==!!', size)}\r\n` },
  { name: 'quoted-printable soft breaks', make: (size) => `Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${repeat('=\r\n', size)}\r\n` },
  { name: 'NUL and CR soup', make: (size) => repeat('\0\r\0\r:\r\n\r', size) },
];

/** What a server sends, for the engine's reply reader. */
export const REPLY_FAMILIES: Family[] = [
  { name: '"-" continuation lines', make: (size) => `${repeat('250-continued\r\n', size)}250 last\r\n` },
  { name: 'one long line', make: (size) => `250 ${'x'.repeat(size)}\r\n` },
  { name: 'spaces', make: (size) => `250${' '.repeat(size)}\r\n` },
  { name: 'NUL and CR soup', make: (size) => repeat('2\0\r5\r0-\r\n', size) },
  { name: 'bare LF lines', make: (size) => repeat('250-x\n', size) },
];
