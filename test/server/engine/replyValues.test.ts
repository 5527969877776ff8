// Values taken from replies ({{$reply /REGEX/}}, {{$reply}}, {{$reply.code}})
// and the SASL responses that need the server's challenge ($cramMd5) or an
// OAuth token ($xoauth2), played against the embedded server (smtp-server,
// which checks CRAM-MD5 itself) and scripted servers that show the exact bytes.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { playSession, type PlayOptions, type SessionResult } from '../../../server/src/engine/playSession';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer, type ScriptedConnection } from './scriptedServer';
import { readContent } from '../../../server/src/captureServer/messageSpool';

const PASSWORD = 'cram-secret-4410';
const TOKEN = 'ya29.oauth-token-7782';
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

const secrets: PlayOptions['secrets'] = {
  secret: async (name) => ({ PASS: PASSWORD, TOKEN })[name] ?? Promise.reject(new Error(`no secret ${name}`)),
  prompt: async () => 'unused',
};

async function local(): Promise<RunningLocalServer> {
  const server = await startLocalServer({ port: 0, tls: 'none', users: [{ user: 'alice', pass: PASSWORD }] });
  closers.push(() => server.close());
  return server;
}

async function scripted(script: (connection: ScriptedConnection) => Promise<void>) {
  const server = await startScriptedServer(script);
  closers.push(() => server.close());
  return server;
}

async function play(port: number, lines: string[]): Promise<SessionResult> {
  const file = parseTranscript(lines.join('\n'));
  assert.deepEqual(file.problems.filter((p) => p.severity === 'error'), [], 'the test transcript itself must parse cleanly');
  return playSession(file, file.sessions[0], { filePath: 'test.smtp', server: `127.0.0.1:${port}`, secrets, timeoutSeconds: 5 });
}

const everythingShown = (result: SessionResult) => JSON.stringify(result);

describe('values from replies', () => {
  it('captures the queue id the server gave and uses it in the next transaction\'s header (embedded server)', async () => {
    const server = await local();
    const result = await play(server.port, [
      'S: 220', 'C: EHLO client.test', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', 'Subject: first', '', 'one', '.',
      'S: 250',
      '@qid = {{$reply /queued as (\\S+)/}}',
      '@code = {{$reply.code}}',
      'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', 'Subject: second', 'X-Previous: {{qid}} ({{code}})', '', 'two', '.', 'S: 250',
      'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    const [first, second] = server.messages;
    assert.match((await readContent(second.content)).toString(), new RegExp(`^X-Previous: ${first.id} \\(250\\)\\r$`, 'm'));
    assert.deepEqual(result.captures, [{ line: 15, name: 'qid', value: first.id }, { line: 16, name: 'code', value: '250' }]);
  });

  it('a pattern that finds nothing is an unmet expectation on the capture line, with the reply shown, and the session stops there', async () => {
    const server = await scripted(async (connection) => {
      await greetAndEhlo(connection);
      await connection.line();
      connection.send('250 2.1.0 Sender ok\r\n');
      await connection.line();
      connection.send('221 bye\r\n');
    });
    const result = await play(server.port, [
      'S: 220', 'C: EHLO client.test', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'S: 250',
      '@qid = {{$reply /queued as (\\S+)/}}',
      'C: VRFY {{qid}}', 'S: 252',
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.error, null);
    const mail = result.steps.find((step) => step.sent?.startsWith('MAIL'))!;
    assert.deepEqual([mail.ok, mail.expectedLine], [false, 6]);
    assert.equal(mail.mismatch, 'line 6: /queued as (\\S+)/ found nothing in the reply "250 2.1.0 Sender ok".');
    assert.equal(result.steps.find((step) => step.line === 7)?.skipped, true, 'the VRFY that needed the value is not sent');
    assert.deepEqual(result.captures, []);
  });

  it('searches every line of a multi-line reply, gives the whole match without a group, and {{$reply}} is the whole reply', async () => {
    const received: string[] = [];
    const server = await scripted(async (connection) => {
      connection.send('220 mx.test ESMTP\r\n');
      await connection.line();
      connection.send('250-mx.test\r\n250-SIZE 35882577\r\n250 PIPELINING\r\n');
      for (;;) {
        const line = await connection.line();
        received.push(line);
        if (line === 'QUIT') return void connection.send('221 bye\r\n');
        connection.send('250 ok\r\n');
      }
    });
    const result = await play(server.port, [
      'S: 220', 'C: EHLO client.test', 'S: 250',
      '@size = {{$reply /SIZE (\\d+)/}}', '@keyword = {{$reply /pipe\\w+/i}}',
      'C: NOOP {{size}} {{keyword}} {{$reply.code}}', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    assert.equal(received[0], 'NOOP 35882577 PIPELINING 250');
  });

  it('refuses a value used before the reply it is captured from has arrived', async () => {
    const server = await scripted(async (connection) => {
      connection.send('220 mx.test\r\n');
      await connection.line();
      connection.send('221 bye\r\n');
    });
    const file = parseTranscript(['S: 220', 'C: NOOP {{id}}', 'S: 250', '@id = {{$reply /(\\d+)/}}'].join('\n'));
    const result = await playSession(file, file.sessions[0], { filePath: 'test.smtp', server: `127.0.0.1:${server.port}`, secrets, timeoutSeconds: 5 });
    assert.match(result.error?.message ?? '', /^line 2: \{\{id\}\} is captured from a reply on line 4, and the run has not got there: .* Move the use below line 4\.$/);
  });
});

describe('$cramMd5 and $xoauth2', () => {
  const cram = (user: string) => [
    'S: 220', 'C: EHLO client.test', 'S: 250',
    'C: AUTH CRAM-MD5', 'S: 334',
    `C: {{$cramMd5 ${user} {{$secret PASS}}}}`, 'S: 235',
    'C: QUIT', 'S: 221',
  ];

  it('answers the embedded server\'s CRAM-MD5 challenge: accepted for the right password, and never shows it', async () => {
    const server = await local();
    const result = await play(server.port, cram('alice'));
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    const response = result.steps.find((step) => step.kind === 'sasl')!;
    assert.equal(response.sent, '***');
    assert.ok(!everythingShown(result).includes(PASSWORD));
  });

  it('is refused (535) for a user the server does not know, and says so on the 235 line', async () => {
    const server = await local();
    const result = await play(server.port, cram('mallory'));
    assert.equal(result.ok, false);
    const response = result.steps.find((step) => step.kind === 'sasl')!;
    assert.equal(response.reply?.code, 535);
    assert.match(response.mismatch ?? '', /expected 235, got 535/);
  });

  it('sends the RFC 2195 response to the challenge exactly: base64 of "user " and the hex HMAC-MD5 keyed with the password', async () => {
    const challenge = '<1896.697170952@postoffice.example.net>';
    let response = '';
    const server = await scripted(async (connection) => {
      await greetAndEhlo(connection, ['AUTH CRAM-MD5']);
      await connection.line();
      connection.send(`334 ${Buffer.from(challenge).toString('base64')}\r\n`);
      response = await connection.line();
      connection.send('235 2.7.0 ok\r\n');
      await connection.line();
      connection.send('221 bye\r\n');
    });
    const result = await play(server.port, cram('tim'));
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    const digest = createHmac('md5', PASSWORD).update(challenge).digest('hex');
    assert.equal(Buffer.from(response, 'base64').toString(), `tim ${digest}`);
  });

  it('refuses $cramMd5 where no 334 challenge precedes it, naming the line', async () => {
    const server = await local();
    const result = await play(server.port, ['S: 220', 'C: EHLO client.test', 'S: 250', 'C: AUTH CRAM-MD5 {{$cramMd5 alice {{$secret PASS}}}}', 'S: 235']);
    assert.match(result.error?.message ?? '', /^line 4: \{\{\$cramMd5 alice \{\{\$secret PASS\}\}\}\} answers the server's CRAM-MD5 challenge, but the reply just before it is "250", not a 334 challenge/);
  });

  it('sends the XOAUTH2 initial response byte for byte, and shows neither it nor the token', async () => {
    let command = '';
    const server = await scripted(async (connection) => {
      await greetAndEhlo(connection, ['AUTH XOAUTH2']);
      command = await connection.line();
      connection.send('235 2.7.0 ok\r\n');
      await connection.line();
      connection.send('221 bye\r\n');
    });
    const result = await play(server.port, ['S: 220', 'C: EHLO client.test', 'S: 250', 'C: AUTH XOAUTH2 {{$xoauth2 someone@example.com {{$secret TOKEN}}}}', 'S: 235', 'C: QUIT', 'S: 221']);
    assert.equal(result.ok, true, JSON.stringify(result, null, 2));
    const [verb, mechanism, initial] = command.split(' ');
    assert.deepEqual([verb, mechanism], ['AUTH', 'XOAUTH2']);
    assert.deepEqual(Buffer.from(initial, 'base64'), Buffer.from(`user=someone@example.com\x01auth=Bearer ${TOKEN}\x01\x01`));
    assert.equal(result.steps.find((step) => step.sent?.startsWith('AUTH'))?.sent, 'AUTH XOAUTH2 ***');
    assert.ok(!everythingShown(result).includes(TOKEN) && !everythingShown(result).includes(initial));
  });
});
