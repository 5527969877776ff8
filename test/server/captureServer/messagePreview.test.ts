import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { MAX_PREVIEW_OCTETS, messagePreview } from '../../../server/src/captureServer/messagePreview';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const preview = (raw: Buffer) => messagePreview(Readable.from([raw]), raw.length);

describe('messagePreview', () => {
  it('shows the main headers, decoded, and a plain body as it is', async () => {
    const shown = await preview(crlf([
      'Received: from client.example', 'From: Alice <alice@example.com>', 'To: bob@example.org', 'Subject: =?utf-8?B?SGVsbG8g8J+Riw==?=', 'X-Mailer: test', '', 'Hi Bob,', '', 'see you.',
    ]));
    assert.match(shown, /^From: "Alice" <alice@example.com>\nTo: bob@example.org\nSubject: Hello 👋\nSize: \d+ bytes\n\nHi Bob,\n\nsee you.\n$/);
    assert.doesNotMatch(shown, /X-Mailer|Received/);
  });

  it('decodes ISO-8859-1 and UTF-8 encoded words, Q and B, and joins adjacent ones (RFC 2047 §6.2)', async () => {
    const shown = await preview(crlf([
      'From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>', 'Subject: =?UTF-8?B?SGVsbG8g4pyT?= =?iso-8859-1?Q?caf=E9_time?=', '', 'x',
    ]));
    assert.match(shown, /^From: "André Pirard" <PIRARD@vm1\.ulg\.ac\.be>\nSubject: Hello ✓café time\n/);
  });

  it('decodes quoted-printable and base64 bodies in their charset', async () => {
    const qp = await preview(crlf(['Subject: qp', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'Gr=FC=DFe, a long line that is so=', 'ft-wrapped.']));
    assert.match(qp, /Grüße, a long line that is soft-wrapped\./);
    const b64 = await preview(crlf(['Subject: b64', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: base64', '', Buffer.from('Ünïcödé body').toString('base64')]));
    assert.match(b64, /Ünïcödé body/);
  });

  it('prefers the plain part of multipart/alternative and lists attachments with their sizes', async () => {
    const shown = await preview(crlf([
      'Subject: report', 'Content-Type: multipart/mixed; boundary="outer"', '', 'preamble',
      '--outer', 'Content-Type: multipart/alternative; boundary=inner', '',
      '--inner', 'Content-Type: text/plain; charset=utf-8', '', 'The plain text.',
      '--inner', 'Content-Type: text/html; charset=utf-8', '', '<p>The <b>HTML</b>.</p>',
      '--inner--', '',
      '--outer', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 twelve').toString('base64'),
      '--outer', 'Content-Type: image/png', 'Content-Disposition: attachment; filename="=?UTF-8?Q?gr=C3=BC=C3=9Fe.png?="', 'Content-Transfer-Encoding: base64', '', Buffer.alloc(3000, 7).toString('base64'),
      '--outer--', 'epilogue',
    ]));
    assert.match(shown, /The plain text\./);
    assert.doesNotMatch(shown, /HTML|preamble|epilogue/);
    assert.match(shown, /Attachments \(2\):\n {2}report\.pdf \(application\/pdf, 15 bytes\)\n {2}grüße\.png \(image\/png, 3000 bytes\)/);
  });

  it('shows an HTML-only message as text without tags', async () => {
    const shown = await preview(crlf(['Content-Type: text/html', '', '<html><style>p{}</style><p>One &amp; two</p><p>Three<br>four</p></html>']));
    assert.match(shown, /\[HTML part shown as text\]\nOne & two\n\nThree\nfour/);
    assert.doesNotMatch(shown, /<|p\{\}/);
  });

  it('shows what broken base64 decodes to instead of failing', async () => {
    const shown = await preview(crlf(['Content-Type: text/plain', 'Content-Transfer-Encoding: base64', '', `${Buffer.from('readable start').toString('base64')}@@!!==`, '%%%']));
    assert.match(shown, /readable start/);
  });

  it('survives a message without headers, an unknown charset and deep nesting', async () => {
    assert.match(await preview(Buffer.from('just text, no header\r\n')), /^Size: 22 bytes\n\n\(no text part\)\n$/);
    assert.match(await preview(crlf(['Content-Type: text/plain; charset=x-unknown', '', 'still shown'])), /still shown/);
    let nested = ['Content-Type: text/plain', '', 'deep'];
    for (let level = 0; level < 200; level++) nested = [`Content-Type: multipart/mixed; boundary=b${level}`, '', `--b${level}`, ...nested, `--b${level}--`];
    assert.match(await preview(crlf(nested)), /deep/);
  });

  it(`reads the first ${MAX_PREVIEW_OCTETS / 1024 / 1024} MB of a larger message and says so`, async () => {
    const attachment = Buffer.alloc(MAX_PREVIEW_OCTETS, 1).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = crlf(['Subject: big', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'the text', '--b',
      'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', '', attachment, '--b', 'Content-Type: text/plain', 'Content-Disposition: attachment; filename=late.txt', '', 'late', '--b--']);
    const shown = await preview(raw);
    assert.match(shown, /the text/);
    assert.doesNotMatch(shown, /late\.txt/);
    assert.match(shown, new RegExp(`The preview reads the first 8 MB of ${raw.length} bytes: later parts are not listed; open the \\.eml file for all of it\\.\\n$`));
  });
});
