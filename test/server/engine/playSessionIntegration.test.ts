// The engine against real servers: the embedded capture server (smtp-server)
// in-process for whole dialogues, and scripted raw servers for what
// smtp-server cannot do or should never do (BDAT, byte-exact capture, slow or
// odd servers). Issue 4, "Tests".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect as connectTcp } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playSession, type PlayOptions, type SessionEvent, type SessionResult } from '../../../server/src/engine/playSession';
import { startLocalServer, type LocalServerOptions, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer, type ScriptedConnection, type ScriptedServer } from './scriptedServer';

const PASSWORD = 'correct-horse-battery-staple';
const PROMPTED = 'prompted-pin-8462';
const LITERAL_CREDENTIAL = Buffer.from('\0bob\0written-in-the-file').toString('base64');

const closers: (() => Promise<void>)[] = [];
let folder: string;
before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-integration-'));
});
after(async () => {
  for (const close of closers) await close();
  rmSync(folder, { recursive: true, force: true });
});

async function local(options: LocalServerOptions = {}): Promise<RunningLocalServer> {
  const server = await startLocalServer({ port: 0, ...options });
  closers.push(() => server.close());
  return server;
}

async function scripted(script: (connection: ScriptedConnection) => Promise<void>): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  closers.push(() => server.close());
  return server;
}

const secrets: PlayOptions['secrets'] = {
  secret: async (name) => {
    if (name === 'PASS') return PASSWORD;
    throw new Error(`no secret ${name}`);
  },
  prompt: async () => PROMPTED,
};

interface Run {
  result: SessionResult;
  events: SessionEvent[];
}

async function play(port: number, lines: string[], options: Partial<PlayOptions> = {}): Promise<Run> {
  const file = parseTranscript(lines.join('\n'));
  assert.deepEqual(file.problems.filter((p) => p.severity === 'error'), [], 'the test transcript itself must parse cleanly');
  const events: SessionEvent[] = [];
  const result = await playSession(file, file.sessions[0], {
    filePath: join(folder, 'test.smtp'), server: `127.0.0.1:${port}`, secrets, timeoutSeconds: 5, onEvent: (event) => events.push(event), ...options,
  });
  return { result, events };
}

/** Every CR is followed by LF and every LF preceded by CR: the wire never carries a lone one. */
function assertOnlyCrlf(bytes: Buffer): void {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d) assert.equal(bytes[i + 1], 0x0a, `lone CR at offset ${i}: ${JSON.stringify(bytes.subarray(Math.max(0, i - 20), i + 20).toString('latin1'))}`);
    if (bytes[i] === 0x0a) assert.equal(bytes[i - 1], 0x0d, `lone LF at offset ${i}: ${JSON.stringify(bytes.subarray(Math.max(0, i - 20), i + 20).toString('latin1'))}`);
  }
}

function assertNoSecrets(text: string, label: string): void {
  const forms = [
    PASSWORD, Buffer.from(PASSWORD).toString('base64'),
    PROMPTED, Buffer.from(PROMPTED).toString('base64'),
    Buffer.from(`\0alice\0${PASSWORD}`).toString('base64'),
  ];
  for (const form of forms) assert.ok(!text.includes(form), `${label} shows a secret (${form.slice(0, 4)}…): ${text}`);
}

const TIMEOUT = { timeout: 20_000 };
const OPENING = ['S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250'];
const MESSAGE = ['C: MAIL FROM:<alice@example.com>', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250', 'C: DATA', 'S: 354'];

describe('playSession against the embedded server', () => {
  it('STARTTLS (verified) + AUTH PLAIN with {{$authPlain {{user}} {{$secret PASS}}}} delivers the message', TIMEOUT, async () => {
    const server = await local({ users: [{ user: 'alice', pass: PASSWORD }] });
    const { result, events } = await play(server.port, [
      '@user = alice', ...OPENING,
      'C: AUTH PLAIN {{$authPlain {{user}} {{$secret PASS}}}}', 'S: 235',
      ...MESSAGE, 'Subject: via PLAIN', '', 'Hello.', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ], { trustedCertificates: [server.certificatePem!] });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    assert.equal(result.tls?.verified, true);
    assert.equal(result.tls?.fingerprint256, server.certificateFingerprint256);
    assert.equal(result.steps.find((s) => s.line === 9)?.sent, 'AUTH PLAIN ***');
    assert.equal(server.messages.length, 1);
    assert.deepEqual(server.messages[0].content, { kind: 'memory', raw: Buffer.from('Subject: via PLAIN\r\n\r\nHello.\r\n') });
    assert.deepEqual(server.messages[0].to, ['bob@example.org']);
    assertNoSecrets(JSON.stringify(result), 'the result');
    assertNoSecrets(JSON.stringify(events), 'the events');
  });

  it('STARTTLS + AUTH LOGIN: each SASL response is sent, shown as ***, and the wrong password is refused', TIMEOUT, async () => {
    const server = await local({ users: [{ user: 'alice', pass: PASSWORD }] });
    const login = (password: string, outcome: string) => [
      '@user = alice', ...OPENING,
      'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: {{$base64 {{user}}}}', 'S: 334 UGFzc3dvcmQ6', `C: {{$base64 ${password}}}`, `S: ${outcome}`,
      ...MESSAGE, 'Subject: via LOGIN', '', 'Hi.', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ];
    const good = await play(server.port, login('{{$secret PASS}}', '235'), { trustedCertificates: [server.certificatePem!] });
    assert.equal(good.result.ok, true, JSON.stringify(good.result));
    assert.deepEqual(good.result.steps.filter((s) => s.kind === 'sasl').map((s) => [s.sent, s.reply?.code]), [['***', 334], ['***', 235]]);
    assert.equal(server.messages.at(-1)?.subject, 'via LOGIN');
    assert.ok(good.result.steps.some((s) => s.sent === 'MAIL FROM:<alice@example.com>'), 'the user name answered to "Username:" is no secret: the sender stays readable');
    assertNoSecrets(JSON.stringify(good), 'the result');

    const bad = await play(server.port, login('{{$prompt Password}}', '235'), { trustedCertificates: [server.certificatePem!] });
    assert.equal(bad.result.ok, false);
    assert.match(bad.result.steps.find((s) => s.kind === 'sasl' && s.reply?.code !== 334)?.mismatch ?? '', /expected 235, got 535/);
    assert.equal(server.messages.length, 1, 'no message after a refused login (the session stops at the mismatch)');
    assertNoSecrets(JSON.stringify(bad), 'the result');
  });

  it('@tls = implicit against a server speaking TLS from the first byte', TIMEOUT, async () => {
    const server = await local({ tls: 'implicit' });
    const { result, events } = await play(server.port, [
      '@tls = implicit', 'S: 220', 'C: EHLO client.example', 'S: 250', ...MESSAGE, 'Subject: implicit', '', 'x', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ], { trustedCertificates: [server.certificatePem!] });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.tls?.verified, true);
    assert.match(result.tls?.protocol ?? '', /^TLSv1\.[23]$/);
    assert.deepEqual(events.find((e) => e.type === 'connected'), { type: 'connected', server: `127.0.0.1:${server.port}`, tls: result.tls });
    assert.equal(server.messages.at(-1)?.subject, 'implicit');
  });

  it('@on-mismatch = continue plays on after an unmet expectation; the result still fails', TIMEOUT, async () => {
    const server = await local({ tls: 'none', rejectRcpt: [/^nobody@/] });
    const { result } = await play(server.port, [
      '@on-mismatch = continue', 'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: MAIL FROM:<alice@example.com>', 'S: 250', 'C: RCPT TO:<nobody@example.org>', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250',
      'C: DATA', 'S: 354', 'Subject: continued', '', 'x', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.ok, false);
    assert.equal(result.error, null);
    assert.deepEqual(result.steps.map((s) => [s.line, s.ok, s.skipped]), [
      [2, true, false], [3, true, false], [5, true, false], [7, false, false], [9, true, false], [11, true, false], [16, true, false], [18, true, false],
    ]);
    assert.deepEqual(server.messages.at(-1)?.to, ['bob@example.org']);
  });

  it('@strict compares the reply text, with {{variables}} in S: lines standing for their values', TIMEOUT, async () => {
    const server = await local({ tls: 'none', banner: 'strict.example ready' });
    const strict = (greeting: string) => play(server.port, ['@strict = true', '@banner = strict.example ready', `S: ${greeting}`, 'C: QUIT', 'S: 221 2.0.0 Bye']);
    const { result } = await strict('220 localhost ESMTP {{banner}}');
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    const wrong = await strict('220 localhost ESMTP other {{banner}}');
    assert.equal(wrong.result.steps[0].ok, false);
    assert.match(wrong.result.steps[0].mismatch ?? '', /^@strict: expected the text "localhost ESMTP other strict\.example ready", got "localhost ESMTP strict\.example ready"$/);
  });

  it('sends a pipelined group in one write and pairs the replies in order, a rejected recipient included', TIMEOUT, async () => {
    const server = await local({ tls: 'none', rejectRcpt: [/^nobody@/] });
    const { result } = await play(server.port, [
      'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: MAIL FROM:<alice@example.com>', 'C: RCPT TO:<nobody@example.org>', 'C: RCPT TO:<bob@example.org>', 'C: DATA',
      'S: 250', 'S: 550 5.1.1', 'S: 250', 'S: 354', 'Subject: pipelined', '', 'x', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.ok, true, JSON.stringify(result.steps));
    assert.deepEqual(result.steps.slice(2, 6).map((s) => s.reply?.code), [250, 550, 250, 354]);
    assert.deepEqual(server.messages.at(-1)?.to, ['bob@example.org']);
  });
});

describe('exact bytes on the wire (scripted servers)', () => {
  it('BDAT: each chunk follows its command directly, and the size sent is the size after substitution', TIMEOUT, async () => {
    const chunks: string[] = [];
    const server = await scripted(async (c) => {
      await greetAndEhlo(c, ['CHUNKING', '8BITMIME']);
      for (;;) {
        const line = await c.line();
        if (line === 'QUIT') return void c.send('221 bye\r\n');
        const bdat = /^BDAT (\d+)( LAST)?$/.exec(line);
        if (bdat) chunks.push((await c.bytes(Number(bdat[1]))).toString('utf8'));
        c.send('250 ok\r\n');
      }
    });
    const { result } = await play(server.port, [
      '@word = hi', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
      // 19 octets as written ("Subject: {{word}}" + CRLF), 13 as sent.
      'C: BDAT 19', 'Subject: {{word}}', 'S: 250',
      'C: BDAT 8', '', 'héllo', 'S: 250',
      'C: BDAT 5 LAST', 'hello', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.ok, true, JSON.stringify(result));
    const wire = server.connections[0].received().toString('utf8');
    assert.equal(wire.slice(wire.indexOf('BDAT')), 'BDAT 13\r\nSubject: hi\r\nBDAT 8\r\n\r\nhéllo' + 'BDAT 5 LAST\r\nhelloQUIT\r\n');
    assert.deepEqual(chunks, ['Subject: hi\r\n', '\r\nhéllo', 'hello']);
    assert.equal(result.steps.find((s) => s.line === 9)?.sent, 'BDAT 13 <chunk: 13 octets>');
  });

  it('{{$file}} bodies: LF, CRLF and CR endings all arrive as CRLF, leading dots doubled, relative to the .smtp file', TIMEOUT, async () => {
    mkdirSync(join(folder, 'bodies'), { recursive: true });
    writeFileSync(join(folder, 'bodies', 'lf.txt'), 'Subject: lf\n\n.dot first\nline\n');
    writeFileSync(join(folder, 'bodies', 'crlf.txt'), 'a\r\n.b\r\n\r\n');
    writeFileSync(join(folder, 'bodies', 'cr.txt'), 'x\r.y\r.\rz');
    let body: Buffer = Buffer.alloc(0);
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      await c.line();
      c.send('354 go\r\n');
      body = await c.body();
      c.send('250 queued\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const { result } = await play(server.port, [
      'C: EHLO client.example', 'C: DATA', 'S: 354', 'X-Before: 1', '{{$file bodies/lf.txt}}', 'C: {{$file bodies/crlf.txt}}', '{{$file bodies/cr.txt}}', '..after', '.', 'S: 250', 'C: QUIT',
    ]);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(body.toString('latin1'), 'X-Before: 1\r\nSubject: lf\r\n\r\n..dot first\r\nline\r\na\r\n..b\r\n\r\nx\r\n..y\r\n..\r\nz\r\n..after\r\n');
    assertOnlyCrlf(server.connections[0].received());
  });

  it('refuses a body line whose variable holds a bare LF before DATA is sent, even late in a long body', TIMEOUT, async () => {
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      for (;;) {
        const line = await c.line();
        c.send(line === 'QUIT' ? '221 bye\r\n' : line === 'DATA' ? '354 go\r\n' : '250 ok\r\n');
      }
    });
    const filler = Array.from({ length: 600 }, (_, i) => `filler line ${i}`);
    const { result } = await play(server.port, [
      'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: DATA', 'S: 354', ...filler, 'X-Evil: {{$env EVIL}}', '.', 'S: 250',
    ], { env: { EVIL: 'a\nRCPT TO:<victim@example.org>' } });
    assert.match(result.error?.message ?? '', /line 607: .*line feed \(LF\)/);
    const received = server.connections[0].received();
    await server.connections[0].closed;
    assert.ok(!received.includes('filler'), 'nothing of the refused body may leave the engine');
    assert.ok(!received.includes('DATA'), 'the refusal comes before DATA, so the connection stays usable for QUIT');
    assert.ok(received.toString().endsWith('QUIT\r\n'), received.toString());
    assertOnlyCrlf(received);
  });

  it('with @allow-raw = true, sends the bare LF as written and says so in the result', TIMEOUT, async () => {
    let body: Buffer = Buffer.alloc(0);
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      await c.line();
      c.send('354 go\r\n');
      body = await c.body();
      c.send('250 queued\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const { result } = await play(server.port, ['@allow-raw = true', 'C: EHLO client.example', 'C: DATA', 'S: 354', 'X-Probe: {{$env RAW}}', '.', 'S: 250', 'C: QUIT'], { env: { RAW: 'a\nb' } });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(body.toString('latin1'), 'X-Probe: a\nb\r\n');
    assert.ok(result.warnings.some((w) => /allow-raw/.test(w)), JSON.stringify(result.warnings));
    assert.ok(result.warnings.some((w) => /line 5: .*lone LF/.test(w)), JSON.stringify(result.warnings));
  });

  it('a command whose variable holds CRLF never reaches the server', TIMEOUT, async () => {
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      for (;;) {
        const line = await c.line();
        c.send(line === 'QUIT' ? '221 bye\r\n' : '250 ok\r\n');
      }
    });
    const { result } = await play(server.port, ['C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<{{$env FROM}}>', 'S: 250'], { env: { FROM: 'a@example.com>\r\nRCPT TO:<victim@example.org' } });
    assert.match(result.error?.message ?? '', /line 3: after substituting \{\{\$env FROM\}\}/);
    await server.connections[0].closed;
    const received = server.connections[0].received().toString();
    assert.equal(received, 'EHLO client.example\r\nQUIT\r\n');
  });
});

describe('STARTTLS that fails', () => {
  it('a handshake that fails ends the session with a TLS error, and nothing is sent in plain text after it', TIMEOUT, async () => {
    let afterStarttls: Buffer = Buffer.alloc(0);
    const server = await scripted(async (c) => {
      await greetAndEhlo(c, ['STARTTLS']);
      await c.line();
      c.send('220 2.0.0 go ahead\r\n');
      const from = c.received().length;
      await c.bytes(5); // the start of the client's TLS record
      c.send('this is not TLS\r\n');
      await c.closed;
      afterStarttls = c.received().subarray(from);
    });
    const { result } = await play(server.port, ['C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250']);
    assert.match(result.error?.message ?? '', /^TLS with 127\.0\.0\.1 failed: /);
    await server.connections[0].closed;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(afterStarttls[0], 0x16, 'a TLS handshake record came first');
    assert.ok(!afterStarttls.includes('QUIT'), 'no plain-text QUIT on a connection that was half way into TLS');
  });
});

describe('secrets are never shown', () => {
  it('$secret, $prompt, $authPlain and AUTH LOGIN responses: not in the result, the events, the replies or the mismatches', TIMEOUT, async () => {
    // A hostile server that echoes every credential it gets back in its replies.
    const server = await scripted(async (c) => {
      await greetAndEhlo(c, ['AUTH PLAIN LOGIN']);
      for (;;) {
        const line = await c.line();
        if (line === 'QUIT') return void c.send('221 bye\r\n');
        if (line === 'AUTH LOGIN') c.send('334 VXNlcm5hbWU6\r\n');
        else if (line === Buffer.from('alice').toString('base64')) c.send('334 UGFzc3dvcmQ6\r\n');
        else c.send(`535-5.7.8 you sent ${line}\r\n535 5.7.8 decoded ${Buffer.from(line.replace(/^AUTH PLAIN /, ''), 'base64').toString('latin1')}\r\n`);
      }
    });
    const { result, events } = await play(server.port, [
      '@on-mismatch = continue', '@user = alice', 'C: EHLO client.example', 'S: 250',
      'C: AUTH PLAIN {{$authPlain {{user}} {{$secret PASS}}}}', 'S: 235',
      'C: AUTH LOGIN', 'S: 334', 'C: {{$base64 {{user}}}}', 'S: 334', 'C: {{$base64 {{$prompt Password}}}}', 'S: 235',
      'C: NOOP {{$secret PASS}}', 'S: 250',
      // Credentials written out in the file are no known secret, but an AUTH initial response is hidden whatever it is made of,
      // also when one variable holds the mechanism and the response together.
      `C: AUTH PLAIN ${LITERAL_CREDENTIAL}`, 'S: 235', `@both = PLAIN ${LITERAL_CREDENTIAL}`, 'C: AUTH {{both}}', 'S: 235',
      'C: QUIT', 'S: 221',
    ], { record: true });
    assert.ok(events.length > 10);
    assertNoSecrets(JSON.stringify(result.recording), 'the recording');
    assert.deepEqual(result.steps.filter((s) => s.sent?.startsWith('AUTH PLAIN')).map((s) => s.sent), ['AUTH PLAIN ***', 'AUTH PLAIN ***', 'AUTH PLAIN ***']);
    for (const shown of [JSON.stringify(result), JSON.stringify(events)]) {
      assert.ok(!shown.includes(LITERAL_CREDENTIAL) && !shown.includes('written-in-the-file'), `a credential sent is hidden even when the server echoes it: ${shown}`);
    }
    assert.equal(result.steps.filter((s) => s.reply?.code === 535).length, 5, JSON.stringify(result.steps));
    assert.ok(result.steps.some((s) => s.reply?.lines.some((l) => l.includes('***'))));
    assertNoSecrets(JSON.stringify(result), 'the result');
    assertNoSecrets(JSON.stringify(events), 'the events');
  });
});

describe('slow, odd and stuck servers', () => {
  it('a server that sends one byte a second: the reply timeout is for the whole reply, so the session ends in bounded time', TIMEOUT, async () => {
    const server = await scripted(async (c) => {
      const greeting = Buffer.from('220 very slow greeting\r\n');
      for (let i = 0; i < greeting.length && !c.socket.destroyed; i++) {
        c.send(greeting.subarray(i, i + 1));
        await new Promise((resolve) => setTimeout(resolve, 1000)); // the server's pace, not a guess about the client
      }
    });
    const started = performance.now();
    const { result } = await play(server.port, ['S: 220', 'C: QUIT', 'S: 221'], { timeoutSeconds: 2.5 });
    const elapsed = performance.now() - started;
    assert.match(result.error?.message ?? '', /No reply to the connection \(the greeting\) within 2\.5 s .*Received so far: 1 line/);
    assert.ok(elapsed < 7_000, `took ${elapsed} ms`);
    await server.connections[0].closed;
  });

  it('a server that stops reading in the middle of a message: the data-block timeout ends the session', TIMEOUT, async () => {
    const big = join(folder, 'big.txt');
    writeFileSync(big, Buffer.alloc(16 * 1024 * 1024, 'All work and no play makes a dull message.\n'));
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      await c.line();
      c.send('354 go\r\n');
      c.socket.pause(); // never reads the body: the client's writes back up
    });
    const started = performance.now();
    const { result } = await play(server.port, ['C: EHLO client.example', 'C: DATA', 'S: 354', `{{$file big.txt}}`, '.', 'S: 250'], { timeoutSeconds: 1 });
    const elapsed = performance.now() - started;
    assert.match(result.error?.message ?? '', /did not take the data sent to it within 1 s/);
    assert.ok(elapsed < 8_000, `took ${elapsed} ms`);
    // Reading again, the server finds the end of a connection the client has given up on.
    server.connections[0].socket.resume();
    await server.connections[0].closed;
  });

  it('a server that ends reply lines with a bare LF: the session works and the result says so', TIMEOUT, async () => {
    const server = await scripted(async (c) => {
      c.send('220 lf.example\n');
      await c.line();
      c.send('250-lf.example\n250 8BITMIME\n');
      await c.line();
      c.send('221 bye\n');
    });
    const { result } = await play(server.port, ['S: 220', 'C: EHLO client.example', 'S: 250', 'C: QUIT', 'S: 221']);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.steps[1].reply?.lines, ['250-lf.example', '250 8BITMIME']);
    assert.ok(result.warnings.some((w) => /bare LF/.test(w)), JSON.stringify(result.warnings));
  });
});

describe('cancellation', () => {
  const activeTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

  it('aborting while a reply is awaited ends the session at once, says "cancelled", sends QUIT and leaves no timer behind', TIMEOUT, async () => {
    const controller = new AbortController();
    let quitReceived = false;
    const server = await scripted(async (c) => {
      await greetAndEhlo(c);
      await c.line(); // MAIL: never answered; the client is cancelled instead
      controller.abort();
      const next = await c.line();
      quitReceived = next === 'QUIT';
      c.send('221 bye\r\n');
    });
    const timersBefore = activeTimers();
    const started = performance.now();
    // No timeoutSeconds: the RFC 5321 five-minute wait applies, so only cancellation can end this quickly.
    const { result } = await play(server.port, ['C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: QUIT', 'S: 221'], { timeoutSeconds: null, signal: controller.signal });
    const elapsed = performance.now() - started;
    assert.equal(result.error?.message, 'The session was cancelled.');
    assert.equal(result.ok, false);
    assert.ok(elapsed < 3_000, `took ${elapsed} ms`);
    await server.connections[0].closed;
    assert.equal(quitReceived, true);
    assert.equal(activeTimers(), timersBefore, 'a cancelled read must not leave its five-minute timer running (it would keep the CLI alive)');
  });

  it('aborting during an implicit TLS handshake closes the connection at once', TIMEOUT, async () => {
    const controller = new AbortController();
    const server = await scripted(async () => {
      controller.abort(); // connected, and the server will never answer the TLS ClientHello
    });
    const started = performance.now();
    const { result } = await play(server.port, ['@tls = implicit', 'S: 220'], { timeoutSeconds: null, signal: controller.signal });
    assert.equal(result.error?.message, 'The session was cancelled.');
    await server.connections[0].closed;
    assert.ok(performance.now() - started < 3_000, 'the half-open TLS connection must be closed, not left to the 30 s connect timeout');
  });

  it('an already aborted signal connects to nothing', TIMEOUT, async () => {
    let probeSeen!: () => void;
    const seen = new Promise<void>((resolve) => {
      probeSeen = resolve;
    });
    const server = await scripted(async (c) => {
      if ((await c.line()) === 'probe') probeSeen();
    });
    const { result } = await play(server.port, ['S: 220'], { signal: AbortSignal.abort() });
    assert.equal(result.error?.message, 'The session was cancelled.');
    // A probe: connections are accepted in order, so by the time the server reads the probe it would have accepted the engine's.
    const probe = connectTcp(server.port, '127.0.0.1');
    closers.push(async () => void probe.destroy());
    probe.write('probe\r\n');
    await seen;
    assert.equal(server.connections.length, 1, 'only the probe connected');
  });
});
