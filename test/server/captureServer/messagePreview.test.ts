import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagePreview } from '../../../server/src/captureServer/messagePreview';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('messagePreview', () => {
  it('shows the main headers, decoded, and a plain body as it is', () => {
    const preview = messagePreview(crlf([
      'Received: from client.example', 'From: Alice <alice@example.com>', 'To: bob@example.org', 'Subject: =?utf-8?B?SGVsbG8g8J+Riw==?=', 'X-Mailer: test', '', 'Hi Bob,', '', 'see you.',
    ]));
    assert.match(preview, /^From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: Hello 👋\nSize: \d+ bytes\n\nHi Bob,\n\nsee you.\n$/);
    assert.doesNotMatch(preview, /X-Mailer|Received/);
  });

  it('decodes quoted-printable and base64 bodies in their charset', () => {
    const qp = messagePreview(crlf(['Subject: qp', 'Content-Type: text/plain; charset=iso-8859-1', 'Content-Transfer-Encoding: quoted-printable', '', 'Gr=FC=DFe, a long line that is so=', 'ft-wrapped.']));
    assert.match(qp, /Grüße, a long line that is soft-wrapped\./);
    const b64 = messagePreview(crlf(['Subject: b64', 'Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: base64', '', Buffer.from('Ünïcödé body').toString('base64')]));
    assert.match(b64, /Ünïcödé body/);
  });

  it('prefers the plain part of multipart/alternative and lists attachments with their sizes', () => {
    const preview = messagePreview(crlf([
      'Subject: report', 'Content-Type: multipart/mixed; boundary="outer"', '', 'preamble',
      '--outer', 'Content-Type: multipart/alternative; boundary=inner', '',
      '--inner', 'Content-Type: text/plain; charset=utf-8', '', 'The plain text.',
      '--inner', 'Content-Type: text/html; charset=utf-8', '', '<p>The <b>HTML</b>.</p>',
      '--inner--', '',
      '--outer', 'Content-Type: application/pdf; name="report.pdf"', 'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', Buffer.from('%PDF-1.4 twelve').toString('base64'),
      '--outer--', 'epilogue',
    ]));
    assert.match(preview, /The plain text\./);
    assert.doesNotMatch(preview, /HTML|preamble|epilogue/);
    assert.match(preview, /Attachments \(1\):\n {2}report\.pdf \(application\/pdf, 15 bytes\)/);
  });

  it('shows an HTML-only message as text without tags', () => {
    const preview = messagePreview(crlf(['Content-Type: text/html', '', '<html><style>p{}</style><p>One &amp; two</p><p>Three<br>four</p></html>']));
    assert.match(preview, /\[HTML part shown as text\]\nOne & two\n\nThree\nfour/);
    assert.doesNotMatch(preview, /<|p\{\}/);
  });

  it('survives a message without headers, an unknown charset and nesting deeper than it opens', () => {
    assert.match(messagePreview(Buffer.from('just text, no header\r\n')), /Size: \d+ bytes/);
    assert.match(messagePreview(crlf(['Content-Type: text/plain; charset=x-unknown', '', 'still shown'])), /still shown/);
    let nested = ['Content-Type: text/plain', '', 'deep'];
    for (let level = 0; level < 20; level++) nested = [`Content-Type: multipart/mixed; boundary=b${level}`, '', `--b${level}`, ...nested, `--b${level}--`];
    assert.doesNotThrow(() => messagePreview(crlf(nested)));
  });
});
