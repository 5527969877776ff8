import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import {
  DEFAULT_MAX_SIZE, LocalServerError, MAX_MESSAGES_KEPT, startLocalServer,
  type CapturedMessage, type LocalServerOptions, type RunningLocalServer,
} from '../../../server/src/captureServer/localServer';
import { makeSelfSignedCertificate } from '../../../server/src/captureServer/localServerCertificate';
import { emlFileName, summaryLine } from '../../../server/src/captureServer/localServerMessage';
import { readContent } from '../../../server/src/captureServer/messageSpool';
import { subjectOf } from '../../../server/src/captureServer/messageSubject';
import { Dialogue } from './dialogue';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serve(options: LocalServerOptions = {}): Promise<RunningLocalServer & { lines: string[] }> {
  const lines: string[] = [];
  const server = await startLocalServer({ port: 0, log: (line) => lines.push(line), ...options });
  cleanups.push(() => server.close());
  return Object.assign(server, { lines });
}

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-session-local-server-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function open(server: RunningLocalServer): Promise<Dialogue> {
  const socket = connectTcp(server.port, server.host);
  cleanups.push(() => void socket.destroy());
  return new Dialogue(socket);
}

/** Connects, reads the greeting and says EHLO; returns the dialogue and the EHLO reply's keywords. */
async function hello(server: RunningLocalServer): Promise<{ dialogue: Dialogue; keywords: string[] }> {
  const dialogue = await open(server);
  assert.match((await dialogue.reply())?.[0] ?? '', /^220 /);
  const ehlo = await dialogue.command('EHLO client.example');
  assert.ok(ehlo, 'EHLO answered');
  return { dialogue, keywords: ehlo.slice(1).map((line) => line.slice(4)) };
}

/** STARTTLS on an open dialogue, then TLS trusting the server's own certificate; returns the dialogue over TLS. */
async function startTls(server: RunningLocalServer, dialogue: Dialogue): Promise<Dialogue> {
  assert.deepEqual(await dialogue.command('STARTTLS'), ['220 2.0.0 Ready to start TLS']);
  dialogue.socket.removeAllListeners('data');
  const secure = connectTls({ socket: dialogue.socket as Socket, servername: 'localhost', ca: server.certificatePem ?? undefined });
  cleanups.push(() => void secure.destroy());
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  assert.equal(secure.authorized, true, String(secure.authorizationError));
  return new Dialogue(secure);
}

function authPlain(user: string, pass: string): string {
  return Buffer.from(`\0${user}\0${pass}`).toString('base64');
}

/** One transaction from alice to bob with this message (without its final "."); the reply to the end of data. */
async function send(dialogue: Dialogue, message: string): Promise<string[] | null> {
  await dialogue.command('MAIL FROM:<alice@example.com>');
  await dialogue.command('RCPT TO:<bob@example.org>');
  await dialogue.command('DATA');
  return dialogue.command(`${message}${message.endsWith('\r\n') ? '' : '\r\n'}.`);
}

/** The count-th message kept (1-based); the server keeps it before it answers 250. */
function capturedMessage(server: RunningLocalServer, count: number): CapturedMessage {
  const message = server.messages[count - 1];
  assert.ok(message, `message ${count} captured`);
  return message;
}

describe('startLocalServer', () => {
  it('greets with 220 and its banner, on loopback by default', async () => {
    const server = await serve({ banner: 'test banner' });
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
    const dialogue = await open(server);
    assert.deepEqual(await dialogue.reply(), ['220 localhost ESMTP test banner']);
    assert.equal((dialogue.socket as Socket).remoteAddress, '127.0.0.1');
  });

  it('advertises the extensions it supports in the EHLO reply, STARTTLS but no AUTH without users', async () => {
    const server = await serve();
    const { keywords } = await hello(server);
    for (const keyword of ['PIPELINING', '8BITMIME', 'SMTPUTF8', 'ENHANCEDSTATUSCODES', 'DSN', 'STARTTLS', `SIZE ${DEFAULT_MAX_SIZE}`]) {
      assert.ok(keywords.includes(keyword), `${keyword} in ${keywords.join(', ')}`);
    }
    assert.ok(!keywords.some((keyword) => keyword.startsWith('AUTH')), 'no AUTH');
    assert.ok(!keywords.includes('CHUNKING'), 'smtp-server has no BDAT');
    const auth = await (await hello(server)).dialogue.command('AUTH PLAIN');
    assert.match(auth?.[0] ?? '', /^5\d\d /);
  });

  it('saves a message as .eml byte for byte, dots unstuffed, and reports it', async () => {
    const dir = temporaryDirectory();
    const seen: CapturedMessage[] = [];
    const server = await serve({ dir, tls: 'none', onMessage: (message) => seen.push(message) });
    const { dialogue } = await hello(server);
    assert.deepEqual(await dialogue.command('MAIL FROM:<alice@example.com>'), ['250 2.1.0 Accepted']);
    assert.deepEqual(await dialogue.command('RCPT TO:<bob@example.org>'), ['250 2.1.5 Accepted']);
    assert.deepEqual(await dialogue.command('RCPT TO:<carol@example.org>'), ['250 2.1.5 Accepted']);
    assert.match((await dialogue.command('DATA'))?.[0] ?? '', /^354 /);
    const reply = await dialogue.command('Subject: Figures\r\nFrom: alice@example.com\r\n\r\n..hidden line\r\n...\r\n\r\nlast line\r\n.');
    const message = capturedMessage(server, 1);
    assert.deepEqual(reply, [`250 2.6.0 Ok: queued as ${message.id}`]);

    const expected = 'Subject: Figures\r\nFrom: alice@example.com\r\n\r\n.hidden line\r\n..\r\n\r\nlast line\r\n';
    assert.ok(message.path);
    assert.equal(readFileSync(message.path, 'latin1'), expected);
    assert.deepEqual(readdirSync(dir), [emlFileName(message.receivedAt, message.id)]);
    assert.deepEqual(message.content, { kind: 'memory', raw: Buffer.from(expected, 'latin1') });
    assert.equal(message.from, 'alice@example.com');
    assert.deepEqual(message.to, ['bob@example.org', 'carol@example.org']);
    assert.equal(message.subject, 'Figures');
    assert.equal(message.size, expected.length);
    assert.deepEqual(seen, [message]);
    assert.deepEqual(server.lines, [`alice@example.com → bob@example.org, carol@example.org (${expected.length} bytes) subject "Figures" saved as ${message.path}`]);
    assert.deepEqual(await dialogue.command('QUIT'), ['221 2.0.0 Bye']);
  });

  it('logs a message whose subject and recipient carry bidirectional and C1 controls with them escaped', async () => {
    const server = await serve({ tls: 'none', rejectRcpt: [/^evil/] });
    const { dialogue } = await hello(server);
    assert.deepEqual(await dialogue.command('MAIL FROM:<alice@example.com>'), ['250 2.1.0 Accepted']);
    // The test's dialogue writes latin1: these are the UTF-8 octets of U+202E.
    assert.match((await dialogue.command(`RCPT TO:<evil${Buffer.from('\u202E').toString('latin1')}gro.elpmaxe@example.org>`))?.[0] ?? '', /^550 /);
    assert.deepEqual(await dialogue.command('RCPT TO:<bob@example.org>'), ['250 2.1.5 Accepted']);
    assert.match((await dialogue.command('DATA'))?.[0] ?? '', /^354 /);
    assert.match((await dialogue.command('Subject: =?utf-8?B?' + Buffer.from('invoice \u202Efdp.exe \u009B2J').toString('base64') + '?=\r\n\r\nbody\r\n.'))?.[0] ?? '', /^250 /);
    const message = capturedMessage(server, 1);
    assert.equal(message.subject, 'invoice \u202Efdp.exe \u009B2J', 'the message itself is kept as sent');
    assert.deepEqual(server.lines, [
      'RCPT <evil\\u202egro.elpmaxe@example.org> answered 550 5.1.1 (--reject-rcpt ^evil)',
      `alice@example.com → bob@example.org (${message.size} bytes) subject "invoice \\u202efdp.exe \\u009b2J" kept in memory as ${message.id}`,
    ]);
    for (const line of server.lines) assert.doesNotMatch(line, /[\u202E\u009B]/);
  });

  it('keeps messages in memory only when no directory is given, at most the last few hundred', async () => {
    const server = await serve({ tls: 'none' });
    const { dialogue } = await hello(server);
    const total = MAX_MESSAGES_KEPT + 2;
    for (let n = 1; n <= total; n++) {
      // One pipelined write per transaction (the server advertises PIPELINING).
      dialogue.send(`MAIL FROM:<>\r\nRCPT TO:<n${n}@example.org>\r\nDATA\r\n`);
      for (let reply = 0; reply < 3; reply++) await dialogue.reply();
      assert.match((await dialogue.command(`Subject: ${n}\r\n\r\nbody\r\n.`))?.[0] ?? '', /^250 /);
    }
    assert.equal(server.messages.length, MAX_MESSAGES_KEPT);
    assert.equal(server.messages[0].subject, '3');
    assert.equal(server.messages.at(-1)?.subject, String(total));
    assert.equal(server.messages[0].path, null);
    assert.equal(server.messages[0].from, '');
    assert.match(server.lines[0], /^<> → n1@example\.org \(\d+ bytes\) subject "1" kept in memory as [0-9a-f]+$/);
  });

  it('upgrades with STARTTLS to a certificate the client can verify, then offers AUTH and forgets STARTTLS', async () => {
    const server = await serve({ users: [{ user: 'alice', pass: 'secret' }] });
    assert.ok(server.certificatePem?.startsWith('-----BEGIN CERTIFICATE-----'));
    const { dialogue, keywords } = await hello(server);
    assert.ok(keywords.includes('STARTTLS'));
    const secure = await startTls(server, dialogue);
    const ehlo = await secure.command('EHLO client.example');
    const secureKeywords = (ehlo ?? []).slice(1).map((line) => line.slice(4));
    assert.ok(secureKeywords.includes('AUTH PLAIN LOGIN CRAM-MD5'), secureKeywords.join(', '));
    assert.ok(!secureKeywords.includes('STARTTLS'));
    assert.equal((secure.socket as TLSSocket).getPeerX509Certificate()?.fingerprint256, server.certificateFingerprint256);
  });

  it('accepts AUTH PLAIN with the right password and answers 535 5.7.8 to a wrong one, never logging the password', async () => {
    const server = await serve({ users: [{ user: 'alice', pass: 'correct horse' }] });
    const wrong = await startTls(server, (await hello(server)).dialogue);
    await wrong.command('EHLO client.example');
    assert.deepEqual(await wrong.command(`AUTH PLAIN ${authPlain('alice', 'battery staple')}`), ['535 5.7.8 Error: authentication credentials invalid']);
    assert.deepEqual(await wrong.command(`AUTH PLAIN ${authPlain('mallory', 'correct horse')}`), ['535 5.7.8 Error: authentication credentials invalid']);

    const right = await startTls(server, (await hello(server)).dialogue);
    await right.command('EHLO client.example');
    assert.match((await right.command(`AUTH PLAIN ${authPlain('alice', 'correct horse')}`))?.[0] ?? '', /^235 2\.7\.0 /);
    assert.deepEqual(await right.command('MAIL FROM:<alice@example.com>'), ['250 2.1.0 Accepted']);
    assert.equal(server.lines.length, 2);
    assert.ok(server.lines.every((line) => !line.includes('horse') && !line.includes('battery')), server.lines.join('\n'));
  });

  it('refuses AUTH before STARTTLS with 538, as a submission server does', async () => {
    const server = await serve({ users: [{ user: 'alice', pass: 'secret' }] });
    const { dialogue } = await hello(server);
    assert.deepEqual(await dialogue.command(`AUTH PLAIN ${authPlain('alice', 'secret')}`), ['538 5.7.0 Error: Must issue a STARTTLS command first']);
  });

  it('accepts AUTH LOGIN and CRAM-MD5 (plain text allowed when TLS is off); AUTH stays optional', async () => {
    const server = await serve({ tls: 'none', users: [{ user: 'alice', pass: 'secret' }] });
    const login = (await hello(server)).dialogue;
    assert.deepEqual(await login.command('AUTH LOGIN'), ['334 VXNlcm5hbWU6']);
    assert.deepEqual(await login.command(Buffer.from('alice').toString('base64')), ['334 UGFzc3dvcmQ6']);
    assert.match((await login.command(Buffer.from('secret').toString('base64')))?.[0] ?? '', /^235 /);

    const cram = (await hello(server)).dialogue;
    const challenge = (await cram.command('AUTH CRAM-MD5'))?.[0] ?? '';
    assert.match(challenge, /^334 /);
    const digest = createHmac('md5', 'secret').update(Buffer.from(challenge.slice(4), 'base64')).digest('hex');
    assert.match((await cram.command(Buffer.from(`alice ${digest}`).toString('base64')))?.[0] ?? '', /^235 /);

    const anonymous = (await hello(server)).dialogue;
    assert.deepEqual(await anonymous.command('MAIL FROM:<a@example.com>'), ['250 2.1.0 Accepted']);
  });

  it('answers recipients matching --reject-rcpt with 550 5.1.1 and --tempfail-rcpt with 450 4.2.1', async () => {
    const server = await serve({ tls: 'none', rejectRcpt: [/^nobody@/i], tempfailRcpt: [/@busy\.example$/g] });
    const { dialogue } = await hello(server);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    assert.deepEqual(await dialogue.command('RCPT TO:<Nobody@example.org>'), ['550 5.1.1 <Nobody@example.org>: Recipient address rejected: User unknown']);
    // Twice, so a pattern with the g flag would fail the second time if its state leaked.
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(await dialogue.command('RCPT TO:<bob@busy.example>'), ['450 4.2.1 <bob@busy.example>: Recipient address rejected: Mailbox temporarily unavailable, try again later']);
    }
    assert.deepEqual(await dialogue.command('RCPT TO:<bob@example.org>'), ['250 2.1.5 Accepted']);
    assert.deepEqual(server.lines, [
      'RCPT <Nobody@example.org> answered 550 5.1.1 (--reject-rcpt ^nobody@)',
      'RCPT <bob@busy.example> answered 450 4.2.1 (--tempfail-rcpt @busy\\.example$)',
      'RCPT <bob@busy.example> answered 450 4.2.1 (--tempfail-rcpt @busy\\.example$)',
    ]);
  });

  it('drops the connection without a reply when the disconnect-after verb arrives', async () => {
    const server = await serve({ tls: 'none', disconnectAfter: 'mail' });
    const { dialogue } = await hello(server);
    assert.deepEqual(await dialogue.command('NOOP'), ['250 2.0.0 OK']);
    assert.equal(await dialogue.command('MAIL FROM:<alice@example.com>'), null);
    await dialogue.closed;
    assert.equal(dialogue.pending, '');
    assert.deepEqual(server.lines, ['MAIL <alice@example.com>: connection dropped without a reply (--disconnect-after MAIL)']);
  });

  it('advertises and enforces SIZE: 552 for a MAIL SIZE= over it and for a longer message, nothing kept', async () => {
    const server = await serve({ tls: 'none', size: 100 });
    const { dialogue, keywords } = await hello(server);
    assert.ok(keywords.includes('SIZE 100'));
    assert.match((await dialogue.command('MAIL FROM:<alice@example.com> SIZE=101'))?.[0] ?? '', /^552 /);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    await dialogue.command('RCPT TO:<bob@example.org>');
    await dialogue.command('DATA');
    assert.deepEqual(await dialogue.command(`Subject: big\r\n\r\n${'x'.repeat(200)}\r\n.`), ['552 5.3.4 Error: message exceeds fixed maximum message size 100']);
    assert.equal(server.messages.length, 0);
    assert.match(server.lines[0], /^message from alice@example\.com refused with 552: \d+ bytes, over the limit of 100$/);
    // The session goes on: a message within the limit is accepted.
    await dialogue.command('MAIL FROM:<alice@example.com>');
    await dialogue.command('RCPT TO:<bob@example.org>');
    await dialogue.command('DATA');
    assert.match((await dialogue.command('Subject: small\r\n\r\nok\r\n.'))?.[0] ?? '', /^250 /);
  });

  it('writes a message over 256 KB to its .eml as it arrives and holds none of it in memory', async () => {
    const dir = temporaryDirectory();
    const server = await serve({ tls: 'none', dir });
    const { dialogue } = await hello(server);
    const body = `Subject: large\r\n\r\n${'0123456789abcdef'.repeat(40_000).replace(/.{64}/g, '$&\r\n')}`;
    assert.match((await send(dialogue, body))?.[0] ?? '', /^250 /);
    const message = capturedMessage(server, 1);
    assert.deepEqual(message.content, { kind: 'file', path: message.path, temporary: false });
    assert.equal(readFileSync(message.path!, 'latin1'), body);
    assert.equal(message.subject, 'large');
    assert.equal(message.size, body.length);
  });

  it('without a folder, spools a large message to a file of its own that close() removes', async () => {
    const server = await serve({ tls: 'none' });
    const { dialogue } = await hello(server);
    assert.match((await send(dialogue, `Subject: spooled\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(400)))?.[0] ?? '', /^250 /);
    const { content } = capturedMessage(server, 1);
    assert.equal(content.kind, 'file');
    assert.ok(content.kind === 'file' && content.temporary && existsSync(content.path));
    assert.equal((await readContent(content)).length, capturedMessage(server, 1).size);
    await server.close();
    assert.ok(content.kind === 'file' && !existsSync(content.path), 'the spool file is gone with the server');
  });

  it('refuses with 452 a message that would take the folder past its limit, counting the .eml files already there', async () => {
    const dir = temporaryDirectory();
    writeFileSync(join(dir, 'earlier.eml'), Buffer.alloc(900));
    const server = await serve({ tls: 'none', dir, folderLimit: 1000 });
    const { dialogue } = await hello(server);
    assert.match((await send(dialogue, 'Subject: fits\r\n\r\nok'))?.[0] ?? '', /^250 /);
    assert.deepEqual(await send(dialogue, `Subject: too much\r\n\r\n${'y'.repeat(200)}`), ['452 4.2.2 Error: insufficient system storage: the capture folder is full']);
    assert.equal(server.messages.length, 1);
    assert.equal(readdirSync(dir).length, 2);
    assert.match(server.lines.at(-1) ?? '', /^message from alice@example\.com refused with 452: \d+ bytes would take .* past its limit of 1000 bytes \(it holds 921\); clear the folder or raise the limit$/);
  });

  it('answers 421 to a connection past its limit and keeps serving the others', async () => {
    const server = await serve({ tls: 'none', maxConnections: 2 });
    const first = await open(server);
    const second = await open(server);
    assert.match((await first.reply())?.[0] ?? '', /^220 /);
    assert.match((await second.reply())?.[0] ?? '', /^220 /);
    const third = await open(server);
    assert.match((await third.reply())?.[0] ?? '', /^421 .*Too many connected clients/);
    await third.closed;
    assert.deepEqual(await first.command('NOOP'), ['250 2.0.0 OK']);
  });

  it('greets another client while it reads a message whose subject is 40,000 spaces', async () => {
    const server = await serve({ tls: 'none' });
    const { dialogue } = await hello(server);
    const sent = send(dialogue, `Subject: a${' '.repeat(40_000)}\r\nFrom: a@example.com\r\n\r\nbody`);
    const other = await open(server);
    assert.match((await other.reply())?.[0] ?? '', /^220 /);
    assert.match((await sent)?.[0] ?? '', /^250 /);
    assert.equal(capturedMessage(server, 1).subject, 'a');
  });

  it('speaks TLS from the first byte with tls implicit', async () => {
    const server = await serve({ tls: 'implicit' });
    const socket = connectTls({ host: server.host, port: server.port, servername: 'localhost', ca: server.certificatePem ?? undefined });
    cleanups.push(() => void socket.destroy());
    const dialogue = new Dialogue(socket);
    assert.deepEqual(await dialogue.reply(), ['220 localhost ESMTP smtp-session local capture server']);
    assert.equal(socket.authorized, true);
    const keywords = ((await dialogue.command('EHLO client.example')) ?? []).map((line) => line.slice(4));
    assert.ok(!keywords.includes('STARTTLS'));
  });

  it('offers no STARTTLS and has no certificate with tls none', async () => {
    const server = await serve({ tls: 'none' });
    assert.equal(server.certificatePem, null);
    const { keywords } = await hello(server);
    assert.ok(!keywords.includes('STARTTLS'));
  });

  it('waits delayMs before each reply, the greeting included', async () => {
    const server = await serve({ tls: 'none', delayMs: 150 });
    // Node's timers may fire a millisecond before performance.now() says 150 ms have passed (they count whole
    // milliseconds), so the bound leaves 5 ms; undelayed, these replies take well under 5 ms on loopback.
    const started = performance.now();
    const dialogue = await open(server);
    await dialogue.reply();
    const greeted = performance.now();
    assert.ok(greeted - started >= 145, `greeting after ${greeted - started} ms`);
    await dialogue.command('NOOP');
    const answered = performance.now();
    assert.ok(answered - greeted >= 145, `NOOP reply after ${answered - greeted} ms`);
  });

  it('says clearly what to do when the port is in use', async () => {
    const server = await serve();
    await assert.rejects(startLocalServer({ port: server.port }), (error: unknown) => {
      assert.ok(error instanceof LocalServerError);
      assert.equal(error.message, `port ${server.port} is in use: pass --port 0 for a free one or stop the other server`);
      return true;
    });
  });

  it('answers open sessions 421 on close() and frees the port', async () => {
    const server = await startLocalServer({ port: 0, tls: 'none' });
    cleanups.push(() => server.close());
    const { dialogue } = await hello(server);
    await server.close();
    assert.deepEqual(await dialogue.reply(), ['421 4.4.2 Server shutting down']);
    await dialogue.closed;
    const again = await serve({ port: server.port, tls: 'none' });
    assert.equal(again.port, server.port);
  });
});

describe('makeSelfSignedCertificate', () => {
  it('makes a certificate for localhost, 127.0.0.1 and ::1, valid for a year, signed by its own key', () => {
    const now = new Date('2026-11-23T09:30:00Z');
    const made = makeSelfSignedCertificate({}, now);
    const certificate = new X509Certificate(made.certificatePem);
    assert.equal(certificate.subject, 'CN=localhost');
    assert.equal(certificate.issuer, 'CN=localhost');
    assert.equal(certificate.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    assert.equal(certificate.checkHost('localhost'), 'localhost');
    assert.equal(certificate.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(new Date(certificate.validFrom).getTime(), now.getTime() - 60_000);
    assert.equal(new Date(certificate.validTo).getTime(), now.getTime() + 365 * 24 * 60 * 60 * 1000);
    assert.ok(certificate.verify(certificate.publicKey));
    assert.equal(certificate.fingerprint256, made.fingerprint256);
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.match(made.privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('makes a certificate with only the names asked for', () => {
    const certificate = new X509Certificate(makeSelfSignedCertificate({ commonName: 'mx.example', dnsNames: [], ipAddresses: ['192.0.2.2', '2001:db8::25'] }).certificatePem);
    assert.equal(certificate.subject, 'CN=mx.example');
    assert.equal(certificate.subjectAltName, 'IP Address:192.0.2.2, IP Address:2001:DB8:0:0:0:0:0:25');
    assert.equal(certificate.checkIP('2001:db8::25'), '2001:db8::25');
    assert.equal(certificate.checkHost('localhost'), undefined);
  });

  it('makes a new key and serial number each time', () => {
    const first = new X509Certificate(makeSelfSignedCertificate().certificatePem);
    const second = new X509Certificate(makeSelfSignedCertificate().certificatePem);
    assert.notEqual(first.serialNumber, second.serialNumber);
    assert.notEqual(first.fingerprint256, second.fingerprint256);
  });
});

describe('captured message details', () => {
  it('reads the subject from the header section only, unfolded, with encoded words decoded', async () => {
    assert.equal(await subjectOf(Buffer.from('From: a@example.com\r\nSubject: Quarterly\r\n figures\r\n\r\nSubject: not this')), 'Quarterly figures');
    assert.equal(await subjectOf(Buffer.from('subject: =?UTF-8?B?SGVsbG8g4pyT?= =?iso-8859-1?Q?caf=E9_time?=\n\nbody')), 'Hello ✓café time');
    assert.equal(await subjectOf(Buffer.from('From: a@example.com\r\n\r\nSubject: in the body')), null);
    assert.equal(await subjectOf(Buffer.from(`Subject: a${' '.repeat(80_000)}\r\n\r\n`)), 'a');
  });

  it('names files so that they sort by arrival', () => {
    assert.equal(emlFileName(new Date('2026-11-23T09:30:00.123Z'), 'abc'), '2026-11-23T09-30-00-123Z-abc.eml');
  });

  it('summarises a message on one line, control characters escaped', () => {
    assert.equal(
      summaryLine({ id: 'x', from: 'a@example.com', to: ['b\r\n@example.org'], subject: 'Hi "you"', size: 1, path: '/tmp/m.eml' }),
      'a@example.com → b\\r\\n@example.org (1 byte) subject "Hi \\"you\\"" saved as /tmp/m.eml',
    );
    assert.equal(
      summaryLine({ id: 'x', from: '', to: ['b@example.org'], subject: null, size: 2, path: null }),
      '<> → b@example.org (2 bytes) no subject kept in memory as x',
    );
  });
});
