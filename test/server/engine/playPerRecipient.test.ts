import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playSession, type SessionResult } from '../../../server/src/engine/playSession';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { lmtpScript as lmtpServer, RFC_2033_EXAMPLE as RFC_2033 } from './scriptedLmtpServer';
import { startScriptedServer, type ScriptedConnection, type ScriptedServer, noSecrets } from './scriptedServer';

// LMTP (RFC 2033) and PRDR answer the end of a message once per accepted recipient: the
// engine reads those replies, checks each against the transcript's, and says whose it is.

const servers: ScriptedServer[] = [];
const folder = mkdtempSync(join(tmpdir(), 'smtp-session-lmtp-'));
after(async () => {
  for (const server of servers) await server.close();
  rmSync(folder, { recursive: true, force: true });
});

async function serve(script: (connection: ScriptedConnection) => Promise<void>, socketPath?: string): Promise<ScriptedServer> {
  const server = await startScriptedServer(script, socketPath);
  servers.push(server);
  return server;
}

async function run(transcript: string[], server: string): Promise<SessionResult> {
  const file = parseTranscript(transcript.join('\n'));
  return playSession(file, file.sessions[0], { filePath: '/tmp/test.smtp', server, secrets: noSecrets, timeoutSeconds: 5 });
}

const TIMEOUT = { timeout: 15_000 };

describe('playSession: LMTP, one reply per accepted recipient after the message (RFC 2033 §4.2)', () => {
  it('reads the reply for each accepted recipient, checks it against the transcript\'s and says whose it is', TIMEOUT, async () => {
    const server = await serve(lmtpServer(['jones@foo.edu'], (address) => (address === 'green@foo.edu' ? '452 4.2.2 <green@foo.edu> is temporarily over quota' : '250 2.0.0 OK delivered')));
    const result = await run(RFC_2033, `127.0.0.1:${server.port}`);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.ok, true);
    const afterData = result.steps.filter((step) => step.kind === 'data');
    assert.deepEqual(afterData.map((step) => [step.line, step.reply?.code, step.ok, step.recipient ?? null]), [
      [16, 250, true, '<pat@foo.edu>'],
      [18, 452, true, '<green@foo.edu>'],
    ]);
    assert.equal(result.steps.at(-1)?.reply?.code, 221);
  });

  it('counts the recipients the server accepted, not the ones the transcript expected, so no reply is waited for in vain', TIMEOUT, async () => {
    const server = await serve(lmtpServer(['pat@foo.edu', 'green@foo.edu'], () => '250 2.0.0 OK'));
    const result = await run(['C: LHLO foo.edu', 'C: MAIL FROM:<chris@bar.com>', 'C: RCPT TO:<pat@foo.edu>', 'C: RCPT TO:<jones@foo.edu>', 'C: RCPT TO:<green@foo.edu>', 'C: DATA', 'x', '.', 'C: QUIT'], `127.0.0.1:${server.port}`);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.deepEqual(result.steps.filter((step) => step.kind === 'data').map((step) => step.reply?.code), [250]);
    assert.equal(result.steps.at(-1)?.reply?.code, 221);
  });

  it('marks a recipient\'s reply that is not the transcript\'s as unmet, on its S: line', TIMEOUT, async () => {
    const server = await serve(lmtpServer(['jones@foo.edu'], (address) => (address === 'green@foo.edu' ? '550 5.2.2 mailbox full' : '250 2.0.0 OK')));
    const result = await run(RFC_2033, `127.0.0.1:${server.port}`);
    assert.equal(result.ok, false);
    const green = result.steps.find((step) => step.recipient === '<green@foo.edu>')!;
    assert.deepEqual([green.line, green.reply?.code, green.ok], [18, 550, false]);
  });

  it('connects to an LMTP server on a Unix socket (@server = unix:/path)', TIMEOUT, async () => {
    const path = join(folder, 'lmtp.sock');
    await serve(lmtpServer(['jones@foo.edu'], (address) => (address === 'green@foo.edu' ? '452 4.2.2 over quota' : '250 2.0.0 OK')), path);
    const file = parseTranscript([`@server = unix:${path}`, ...RFC_2033].join('\n'));
    const result = await playSession(file, file.sessions[0], { filePath: '/tmp/test.smtp', secrets: noSecrets, timeoutSeconds: 5 });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.server, `unix:${path}`);
    assert.equal(result.ok, true);
  });

  it('says there is no socket when the path names none', TIMEOUT, async () => {
    const result = await run(['C: LHLO a'], `unix:${join(folder, 'missing.sock')}`);
    assert.match(result.error?.message ?? '', /^Could not connect to the Unix socket .*missing\.sock: there is no socket at that path/);
  });
});

describe('playSession: PRDR, a 353, per-recipient replies and one for the message', () => {
  it('reads them all when the server answers 353, and each meets its expectation', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('220 mx.example.org ESMTP\r\n');
      await c.line();
      c.send('250-mx.example.org\r\n250 PRDR\r\n');
      await c.line();
      c.send('250 OK\r\n');
      await c.line();
      c.send('250 Accepted\r\n');
      await c.line();
      c.send('250 Accepted\r\n');
      await c.line();
      c.send('354 Enter message\r\n');
      await c.body();
      c.send('353 PRDR content analysis beginning\r\n250 2.0.0 ok for b\r\n550 5.7.1 refused for c\r\n250 OK id=1tQa\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const result = await run([
      'S: 220 mx.example.org ESMTP', 'C: EHLO a.example', 'S: 250-mx.example.org', 'S: 250 PRDR',
      'C: MAIL FROM:<a@x.example> PRDR', 'S: 250 OK', 'C: RCPT TO:<b@x.example>', 'S: 250 Accepted', 'C: RCPT TO:<c@x.example>', 'S: 250 Accepted',
      'C: DATA', 'S: 354 Enter message', 'Subject: x', '.', 'S: 353 PRDR content analysis beginning', 'S: 250 2.0.0 ok for b', 'S: 550 5.7.1 refused for c', 'S: 250 OK',
      'C: QUIT', 'S: 221 bye',
    ], `127.0.0.1:${server.port}`);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.filter((step) => step.kind === 'data').map((step) => [step.line, step.reply?.code, step.recipient ?? null]), [
      [14, 353, null], [16, 250, '<b@x.example>'], [17, 550, '<c@x.example>'], [18, 250, null],
    ]);
  });
});
