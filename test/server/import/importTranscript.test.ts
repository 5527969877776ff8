import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import { importTranscript, type ImportOptions } from '../../../server/src/import/importTranscript';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/**
 * Each sample is written the way its tool or document prints it (swaks's
 * manual, "OUTPUT OPTIONS"; sendmail -v and mailx -v logs; RFC 3461 §10,
 * RFC 3030 §4, RFC 4954 §4, RFC 2920 §3.1 as their text files lay them out;
 * telnet, nc and openssl s_client as a terminal shows them), one line per
 * argument.
 */
function imported(lines: string[], options: ImportOptions = {}) {
  const result = importTranscript(lines.join('\n'), options);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result;
}

/** "line severity code" for what check finds in the converted text (1-based lines). */
function checked(text: string): string[] {
  return checkTranscript(parseTranscript(text)).map((problem) => `${problem.range.start.line + 1} ${problem.severity} ${problem.code}`);
}

function errorsAndWarnings(text: string): string[] {
  return checked(text).filter((found) => / (error|warning) /.test(found));
}

function linesOf(text: string): string[] {
  return text.split('\n');
}

const SWAKS_STARTTLS_AUTH_LOGIN = [
  '=== Trying mail.example.org:587...',
  '=== Connected to mail.example.org.',
  '<-  220 mail.example.org ESMTP Postfix',
  ' -> EHLO client.example.com',
  '<-  250-mail.example.org',
  '<-  250-PIPELINING',
  '<-  250-STARTTLS',
  '<-  250 8BITMIME',
  ' -> STARTTLS',
  '<-  220 2.0.0 Ready to start TLS',
  '=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256',
  '=== TLS no local certificate set',
  '=== TLS peer DN="/CN=mail.example.org"',
  ' ~> EHLO client.example.com',
  '<~  250-mail.example.org',
  '<~  250-PIPELINING',
  '<~  250-AUTH PLAIN LOGIN',
  '<~  250 8BITMIME',
  ' ~> AUTH LOGIN',
  '<~  334 VXNlcm5hbWU6',
  ' ~> YWxpY2U=',
  '<~  334 UGFzc3dvcmQ6',
  ' ~> czNjcjN0LXBhc3N3b3Jk',
  '<~  235 2.7.0 Authentication successful',
  ' ~> MAIL FROM:<alice@example.com>',
  '<~  250 2.1.0 Ok',
  ' ~> RCPT TO:<bob@example.org>',
  '<~  250 2.1.5 Ok',
  ' ~> DATA',
  '<~  354 End data with <CR><LF>.<CR><LF>',
  ' ~> Date: Mon, 07 Dec 2026 03:10:00 +0000',
  ' ~> Subject: test Mon, 07 Dec 2026 03:10:00 +0000',
  ' ~> X-Mailer: swaks v20240103.0 jetmore.org/john/code/swaks/',
  ' ~> ',
  ' ~> This is a test mailing',
  ' ~> .',
  '<~  250 2.0.0 Ok: queued as 4F2A21E0C3',
  ' ~> QUIT',
  '<~  221 2.0.0 Bye',
  '=== Connection closed with remote host.',
];

describe('importTranscript: swaks output', () => {
  it('maps -> and <- (and ~> <~ inside TLS) to C: and S:, keeps === lines as comments, and checks clean', () => {
    const result = imported(SWAKS_STARTTLS_AUTH_LOGIN);
    assert.equal(result.format, 'swaks');
    const lines = linesOf(result.text);
    assert.ok(lines.includes('@server = mail.example.org:587'));
    assert.ok(lines.includes('# TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256'));
    assert.deepEqual(lines.slice(lines.indexOf('C: STARTTLS'), lines.indexOf('C: STARTTLS') + 2), ['C: STARTTLS', 'S: 220 2.0.0 Ready to start TLS']);
    // The message content keeps its empty line and ends at its "." line.
    const data = lines.indexOf('C: DATA');
    assert.deepEqual(lines.slice(data + 2, data + 8), ['Date: Mon, 07 Dec 2026 03:10:00 +0000', 'Subject: test Mon, 07 Dec 2026 03:10:00 +0000', 'X-Mailer: swaks v20240103.0 jetmore.org/john/code/swaks/', '', 'This is a test mailing', '.']);
    assert.deepEqual(checked(result.text), []);
  });

  it('copies no credential: AUTH LOGIN answers become secret references named by what the 334 asked', () => {
    const { text } = imported(SWAKS_STARTTLS_AUTH_LOGIN);
    for (const credential of ['YWxpY2U=', 'czNjcjN0LXBhc3N3b3Jk', 's3cr3t-password', 'alice\n']) assert.ok(!text.includes(credential), credential);
    const lines = linesOf(text);
    const auth = lines.indexOf('C: AUTH LOGIN');
    assert.deepEqual(lines.slice(auth - 1, auth + 5), [
      '# the credentials are not copied; a replay sends the secrets SMTP_USER and SMTP_PASSWORD.',
      'C: AUTH LOGIN',
      'S: 334 VXNlcm5hbWU6',
      'C: {{$base64 {{$secret SMTP_USER}}}}',
      'S: 334 UGFzc3dvcmQ6',
      'C: {{$base64 {{$secret SMTP_PASSWORD}}}}',
    ]);
  });

  it('marks a --suppress-data summary and leaves the body empty, so the pipelined session still checks clean', () => {
    const { text } = imported([
      '=== Trying mx.example.org:25...',
      '<-  220 mx.example.org ESMTP Exim 4.97',
      ' -> EHLO client.example.com',
      '<-  250-mx.example.org Hello client.example.com [192.0.2.7]',
      '<-  250-PIPELINING',
      '<-  250 HELP',
      ' -> MAIL FROM:<alice@example.com>',
      ' -> RCPT TO:<nobody@example.org>',
      ' -> RCPT TO:<bob@example.org>',
      '<-  250 OK',
      '<** 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown',
      '<-  250 Accepted',
      ' -> DATA',
      '<-  354 Enter message, ending with "." on a line by itself',
      ' -> 18 lines sent',
      '<-  250 OK id=1tQaBc-000123-4x',
      ' -> QUIT',
      '<-  221 mx.example.org closing connection',
    ]);
    const lines = linesOf(text);
    const data = lines.indexOf('C: DATA');
    assert.match(lines[data - 1], /^# swaks --suppress-data summarized the message as "18 lines sent": the message content is not in the original, so the body here is empty\.$/);
    assert.deepEqual(lines.slice(data, data + 4), ['C: DATA', 'S: 354 Enter message, ending with "." on a line by itself', '.', 'S: 250 OK id=1tQaBc-000123-4x']);
    assert.deepEqual(checked(text), []);
  });

  it('reads --tls-on-connect (TLS before the greeting) as @tls = implicit, and AUTH PLAIN as $authPlain of two secrets', () => {
    const { text } = imported([
      '=== Trying smtp.example.net:465...',
      '=== TLS started with cipher TLSv1.3:TLS_AES_128_GCM_SHA256:128',
      '<~  220 smtp.example.net ESMTP ready',
      ' ~> EHLO client.example.com',
      '<~  250-smtp.example.net',
      '<~  250 AUTH PLAIN',
      ' ~> AUTH PLAIN AGFsaWNlAHMzY3IzdA==',
      '<~* 535 5.7.8 Error: authentication failed',
      '*** No authentication type succeeded',
      ' ~> QUIT',
      '<~  221 2.0.0 Bye',
    ]);
    const lines = linesOf(text);
    assert.ok(lines.includes('@tls = implicit'));
    assert.ok(lines.includes('C: AUTH PLAIN {{$authPlain {{$secret SMTP_USER}} {{$secret SMTP_PASSWORD}}}}'));
    assert.ok(lines.includes('# swaks error: No authentication type succeeded'));
    assert.ok(!text.includes('AGFsaWNlAHMzY3IzdA=='));
    assert.deepEqual(errorsAndWarnings(text), []);
  });

  it('masks a password given on the swaks command line kept as a comment', () => {
    const { text } = imported(['$ swaks --to bob@example.org --auth-user alice --auth-password s3cr3t', '<-  220 mx ESMTP', ' -> QUIT', '<-  221 bye']);
    assert.ok(!text.includes('s3cr3t'));
    assert.ok(linesOf(text).includes('# $ swaks --to bob@example.org --auth-user alice --auth-password ***'));
  });
});

describe('importTranscript: >>> / <<< verbose logs', () => {
  it('reads sendmail -v, whose replies are bare: a pipelined group, the connection, and a body the log never shows', () => {
    const { text, format } = imported([
      'bob@example.org... Connecting to [127.0.0.1] port 25 via relay...',
      '220 mail.example.com ESMTP Sendmail 8.17.1/8.17.1; Mon, 7 Dec 2026 03:12:01 GMT',
      '>>> EHLO client.example.com',
      '250-mail.example.com Hello localhost [127.0.0.1], pleased to meet you',
      '250-ENHANCEDSTATUSCODES',
      '250-PIPELINING',
      '250-SIZE',
      '250 HELP',
      '>>> MAIL From:<alice@client.example.com> SIZE=312',
      '250 2.1.0 <alice@client.example.com>... Sender ok',
      '>>> RCPT To:<bob@example.org>',
      '>>> DATA',
      '250 2.1.5 <bob@example.org>... Recipient ok',
      '354 Enter mail, end with "." on a line by itself',
      '>>> .',
      '250 2.0.0 0B73C1pY001234 Message accepted for delivery',
      'bob@example.org... Sent (0B73C1pY001234 Message accepted for delivery)',
      'Closing connection to [127.0.0.1]',
      '>>> QUIT',
      '221 2.0.0 mail.example.com closing connection',
    ]);
    assert.equal(format, 'arrows');
    const lines = linesOf(text);
    assert.ok(lines.includes('@server = 127.0.0.1:25'));
    assert.ok(lines.includes('# bob@example.org... Sent (0B73C1pY001234 Message accepted for delivery)'));
    assert.match(lines[lines.indexOf('C: DATA') - 1], /^# the log does not show the message content/);
    assert.deepEqual(checked(text), []);
  });

  it('reads mailx -v with STARTTLS and AUTH LOGIN, naming the host it resolved', () => {
    const { text } = imported([
      'Resolving host smtp.example.com:587 . . . done.',
      'Connecting to 192.0.2.10:587 . . . connected.',
      '220 smtp.example.com ESMTP',
      '>>> EHLO laptop.example.com',
      '250-smtp.example.com',
      '250-STARTTLS',
      '250 8BITMIME',
      '>>> STARTTLS',
      '220 2.0.0 Ready to start TLS',
      '>>> EHLO laptop.example.com',
      '250-smtp.example.com',
      '250 AUTH PLAIN LOGIN',
      '>>> AUTH LOGIN',
      '334 VXNlcm5hbWU6',
      '>>> YWxpY2VAZXhhbXBsZS5jb20=',
      '334 UGFzc3dvcmQ6',
      '>>> c2VjcmV0',
      '235 2.7.0 Authentication successful',
      '>>> QUIT',
      '221 2.0.0 Bye',
    ]);
    assert.ok(linesOf(text).includes('@server = smtp.example.com:587'));
    assert.ok(!text.includes('YWxpY2VAZXhhbXBsZS5jb20=') && !text.includes('c2VjcmV0'));
    assert.deepEqual(checked(text), []);
  });

  it('reads RFC 3461 §10: <<< replies, commands folded with "\\", "(message goes here)" as an elided body', () => {
    const { text } = imported([
      '      <<< 220 Example.ORG SMTP server here',
      '      >>> EHLO Example.ORG',
      '      <<< 250-Example.ORG',
      '      <<< 250-DSN',
      '      <<< 250 SIZE',
      '      >>> MAIL FROM:<Alice@Example.ORG> RET=HDRS ENVID=QQ314159',
      '      <<< 250 <Alice@Example.ORG> sender ok',
      '      >>> RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS \\',
      '          ORCPT=rfc822;Bob@Example.COM',
      '      <<< 250 <Bob@Example.COM> recipient ok',
      '      >>> DATA',
      '      <<< 354 okay, send message',
      '      >>> (message goes here)',
      '      >>> .',
      '      <<< 250 message accepted',
      '      >>> QUIT',
      '      <<< 221 goodbye',
    ]);
    const lines = linesOf(text);
    assert.ok(lines.includes('C: RCPT TO:<Bob@Example.COM> NOTIFY=SUCCESS ORCPT=rfc822;Bob@Example.COM'));
    assert.match(lines[lines.indexOf('C: DATA') - 1], /^# the original shows "\(message goes here\)" in place of the message content/);
    assert.deepEqual(lines.slice(lines.indexOf('C: DATA'), lines.indexOf('C: DATA') + 3), ['C: DATA', 'S: 354 okay, send message', '.']);
    assert.deepEqual(checked(text), []);
  });
});

describe('importTranscript: telnet, nc and openssl s_client sessions', () => {
  it('tells typed commands from bare replies, keeps the tools\' lines as comments, and reads the body after 354 as content', () => {
    const { text, format } = imported([
      'user@laptop:~$ telnet mx.example.org 25',
      'Trying 192.0.2.25...',
      'Connected to mx.example.org.',
      "Escape character is '^]'.",
      '220 mx.example.org ESMTP Postfix',
      'EHLO laptop.example.com',
      '250-mx.example.org',
      '250 8BITMIME',
      'MAIL FROM:<alice@example.com>',
      '250 2.1.0 Ok',
      'RCPT TO:<bob@example.org>',
      '250 2.1.5 Ok',
      'DATA',
      '354 End data with <CR><LF>.<CR><LF>',
      'Subject: hello from telnet',
      '',
      '250 ways to say hello.',
      '.',
      '250 2.0.0 Ok: queued as 9C1D2E3F4A',
      'QUIT',
      '221 2.0.0 Bye',
      'Connection closed by foreign host.',
    ]);
    assert.equal(format, 'telnet');
    const lines = linesOf(text);
    assert.ok(lines.includes('@server = mx.example.org:25'));
    assert.ok(lines.includes("# Escape character is '^]'."));
    // "250 ways to say hello." is message content, not a reply.
    assert.deepEqual(lines.slice(lines.indexOf('C: DATA') + 2, lines.indexOf('C: DATA') + 6), ['Subject: hello from telnet', '', '250 ways to say hello.', '.']);
    assert.deepEqual(checked(text), []);
  });

  it('keeps a mistake typed into nc visible as the diagnostic check gives it', () => {
    const { text } = imported([
      '$ nc -v mx.example.org 25',
      'Connection to mx.example.org 25 port [tcp/smtp] succeeded!',
      '220 mx.example.org ESMTP',
      'EHLO laptop.example.com',
      '250 mx.example.org',
      'MAIL FROM: alice@example.com',
      '501 5.1.7 Bad sender address syntax',
      'QIUT',
      '502 5.5.2 Error: command not recognized',
      'QUIT',
      '221 2.0.0 Bye',
    ]);
    const found = checked(text);
    const line = (content: string) => linesOf(text).indexOf(content) + 1;
    assert.ok(found.includes(`${line('C: MAIL FROM: alice@example.com')} information syntax`), found.join('\n'));
    assert.ok(found.includes(`${line('C: QIUT')} information unknown-command`), found.join('\n'));
  });

  it('reads openssl s_client -starttls smtp: skips the handshake report, writes back the EHLO and STARTTLS it hid, keeps no credential', () => {
    const { text } = imported([
      '$ openssl s_client -connect smtp.example.com:587 -starttls smtp -crlf',
      'CONNECTED(00000003)',
      'depth=0 CN = smtp.example.com',
      'verify return:1',
      '---',
      'Certificate chain',
      ' 0 s:CN = smtp.example.com',
      '   i:C = US, O = Let\'s Encrypt, CN = R11',
      '---',
      'Server certificate',
      '-----BEGIN CERTIFICATE-----',
      'MIIFBjCCA+6gAwIBAgISBKr0aQvFq0aLz0P6dAnUqDnbMA0GCSqGSIb3DQEBCwUA',
      '-----END CERTIFICATE-----',
      'subject=CN = smtp.example.com',
      '---',
      'SSL handshake has read 4723 bytes and written 433 bytes',
      '---',
      'New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384',
      'Verify return code: 0 (ok)',
      '---',
      'EHLO laptop.example.com',
      '250-smtp.example.com',
      '250-AUTH PLAIN LOGIN',
      '250 8BITMIME',
      '---',
      'Post-Handshake New Session Ticket arrived:',
      'SSL-Session:',
      '    Protocol  : TLSv1.3',
      '---',
      'read R BLOCK',
      'AUTH PLAIN AGFsaWNlQGV4YW1wbGUuY29tAHMzY3IzdA==',
      '235 2.7.0 Authentication successful',
      'QUIT',
      '221 2.0.0 Bye',
    ]);
    const lines = linesOf(text);
    assert.ok(lines.includes('@server = smtp.example.com:587'));
    assert.ok(lines.includes('# TLS: New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384'));
    assert.ok(!text.includes('MIIFBjCCA') && !text.includes('AGFsaWNl') && !text.includes('Post-Handshake'));
    const hidden = lines.indexOf('C: STARTTLS');
    assert.deepEqual(lines.slice(hidden, hidden + 3), ['C: STARTTLS', 'S: 220', 'C: EHLO laptop.example.com']);
    assert.deepEqual(errorsAndWarnings(text), []);
  });

  it('reads openssl s_client to port 465 (no -starttls) as TLS from the first byte', () => {
    const { text } = imported(['$ openssl s_client -connect smtp.example.com:465 -crlf -quiet', 'CONNECTED(00000003)', 'Verify return code: 0 (ok)', '---', '220 smtp.example.com ESMTP', 'EHLO laptop.example.com', '250 smtp.example.com', 'QUIT', '221 Bye']);
    assert.ok(linesOf(text).includes('@tls = implicit'));
    assert.deepEqual(checked(text), []);
  });
});

describe('importTranscript: RFC-style transcripts', () => {
  it('reads RFC 3030 §4.1\'s S:/R: (S is the sender there) and its <CR><LF> chunk lines, which add up to BDAT 86', () => {
    const { text, format } = imported([
      '   R: <wait for connection on TCP port 25>',
      '   S: <open connection to server>',
      '   R: 220 cnri.reston.va.us SMTP service ready',
      '   S: EHLO ymir.claremont.edu',
      '   R: 250-cnri.reston.va.us says hello',
      '   R: 250 CHUNKING',
      '   S: MAIL FROM:<Sam@Random.com>',
      '   R: 250 <Sam@Random.com> Sender ok',
      '   S: RCPT TO:<Susan@Random.com>',
      '   R: 250 <Susan@random.com> Recipient ok',
      '   S: BDAT 86 LAST',
      '   S: To: Susan@random.com<CR><LF>',
      '   S: From: Sam@random.com<CR><LF>',
      '   S: Subject: This is a bodyless test message<CR><LF>',
      '   R: 250 Message OK, 86 octets received',
      '   S: QUIT',
      '   R: 221 Goodbye',
    ]);
    assert.equal(format, 'rfc');
    const lines = linesOf(text);
    assert.ok(lines.includes('# <open connection to server>'));
    assert.deepEqual(lines.slice(lines.indexOf('C: BDAT 86 LAST'), lines.indexOf('C: BDAT 86 LAST') + 5), ['C: BDAT 86 LAST', 'To: Susan@random.com', 'From: Sam@random.com', 'Subject: This is a bodyless test message', 'S: 250 Message OK, 86 octets received']);
    assert.deepEqual(checked(text), []);
  });

  it('mends RFC 3030 §4.2\'s page break and stands in for the chunks it only describes, so the sizes match', () => {
    const { text } = imported([
      '   S: MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME',
      '   S: RCPT TO:<gvaudre@cnri.reston.va.us>',
      '   R: 250 <ned@ymir.claremont.edu>... Sender and BINARYMIME ok',
      '   R: 250 <gvaudre@cnri.reston.va.us>... Recipient ok',
      '   S: BDAT 100000',
      '   S: (First 10000 octets of canonical MIME message data)',
      '',
      '',
      '',
      'Vaudreuil                   Standards Track                     [Page 8]',
      '\fRFC 3030                      Binary ESMTP                 December 2000',
      '',
      '',
      '   S: BDAT 324',
      '   S: (Remaining 324 octets of canonical MIME message data)',
      '   S: BDAT 0 LAST',
      '   R: 250 100000 octets received',
      '   R: 250 324 octets received',
      '   R: 250 Message OK, 100324 octets received',
    ]);
    const lines = linesOf(text);
    assert.ok(!text.includes('[Page 8]') && !text.includes('Binary ESMTP'));
    const first = lines.findIndex((line) => line.startsWith('C: BDAT') && line !== 'C: BDAT 0 LAST');
    assert.match(lines[first - 1], /^# the original elides this chunk's 100000 octets; the line below stands in for them/);
    assert.deepEqual(lines.slice(first, first + 2), ['C: BDAT 51', '(First 10000 octets of canonical MIME message data)']);
    assert.deepEqual(checked(text).filter((found) => found.includes('bdat-size-mismatch')), []);
  });

  it('reads RFC 4954 §4\'s examples as separate sessions, joins the wrapped challenge, and keeps its unfinished "220-" greeting visible', () => {
    const { text } = imported([
      '   S: 220-smtp.example.com ESMTP Server',
      '   C: EHLO client.example.com',
      '   S: 250-smtp.example.com Hello client.example.com',
      '   S: 250 STARTTLS',
      '   C: STARTTLS',
      '   S: 220 Ready to start TLS',
      '     ... TLS negotiation proceeds, further commands',
      '         protected by TLS layer ...',
      '   C: EHLO client.example.com',
      '   S: 250-smtp.example.com Hello client.example.com',
      '   S: 250 AUTH GSSAPI DIGEST-MD5 PLAIN',
      '   C: AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=',
      '   S: 235 2.7.0 Authentication successful',
      '',
      '   Here is an example using CRAM-MD5 [CRAM-MD5], a mechanism in which',
      '   the client does not begin the authentication exchange:',
      '',
      '   S: 220 smtp.example.com ESMTP Server',
      '   C: EHLO client.example.com',
      '   S: 250-smtp.example.com Hello client.example.com',
      '   S: 250 AUTH DIGEST-MD5 CRAM-MD5',
      '   C: AUTH CRAM-MD5',
      '   S: 334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVk',
      '      dT4=',
      '   C: cmpzMyBlYzNhNTlmZWQzOTVhYmExZWM2MzY3YzRmNGI0MWFjMA==',
      '   S: 235 2.7.0 Authentication successful',
    ]);
    const lines = linesOf(text);
    assert.ok(lines.includes('### Session 2'));
    assert.ok(lines.includes('# ... TLS negotiation proceeds, further commands'));
    assert.ok(lines.includes('S: 334 PDQxOTI5NDIzNDEuMTI4Mjg0NzJAc291cmNlZm91ci5hbmRyZXcuY211LmVkdT4='));
    assert.ok(lines.includes('C: {{$secret SMTP_AUTH_RESPONSE_1}}'));
    assert.ok(!text.includes('dGVzdAB0ZXN0ADEyMzQ=') && !text.includes('cmpzMyBl'));
    // The RFC's own slip: its greeting continues with "-" and never ends.
    assert.deepEqual(errorsAndWarnings(text), [`${lines.indexOf('S: 220-smtp.example.com ESMTP Server') + 1} error inconsistent-multiline`]);
  });

  it('reads RFC 2920 §3.1\'s two indented examples clean, the lone "." after 354 included', () => {
    const { text } = imported([
      '   S: <wait for open connection>',
      '   C: <open connection to server>',
      '   S: 220 innosoft.com SMTP service ready',
      '   C: EHLO dbc.mtview.ca.us',
      '   S: 250-innosoft.com',
      '   S: 250 PIPELINING',
      '   C: MAIL FROM:<mrose@dbc.mtview.ca.us>',
      '   C: RCPT TO:<nsb@thumper.bellcore.com>',
      '   C: DATA',
      '   S: 250 sender <mrose@dbc.mtview.ca.us> OK',
      '   S: 550 remote mail to <nsb@thumper.bellore.com> not allowed',
      '   S: 354 enter mail, end with line containing only "."',
      '   C: .',
      '   C: QUIT',
      '   S: 554 no valid recipients',
      '   S: 221 goodbye',
    ]);
    assert.deepEqual(checked(text), []);
  });
});

describe('importTranscript: LMTP', () => {
  it('reads RFC 2033 §4.2\'s example clean: one reply after the data per accepted recipient', () => {
    const { text } = imported([
      '   S: 220 foo.edu LMTP server ready',
      '   C: LHLO foo.edu',
      '   S: 250-foo.edu',
      '   S: 250-PIPELINING',
      '   S: 250 SIZE',
      '   C: MAIL FROM:<chris@bar.com>',
      '   S: 250 OK',
      '   C: RCPT TO:<pat@foo.edu>',
      '   S: 250 OK',
      '   C: RCPT TO:<jones@foo.edu>',
      '   S: 550 No such user here',
      '   C: RCPT TO:<green@foo.edu>',
      '   S: 250 OK',
      '   C: DATA',
      '   S: 354 Start mail input; end with <CRLF>.<CRLF>',
      '   C: Blah blah blah...',
      '   C: ...etc. etc. etc.',
      '   C: .',
      '   S: 250 OK',
      '   S: 452 <green@foo.edu> is temporarily over quota',
      '   C: QUIT',
      '   S: 221 foo.edu closing connection',
    ]);
    assert.deepEqual(checked(text), []);
  });
});

describe('importTranscript: choosing the format', () => {
  it('says what it reads when nothing is recognised, and when --from names a format the text is not in', () => {
    const none = importTranscript('Dear postmaster,\nmy mail does not arrive.\n');
    assert.equal(none.ok, false);
    assert.match(!none.ok ? none.message : '', /^No SMTP dialogue recognised\. import reads swaks output .*--from swaks\|arrows\|rfc\|telnet/);
    const wrong = importTranscript(SWAKS_STARTTLS_AUTH_LOGIN.join('\n'), { from: 'arrows' });
    assert.equal(wrong.ok, false);
    assert.match(!wrong.ok ? wrong.message : '', /^No dialogue lines found reading this as a >>>\/<<< verbose log/);
  });

  it('converts a .smtp transcript into itself, so importing twice changes nothing but the header', () => {
    const once = imported(SWAKS_STARTTLS_AUTH_LOGIN).text;
    const twice = imported(linesOf(once), { from: 'rfc' }).text;
    const dialogue = (text: string) => linesOf(text).filter((line) => /^[CS]: /.test(line));
    assert.deepEqual(dialogue(twice), dialogue(once));
  });

  it('writes lines for a block of a file when not standalone: no header, connections as comments', () => {
    const { text } = imported(['=== Trying mx.example.org:25...', '<-  220 mx', ' -> QUIT', '<-  221 bye'], { standalone: false });
    assert.deepEqual(linesOf(text), ['# connected to mx.example.org:25', 'S: 220 mx', 'C: QUIT', 'S: 221 bye', '']);
  });
});
