import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startLocalServer, type CapturedSession, type LocalServerOptions, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { envelopeSection } from '../../../server/src/captureServer/messageEnvelope';
import { MAX_PHASES, SessionFacts } from '../../../server/src/captureServer/sessionFacts';
import { runCli } from '../../../server/src/cli/runCli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIMEOUT = { timeout: 30_000 };
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A session's facts fed as the capture server feeds them: command lines and reply writes, at given milliseconds. */
function played(dialogue: ([at: number, line: string] | [at: number, line: string, 'sasl'])[], implicitTls = false): SessionFacts {
  const facts = new SessionFacts(0, implicitTls, '127.0.0.1:5000');
  for (const [at, line, sasl] of dialogue) {
    if (/^\d{3}[ -]/.test(line)) facts.reply(`${line}\r\n`, at);
    else facts.command(line, sasl === 'sasl');
  }
  return facts;
}

describe('what the inbox knows of a session', () => {
  it('times each phase from the end of the previous reply, RCPTs in a row as one phase, the message from its 354', () => {
    const facts = played([
      [3, '220 localhost ESMTP'], [10, 'EHLO app'], [12, '250 localhost'], [20, 'MAIL FROM:<a@example.com>'], [21, '250 Accepted'],
      [25, 'RCPT TO:<b@example.org>'], [26, '250 Accepted'], [30, 'RCPT TO:<c@example.org>'], [33, '250 Accepted'],
      [34, 'DATA'], [35, '354 End data'], [80, '250 Ok: queued as 0123456789'], [81, 'QUIT'], [82, '221 Bye'],
    ]);
    assert.deepEqual(facts.timing().phases, [
      { name: 'connect', count: 1, ms: 3 }, { name: 'EHLO', count: 1, ms: 9 }, { name: 'MAIL', count: 1, ms: 9 }, { name: 'RCPT', count: 2, ms: 12 },
      { name: 'DATA', count: 1, ms: 2 }, { name: 'message', count: 1, ms: 45 }, { name: 'QUIT', count: 1, ms: 2 },
    ]);
  });

  it('pairs pipelined commands with their replies in order', () => {
    const facts = played([[1, '220 x'], [2, 'MAIL FROM:<a@x>'], [2, 'RCPT TO:<b@x>'], [2, 'DATA'], [5, '250 a'], [6, '250 b'], [7, '354 go']]);
    assert.deepEqual(facts.timing().phases.map((phase) => phase.name), ['connect', 'MAIL', 'RCPT', 'DATA']);
  });

  it('keeps the AUTH mechanism, never what follows it, and one AUTH phase across its 334s', () => {
    const facts = played([[1, '220 x'], [2, 'AUTH PLAIN'], [3, '334 '], [4, 'AGFwcABzZWNyZXQ=', 'sasl'], [9, '235 Authentication successful']]);
    assert.deepEqual(facts.auth, { mechanism: 'PLAIN', username: '', accepted: false });
    assert.deepEqual(facts.timing().phases.at(-1), { name: 'AUTH', count: 1, ms: 8 });
    facts.authenticated('plain', 'app', true);
    assert.deepEqual(facts.auth, { mechanism: 'PLAIN', username: 'app', accepted: true });
    assert.ok(!JSON.stringify(facts).includes('AGFwcABzZWNyZXQ='));
  });

  it('says why a session ended: QUIT with or without a message, refused, closed by the server, TLS failed, aborted', () => {
    const ending = (facts: SessionFacts) => {
      facts.close();
      return facts.ending;
    };
    assert.deepEqual(ending(played([[1, '220 x'], [2, 'EHLO a'], [3, '250 x'], [4, 'QUIT'], [5, '221 Bye']])), { kind: 'quit', text: 'QUIT without DATA' });
    const delivered = played([[1, '220 x'], [4, 'QUIT'], [5, '221 Bye']]);
    delivered.messageAccepted();
    assert.equal(ending(delivered).text, 'QUIT after the message');
    assert.deepEqual(ending(played([[1, '421 4.7.0 Too many connections']])), { kind: 'refused', text: 'refused: 421 4.7.0 Too many connections' });
    assert.deepEqual(ending(played([[1, '220 x'], [2, 'MAIL FROM:<a@x>'], [3, '421 4.7.0 Try later']])), { kind: 'closed-by-server', text: 'closed by the server after MAIL: 421 4.7.0 Try later' });
    const tls = played([[1, '220 x'], [2, 'STARTTLS'], [3, '220 Ready to start TLS']]);
    tls.connectionError('wrong version number');
    assert.deepEqual(ending(tls), { kind: 'tls-failed', text: 'TLS failed: wrong version number' });
    assert.deepEqual(ending(played([[1, '220 x'], [2, 'DATA'], [3, '354 go']])), { kind: 'aborted', text: 'aborted: the connection closed without QUIT in the middle of the message' });
    assert.equal(new SessionFacts(0, false, '').ending.kind, 'open');
  });

  it('keeps at most MAX_PHASES phases, however long the session', () => {
    const facts = new SessionFacts(0, false, '');
    facts.reply('220 x\r\n', 1);
    for (let i = 0; i < MAX_PHASES * 2; i++) {
      facts.command(i % 2 === 0 ? 'NOOP' : 'RSET', false);
      facts.reply('250 Ok\r\n', i + 2);
    }
    assert.equal(facts.timing().phases.length, MAX_PHASES);
    assert.equal(facts.timing().dropped, MAX_PHASES * 2 + 1 - MAX_PHASES);
  });

  it('heads the preview with the envelope and its parameters, TLS, AUTH and timing, escaped', () => {
    const facts = played([[1, '220 x'], [2, 'EHLO a'], [3, '250 x']]);
    facts.tlsEstablished('TLSv1.3', 'TLS_AES_256_GCM_SHA384');
    facts.authenticated('LOGIN', 'app\u202e', true);
    const text = envelopeSection({
      envelope: { mailFrom: { address: 'a@example.com', params: ['SIZE=512', 'BODY=8BITMIME'] }, rcptTo: [{ address: 'b@example.org', params: ['NOTIFY=SUCCESS,FAILURE'] }, { address: 'c\r\nInjected: yes@example.org', params: [] }] },
      facts,
      sentBy: { uri: 'file:///w/app.smtp', line: 17 },
    });
    assert.match(text, /^ {2}MAIL FROM: <a@example\.com> SIZE=512 BODY=8BITMIME$/m);
    assert.match(text, /^ {2}RCPT TO: {3}<b@example\.org> NOTIFY=SUCCESS,FAILURE$/m);
    assert.match(text, /^ {13}<c\\r\\nInjected: yes@example\.org>$/m);
    assert.match(text, /^ {2}TLS: {7}TLSv1\.3, TLS_AES_256_GCM_SHA384$/m);
    assert.match(text, /^ {2}AUTH: {6}LOGIN as "app\\u202e"$/m);
    assert.match(text, /^ {2}Timing: {4}connect 1 ms · EHLO 2 ms$/m);
    assert.match(text, /^ {2}Sent by: {3}file:\/\/\/w\/app\.smtp, line 17$/m);
    assert.doesNotMatch(text, /^Injected/m);
  });
});

async function serve(options: LocalServerOptions): Promise<RunningLocalServer & { nextSession(): Promise<CapturedSession> }> {
  const waiting: ((session: CapturedSession) => void)[] = [];
  const arrived: CapturedSession[] = [];
  const server = await startLocalServer({ port: 0, ...options, onSession: (session) => (waiting.length > 0 ? waiting.shift()!(session) : arrived.push(session)) });
  cleanups.push(() => server.close());
  return Object.assign(server, { nextSession: () => (arrived.length > 0 ? Promise.resolve(arrived.shift()!) : new Promise<CapturedSession>((resolve) => waiting.push(resolve))) });
}

/** A raw client: sends each line once the reply before it has come, then closes (without QUIT unless it is a line). */
async function converse(port: number, lines: string[]): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let received = '';
  let sent = 0;
  await new Promise<void>((resolve) => {
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!/(^|\n)\d{3} [^\n]*\r\n$/.test(received)) return;
      if (sent === lines.length) return resolve();
      socket.write(`${lines[sent++]}\r\n`);
    });
    socket.on('close', () => resolve());
  });
  socket.destroy();
  return received;
}

describe('the capture server\'s sessions, for the inbox', () => {
  it('knows the TLS, AUTH user and envelope parameters of a delivery over STARTTLS', TIMEOUT, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-session-facts-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serve({ dir: null, users: [{ user: 'app', pass: 'pw-facts' }] });
    const path = join(dir, 'app.smtp');
    writeFileSync(path, [
      `@server = 127.0.0.1:${server.port}`, '@tls-verify = false', 'S: 220', 'C: EHLO app.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO app.example', 'S: 250',
      'C: AUTH PLAIN {{$authPlain app {{$secret APP_PASSWORD}}}}', 'S: 235', 'C: MAIL FROM:<app@example.com> SIZE=20 BODY=8BITMIME', 'S: 250',
      'C: RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE', 'S: 250', 'C: DATA', 'S: 354', 'Subject: Facts', '', 'Hi.', '.', 'S: 250', 'C: QUIT', 'S: 221', '',
    ].join('\n'));
    const out: string[] = [];
    process.env.SMTP_SECRET_APP_PASSWORD = 'pw-facts';
    cleanups.push(() => void delete process.env.SMTP_SECRET_APP_PASSWORD);
    const status = await runCli(['run', path], { stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
    assert.equal(status, 0, out.join('\n'));
    const session = await server.nextSession();
    const [message] = server.messages;
    assert.deepEqual(message.envelope, { mailFrom: { address: 'app@example.com', params: ['SIZE=20', 'BODY=8BITMIME'] }, rcptTo: [{ address: 'bob@example.org', params: ['NOTIFY=SUCCESS,FAILURE'] }] });
    assert.equal(message.facts, session.facts);
    assert.match(session.facts.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.notEqual(session.facts.tls?.cipher ?? 'unknown', 'unknown');
    assert.deepEqual(session.facts.auth, { mechanism: 'PLAIN', username: 'app', accepted: true });
    assert.deepEqual(session.facts.ending, { kind: 'quit', text: 'QUIT after the message' });
    assert.deepEqual(session.facts.timing().phases.map((phase) => phase.name), ['connect', 'EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'message', 'QUIT']);
    assert.ok(!JSON.stringify(session.facts).includes('pw-facts'));
  });

  it('marks the session whose message was refused because the capture folder was full', TIMEOUT, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smtp-session-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serve({ dir, tls: 'none', folderLimit: 8 });
    const received = await converse(server.port, ['EHLO app.example', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.org>', 'DATA', 'Subject: too big for the folder\r\n\r\nHello.\r\n.', 'QUIT']);
    assert.match(received, /\r\n452 /);
    const session = await server.nextSession();
    assert.equal(session.facts.folderFull, true);
    assert.deepEqual(session.messageIds, []);
    assert.deepEqual(session.facts.ending, { kind: 'quit', text: 'QUIT, no message accepted (the capture folder is full)' });
  });

  it('records why sessions without a message ended: QUIT without DATA, aborted, TLS failed', TIMEOUT, async () => {
    const server = await serve({ dir: null });
    await converse(server.port, ['EHLO app.example', 'QUIT']);
    assert.deepEqual((await server.nextSession()).facts.ending, { kind: 'quit', text: 'QUIT without DATA' });
    await converse(server.port, ['EHLO app.example', 'MAIL FROM:<a@example.com>']);
    assert.deepEqual((await server.nextSession()).facts.ending, { kind: 'aborted', text: 'aborted: the connection closed without QUIT after MAIL' });
    // A client that asks for TLS and then speaks plain text: the handshake fails.
    await converse(server.port, ['EHLO app.example', 'STARTTLS', 'EHLO not-tls.example']);
    const failed = (await server.nextSession()).facts.ending;
    assert.equal(failed.kind, 'tls-failed', failed.text);
    assert.match(failed.text, /^TLS failed/);
  });
});
