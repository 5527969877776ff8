import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';
import { startLocalServer, type CapturedSession, type LocalServerOptions, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { parseRules } from '../../../server/src/captureServer/rules/parseRules';

const TIMEOUT = { timeout: 30_000 };
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-session-transcript-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A capture server whose sessions are handed over as they close. */
async function serve(options: LocalServerOptions): Promise<RunningLocalServer & { nextSession(): Promise<CapturedSession> }> {
  const waiting: ((session: CapturedSession) => void)[] = [];
  const arrived: CapturedSession[] = [];
  const server = await startLocalServer({
    port: 0,
    ...options,
    onSession: (session) => (waiting.length > 0 ? waiting.shift()!(session) : arrived.push(session)),
  });
  cleanups.push(() => server.close());
  return Object.assign(server, {
    nextSession: () => (arrived.length > 0 ? Promise.resolve(arrived.shift()!) : new Promise<CapturedSession>((resolve) => waiting.push(resolve))),
  });
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
  return { status, output: out.join('\n') };
}

/** The application: a .smtp file played by `run` against the server. */
async function application(server: RunningLocalServer, dir: string, lines: string[]): Promise<void> {
  const path = join(dir, 'application.smtp');
  writeFileSync(path, [`@server = 127.0.0.1:${server.port}`, '@tls-verify = false', ...lines, ''].join('\n'));
  const played = await cli('run', path);
  assert.equal(played.status, 0, played.output);
}

const DELIVERY = [
  'S: 220', 'C: EHLO app.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO app.example', 'S: 250',
  'C: AUTH PLAIN {{$authPlain app {{$secret APP_PASSWORD}}}}', 'S: 235',
  'C: MAIL FROM:<app@example.com>', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250', 'C: RCPT TO:<gone@bounce.example>', 'S: 550',
  'C: DATA', 'S: 354', 'Subject: Welcome', '', '..a line that starts with a dot', 'C: C: a line that starts with C:', '.', 'S: 250', 'C: QUIT', 'S: 221',
];

describe('inbound transcripts of the capture server', () => {
  it('records a delivery over STARTTLS and AUTH as a .smtp next to its .eml: no credential, checks clean, replays green', TIMEOUT, async () => {
    const dir = folder();
    const server = await serve({ dir, users: [{ user: 'app', pass: 's3cret-pass' }], rejectRcpt: [/@bounce\.example$/] });
    process.env.SMTP_SECRET_APP_PASSWORD = 's3cret-pass';
    try {
      await application(server, folder(), DELIVERY);
      const session = await server.nextSession();
      assert.ok(session.path !== null && session.path.startsWith(dir) && session.path.endsWith('.smtp'), String(session.path));
      assert.equal(session.text, null);
      assert.equal(server.messages[0].transcriptPath, session.path);
      assert.deepEqual(session.messageIds, [server.messages[0].id]);
      const text = readFileSync(session.path, 'utf8');
      assert.match(text, /^### \d{4}-\d\d-\d\dT[\d:.]+Z 127\.0\.0\.1:\d+\n/);
      assert.match(text, new RegExp(`\n@server = 127\\.0\\.0\\.1:${server.port}\n`));
      assert.ok(!text.includes('s3cret') && !text.includes(Buffer.from('\0app\0s3cret-pass').toString('base64')), text);
      assert.match(text, /\n# the credentials are not copied; a replay sends the secrets SMTP_USER and SMTP_PASSWORD\.\nC: AUTH PLAIN \{\{\$authPlain \{\{\$secret SMTP_USER\}\} \{\{\$secret SMTP_PASSWORD\}\}\}\}\nS: 235 /);
      assert.match(text, /\nC: RCPT TO:<gone@bounce\.example>\nS: 550 5\.1\.1 /);
      assert.match(text, /\nC: DATA\nS: 354 [^\n]*\nSubject: Welcome\n\n\.\.a line that starts with a dot\nC: C: a line that starts with C:\n\.\nS: 250 2\.6\.0 Ok: queued as /);
      assert.match(text, /\nC: QUIT\nS: 221 2\.0\.0 Bye\n$/);

      const checked = await cli('check', session.path);
      assert.equal(checked.status, 0, checked.output);
      process.env.SMTP_SECRET_SMTP_USER = 'app';
      process.env.SMTP_SECRET_SMTP_PASSWORD = 's3cret-pass';
      const replayed = await cli('run', session.path);
      assert.equal(replayed.status, 0, replayed.output);
      const again = await server.nextSession();
      assert.equal(readContentOf(server, 1), readContentOf(server, 0), 'the replay delivered the same message');
      assert.ok(again.path !== session.path);
    } finally {
      for (const name of ['SMTP_SECRET_APP_PASSWORD', 'SMTP_SECRET_SMTP_USER', 'SMTP_SECRET_SMTP_PASSWORD']) delete process.env[name];
    }
  });

  it('records a large message as {{$file}} of its .eml, which the replay sends again', TIMEOUT, async () => {
    const dir = folder();
    const server = await serve({ dir, tls: 'none' });
    const app = folder();
    writeFileSync(join(app, 'big.txt'), `Subject: big\r\n\r\n${'x'.repeat(998)}\r\n`.repeat(400));
    await application(server, app, ['S: 220', 'C: EHLO app.example', 'S: 250', 'C: MAIL FROM:<>', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250', 'C: DATA', 'S: 354', '{{$file big.txt}}', '.', 'S: 250', 'C: QUIT', 'S: 221']);
    const session = await server.nextSession();
    const text = readFileSync(session.path!, 'utf8');
    const eml = server.messages[0].path!.slice(dir.length + 1);
    assert.match(text, new RegExp(`\nS: 354 [^\n]*\n\\{\\{\\$file ${eml.replace(/[.-]/g, '\\$&')}\\}\\}\n\\.\nS: 250 `));
    assert.equal((await cli('check', session.path!)).status, 0);
    const replayed = await cli('run', session.path!);
    assert.equal(replayed.status, 0, replayed.output);
    assert.equal(server.messages[1].size, server.messages[0].size);
  });

  it('records sessions that never reached DATA, in memory when the server has no folder', TIMEOUT, async () => {
    const server = await serve({ dir: null, tls: 'none' });
    const socket = connect(server.port, '127.0.0.1');
    socket.setEncoding('latin1');
    let received = '';
    // The application pipelines its commands after the greeting, then goes away without QUIT.
    await new Promise<void>((resolve) => socket.on('data', (chunk: string) => {
      if (received === '') socket.write('EHLO app.example\r\nMAIL FROM:<app@example.com>\r\nRCPT TO:<bob@example.org>\r\n');
      received += chunk;
      if (received.includes('2.1.5')) resolve();
    }));
    socket.destroy();
    const session = await server.nextSession();
    assert.equal(session.path, null);
    assert.deepEqual(session.messageIds, []);
    assert.equal(server.sessions.at(-1), session);
    const text = session.text!;
    assert.match(text, /\nS: 220 localhost ESMTP [^\n]*\nC: EHLO app\.example\nS: 250-localhost[^\n]*\n(?:S: 250-[^\n]*\n)*S: 250 [^\n]*\nC: MAIL FROM:<app@example\.com>\nS: 250 2\.1\.0 Accepted\nC: RCPT TO:<bob@example\.org>\nS: 250 2\.1\.5 Accepted\n$/);
    const dir = folder();
    writeFileSync(join(dir, 'aborted.smtp'), text);
    const checked = await cli('check', join(dir, 'aborted.smtp'));
    assert.equal(checked.status, 0, checked.output);
  });
});

// swaks is a real SMTP client no one here wrote (scripts/interop/install.sh installs it, with the Perl TLS
// modules its STARTTLS needs: libnet-ssleay-perl and libio-socket-ssl-perl). `swaks --support` says whether TLS works.
const swaks = spawnSync('swaks', ['--version']).status === 0;
const swaksTls = swaks && /TLS supported/.test(spawnSync('swaks', ['--support'], { encoding: 'utf8' }).stdout ?? '');
const skipWithoutSwaks = { ...TIMEOUT, skip: !swaks ? 'swaks is not installed' : !swaksTls ? 'swaks has no TLS (install libnet-ssleay-perl and libio-socket-ssl-perl)' : false };

/** The capture server's rules for the swaks sessions: a bouncing domain and a refused sender. */
const SWAKS_RULES = parseRules(`{
  "rules": [
    { "name": "bouncing domain", "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.1 <{address}>: Recipient address rejected: User unknown" },
    { "name": "refused sender", "on": "MAIL", "address": "refused@*", "reply": "421 4.7.0 Too many connections from you, closing" },
  ],
}`, 'rules.json');

function runSwaks(server: RunningLocalServer, ...more: string[]): Promise<string> {
  const args = ['--server', '127.0.0.1', '--port', String(server.port), '--tls', '--pipeline', '--auth', 'PLAIN', '--auth-user', 'app', '--auth-password', 'pw-from-swaks', ...more];
  return new Promise<string>((resolve) => execFile('swaks', args, (_error, stdout, stderr) => resolve(stdout + stderr)));
}

/** `run` of a recording, with the secrets its AUTH line names. */
async function replay(path: string): Promise<{ status: number; output: string }> {
  process.env.SMTP_SECRET_SMTP_USER = 'app';
  process.env.SMTP_SECRET_SMTP_PASSWORD = 'pw-from-swaks';
  try {
    return await cli('run', path);
  } finally {
    delete process.env.SMTP_SECRET_SMTP_USER;
    delete process.env.SMTP_SECRET_SMTP_PASSWORD;
  }
}

describe('inbound transcripts with swaks as the application', () => {
  it('records swaks with STARTTLS, pipelining, AUTH PLAIN and two recipients (one refused by a rule): checks clean, replays green', skipWithoutSwaks, async () => {
    const dir = folder();
    const server = await serve({ dir, users: [{ user: 'app', pass: 'pw-from-swaks' }], rules: SWAKS_RULES });
    const sent = await runSwaks(server, '--from', 'app@example.com', '--to', 'bob@example.org,gone@bounce.example', '--header', 'Subject: swaks');
    assert.match(sent, /\n=== TLS started with cipher /, sent);
    assert.match(sent, /\n<~  250 2\.6\.0 Ok: queued as [0-9a-f]{10}\n/, sent);
    const session = await server.nextSession();
    const text = readFileSync(session.path!, 'utf8');
    assert.match(text, /\nC: STARTTLS\nS: 220 [^\n]*\nC: EHLO [^\n]*\nS: 250-localhost[^\n]*\n(?:S: 250-[^\n]*\n)*/);
    assert.match(text, /\nS: 250-PIPELINING\n/);
    assert.ok(!text.includes('pw-from-swaks') && !text.includes(Buffer.from('\0app\0pw-from-swaks').toString('base64')), text);
    assert.match(text, /\nC: AUTH PLAIN \{\{\$authPlain \{\{\$secret SMTP_USER\}\} \{\{\$secret SMTP_PASSWORD\}\}\}\}\nS: 235 /);
    assert.match(text, /\nC: RCPT TO:<gone@bounce\.example>\nS: 550 5\.1\.1 <gone@bounce\.example>: Recipient address rejected: User unknown\nC: DATA\nS: 354 [^\n]*\nDate: [^\n]*\n(?:[^\n]*\n)*X-Mailer: swaks[^\n]*\n\nThis is a test mailing\n/);
    assert.match(text, /\n\.\nS: 250 2\.6\.0 Ok: queued as [0-9a-f]{10}\n/);
    const checked = await cli('check', session.path!);
    assert.equal(checked.status, 0, checked.output);
    const replayed = await replay(session.path!);
    assert.equal(replayed.status, 0, replayed.output);
    assert.equal(readContentOf(server, 1), readContentOf(server, 0), 'the replay delivered what swaks sent');
    assert.deepEqual(server.messages.map((message) => message.to), [['bob@example.org'], ['bob@example.org']]);
  });

  it('records the session a rule refused with 421 at MAIL: checks clean, replays green', skipWithoutSwaks, async () => {
    const dir = folder();
    const server = await serve({ dir, users: [{ user: 'app', pass: 'pw-from-swaks' }], rules: SWAKS_RULES });
    const sent = await runSwaks(server, '--from', 'refused@example.com', '--to', 'bob@example.org');
    assert.match(sent, /421 4\.7\.0 Too many connections from you, closing/, sent);
    const session = await server.nextSession();
    assert.deepEqual(session.messageIds, []);
    const text = readFileSync(session.path!, 'utf8');
    assert.match(text, /\nC: MAIL FROM:<refused@example\.com>\nS: 421 4\.7\.0 Too many connections from you, closing\n/);
    const checked = await cli('check', session.path!);
    assert.equal(checked.status, 0, checked.output);
    const replayed = await replay(session.path!);
    assert.equal(replayed.status, 0, replayed.output);
    assert.equal(server.messages.length, 0);
  });
});

function readContentOf(server: RunningLocalServer, index: number): string {
  const content = server.messages[index].content;
  return content.kind === 'memory' ? content.raw.toString('latin1') : readFileSync(content.path, 'latin1');
}
