import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { playSession, type PlayOptions, type SessionResult } from '../../../server/src/engine/playSession';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer, type ScriptedConnection, type ScriptedServer, noSecrets } from './scriptedServer';

const servers: ScriptedServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function serve(script: (connection: ScriptedConnection) => Promise<void>): Promise<ScriptedServer> {
  const server = await startScriptedServer(script);
  servers.push(server);
  return server;
}

async function run(server: ScriptedServer, transcript: string[], options: Partial<PlayOptions> = {}): Promise<SessionResult> {
  const file = parseTranscript(transcript.join('\n'));
  return playSession(file, file.sessions[0], { filePath: '/tmp/test.smtp', server: `127.0.0.1:${server.port}`, secrets: noSecrets, timeoutSeconds: 5, ...options });
}

const TIMEOUT = { timeout: 15_000 };

describe('playSession against a well-behaved server', () => {
  it('plays a whole transaction, checks each reply and sends the body byte for byte', TIMEOUT, async () => {
    let body: Buffer = Buffer.alloc(0);
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['8BITMIME']);
      await c.line();
      c.send('250 2.1.0 Ok\r\n');
      await c.line();
      c.send('250 2.1.5 Ok\r\n');
      await c.line();
      c.send('354 go ahead\r\n');
      body = await c.body();
      c.send('250 2.0.0 queued\r\n');
      await c.line();
      c.send('221 2.0.0 bye\r\n');
    });
    const result = await run(server, [
      'S: 220 test.example ESMTP', 'C: EHLO client.example', 'S: 250-test.example', 'S: 250 8BITMIME',
      'C: MAIL FROM:<a@example.com>', 'S: 250 2.1.0 Ok', 'C: RCPT TO:<b@example.org>', 'S: 250 2.1.5',
      'C: DATA', 'S: 354', 'Subject: hi', '', '..leading dot', 'C: prefixed line', '.', 'S: 250 2.0.0', 'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.map((s) => [s.line, s.kind, s.reply?.code, s.ok]), [
      [1, 'greeting', 220, true], [2, 'command', 250, true], [5, 'command', 250, true], [7, 'command', 250, true],
      [9, 'command', 354, true], [15, 'data', 250, true], [17, 'command', 221, true],
    ]);
    assert.equal(body.toString('latin1'), 'Subject: hi\r\n\r\n..leading dot\r\nprefixed line\r\n');
    const received = server.connections[0].received().toString('latin1');
    assert.ok(received.startsWith('EHLO client.example\r\nMAIL FROM:<a@example.com>\r\n'), received);
    assert.ok(received.endsWith('.\r\nQUIT\r\n'), received);
  });

  it('sends a body written plainly byte for byte, from a file with LF or CRLF line endings', TIMEOUT, async () => {
    for (const ending of ['\n', '\r\n']) {
      let body: Buffer = Buffer.alloc(0);
      const server = await serve(async (c) => {
        await greetAndEhlo(c);
        await c.line();
        c.send('354 go ahead\r\n');
        body = await c.body();
        c.send('250 2.0.0 queued\r\n');
        await c.line();
        c.send('221 2.0.0 bye\r\n');
      });
      const transcript = ['S: 220', 'C: EHLO client.example', 'S: 250 test.example', 'C: DATA', 'S: 354', 'Subject: plain', '', '..a dot', 'caf\u00e9 ', '.', 'S: 250', 'C: QUIT', 'S: 221'];
      const file = parseTranscript(transcript.join(ending));
      const result = await playSession(file, file.sessions[0], { filePath: '/tmp/test.smtp', server: `127.0.0.1:${server.port}`, secrets: noSecrets, timeoutSeconds: 5 });
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal(body.toString('utf8'), 'Subject: plain\r\n\r\n..a dot\r\ncaf\u00e9 \r\n');
      assert.equal(result.steps.find((step) => step.kind === 'data')?.sent, '<message: 4 lines, 35 octets>');
    }
  });

  it('stops at the first unmet expectation, skips the rest and ends with QUIT', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c);
      await c.line();
      c.send('550 5.1.1 no such user\r\n');
      const quit = await c.line();
      c.send(quit === 'QUIT' ? '221 bye\r\n' : '500 what\r\n');
    });
    const result = await run(server, ['C: EHLO a.example', 'C: RCPT TO:<x@example.org>', 'S: 250', 'C: DATA', 'S: 354', 'body', '.']);
    assert.equal(result.ok, false);
    assert.equal(result.error, null);
    const rcpt = result.steps.find((s) => s.line === 2)!;
    assert.equal(rcpt.ok, false);
    assert.match(rcpt.mismatch ?? '', /^expected 250, got 550 5\.1\.1 no such user$/);
    assert.equal(result.steps.find((s) => s.line === 4)?.skipped, true);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(server.connections[0].received().toString().endsWith('QUIT\r\n'));
  });

  it('matches x wildcards and enhanced codes', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('220 hi\r\n');
      await c.line();
      c.send('252 2.5.0 cannot verify\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const result = await run(server, ['S: 2xx', 'C: VRFY bob', 'S: 25x 2.5.x', 'C: QUIT', 'S: 221']);
    assert.equal(result.ok, true, JSON.stringify(result.steps));
  });

  it('sends a pipelined group in one go when PIPELINING was advertised (RFC 2920)', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['PIPELINING']);
      // Answer nothing until all three commands are in: a client that waited for each reply would time out here.
      await c.linesArrived(3);
      await c.line();
      await c.line();
      await c.line();
      c.send('250 ok\r\n250 ok\r\n554 no valid recipients\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const result = await run(server, ['C: EHLO a.example', 'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 250', 'S: 250', 'S: 554', 'C: QUIT', 'S: 221'], { timeoutSeconds: 3 });
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.ok, true);
    assert.deepEqual(result.steps.filter((s) => s.kind === 'command').map((s) => s.reply?.code), [250, 250, 250, 554, 221]);
  });

  it('sends no QUIT into a message body: a pipelined DATA answered 354 after an unmet expectation leaves the server reading text', TIMEOUT, async () => {
    // Seen against Exim (test/interop): MAIL got "250 OK" where "250 2.1.0" was expected, DATA in the same group got 354.
    let afterData = '';
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['PIPELINING']);
      await c.linesArrived(3);
      await c.line();
      await c.line();
      await c.line();
      c.send('250 OK\r\n250 Accepted\r\n354 Enter message\r\n');
      const before = c.received().length;
      await c.closed;
      afterData = c.received().subarray(before).toString('latin1');
    });
    const result = await run(server, [
      'C: EHLO a.example', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 250 2.1.0', 'S: 250', 'S: 354', 'Subject: x', '.', 'S: 250',
    ], { timeoutSeconds: 3 });
    assert.equal(result.ok, false);
    assert.equal(result.steps.find((step) => step.line === 3)?.ok, false);
    await server.connections[0].closed;
    assert.equal(afterData, '', 'after the 354 the server reads everything as message text: the client must close, not send QUIT');
  });
});

describe('playSession against hostile or broken servers', () => {
  it('ends the session when bytes follow the 220 to STARTTLS (response injection)', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['STARTTLS']);
      await c.line();
      c.send('220 2.0.0 ready\r\n250-injected\r\n250 AUTH PLAIN\r\n');
    });
    const result = await run(server, ['C: EHLO a.example', 'C: STARTTLS', 'S: 220', 'C: EHLO a.example']);
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /injection/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!server.connections[0].received().toString().includes('QUIT'), 'nothing may be sent on a connection an attacker has touched');
  });

  it('reports a protocol error when the code changes within a multi-line reply', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('220 hi\r\n');
      await c.line();
      c.send('250-first\r\n251 second\r\n');
    });
    const result = await run(server, ['C: EHLO a.example']);
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /code/i);
  });

  it('bounds an endless multi-line reply', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('220 hi\r\n');
      await c.line();
      const line = Buffer.from(`250-${'x'.repeat(200)}\r\n`);
      for (let i = 0; i < 2000 && !c.socket.destroyed; i++) c.send(line);
    });
    const result = await run(server, ['C: EHLO a.example']);
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /limit|too (long|large)|exceed/i);
  });

  it('bounds a single 1 MiB reply line', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send(`220 ${'y'.repeat(1024 * 1024)}`);
    });
    const result = await run(server, ['S: 220']);
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /limit|too (long|large)|exceed/i);
  });

  it('rejects a reply line without a code', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('hello there\r\n');
    });
    const result = await run(server, ['S: 220']);
    assert.equal(result.ok, false);
    assert.ok(result.error);
  });

  it('times out when no greeting comes, within the configured timeout', TIMEOUT, async () => {
    const server = await serve(async () => undefined);
    const started = Date.now();
    const result = await run(server, ['S: 220', 'C: QUIT'], { timeoutSeconds: 0.3 });
    assert.match(result.error?.message ?? '', /No reply to the connection \(the greeting\) within 0\.3 s/);
    assert.ok(Date.now() - started < 5_000);
  });

  it('stops at a 421 and does not send anything more', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c);
      await c.line();
      c.send('421 4.3.2 shutting down\r\n');
      c.socket.end();
    });
    const result = await run(server, ['C: EHLO a.example', 'C: MAIL FROM:<a@example.com>', 'S: 421', 'C: RCPT TO:<b@example.org>']);
    assert.equal(result.steps.find((s) => s.line === 2)?.ok, true);
    assert.equal(result.steps.find((s) => s.line === 4)?.skipped, true);
    assert.equal(result.ok, false);
  });

  it('reports a disconnect in the middle of a reply', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      c.send('220 hi\r\n');
      await c.line();
      c.send('250-half a reply\r\n');
      c.socket.destroy();
    });
    const result = await run(server, ['C: EHLO a.example']);
    assert.match(result.error?.message ?? '', /closed the connection in the middle of a reply/);
  });

  it('refuses a command whose variable holds a line break, before sending anything of it', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c);
      await c.line().catch(() => undefined);
    });
    const result = await run(server, ['C: EHLO a.example', 'C: MAIL FROM:<{{$env EVIL}}>'], { env: { EVIL: 'a@example.com>\r\nRCPT TO:<victim@example.org' } });
    assert.match(result.error?.message ?? '', /line 2/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(!server.connections[0].received().toString().includes('victim'), 'the injected command must never reach the server');
  });

  it('never shows a secret: not in sent lines, replies, mismatches or errors', TIMEOUT, async () => {
    const secret = 'hunter2-very-secret';
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['AUTH PLAIN LOGIN']);
      await c.line();
      c.send('334 VXNlcm5hbWU6\r\n');
      await c.line();
      c.send('334 UGFzc3dvcmQ6\r\n');
      await c.line();
      c.send(`535 5.7.8 bad password ${secret}\r\n`);
      await c.line();
      c.send('221 bye\r\n');
    });
    const result = await run(server, ['C: EHLO a.example', 'C: AUTH LOGIN', 'S: 334', 'C: {{$base64 alice}}', 'S: 334', 'C: {{$secret PASS}}', 'S: 235'], {
      secrets: { secret: async () => secret, prompt: async () => secret },
    });
    const everything = JSON.stringify(result);
    assert.ok(!everything.includes(secret), everything);
    assert.ok(!everything.includes(Buffer.from(secret).toString('base64')), everything);
    assert.equal(result.ok, false);
  });
});

describe('playSession: what earlier steps leave for later ones', () => {
  it('a DATA answered with 554 in one transaction keeps its body back; the next transaction, answered 354, sends its own', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c, []);
      await c.line();
      c.send('554 5.3.0 no\r\n');
      await c.line();
      c.send('354 go ahead\r\n');
      await c.body();
      c.send('250 2.0.0 queued\r\n');
      await c.line();
      c.send('221 bye\r\n');
    });
    const result = await run(server, [
      '@on-mismatch = continue',
      'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: DATA', 'S: 354', 'first', '.', 'S: 250',
      'C: DATA', 'S: 354', 'second', '.', 'S: 250',
      'C: QUIT', 'S: 221',
    ]);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.deepEqual(result.steps.map((s) => [s.line, s.reply?.code ?? null, s.skipped, s.mismatch]), [
      [2, 220, false, null],
      [3, 250, false, null],
      [5, 554, false, 'expected 354, got 554 5.3.0 no'],
      [8, null, true, 'not sent: the server answered DATA with 554, so it does not expect a message'],
      [10, 354, false, null],
      [13, 250, false, null],
      [15, 221, false, null],
    ]);
    assert.doesNotMatch(server.connections[0].received().toString('latin1'), /first/);
  });

  it('a pipelined group cut short after earlier groups were answered: only its own lines are reported as sent without a reply', TIMEOUT, async () => {
    const server = await serve(async (c) => {
      await greetAndEhlo(c, ['PIPELINING']);
      await c.linesArrived(2);
      await c.line();
      await c.line();
      c.send('250 ok\r\n250 ok\r\n');
      await c.line();
      await c.line();
      c.send('250 ok\r\n');
      c.socket.destroy(); // the second RCPT was sent and is never answered
    });
    const result = await run(server, [
      'S: 220', 'C: EHLO client.example', 'S: 250-test.example', 'S: 250 PIPELINING',
      'C: RSET', 'C: NOOP', 'S: 250', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'S: 250', 'S: 250',
      'C: QUIT', 'S: 221',
    ]);
    assert.match(result.error?.message ?? '', /closed the connection/);
    assert.deepEqual(result.steps.map((s) => [s.line, s.sent, s.reply?.code ?? null, s.skipped]), [
      [1, null, 220, false],
      [2, 'EHLO client.example', 250, false],
      [5, 'RSET', 250, false],
      [6, 'NOOP', 250, false],
      [9, 'MAIL FROM:<a@example.com>', 250, false],
      [10, 'RCPT TO:<b@example.org>', null, false],
      [13, null, null, true],
    ]);
  });
});

describe('playSession: a reply while the message body is still being sent', () => {
  const transcript = (body: string[]) => [
    'S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
    'C: DATA', 'S: 354', ...body, '.', 'S: 250', 'C: QUIT', 'S: 221',
  ];

  /** 250 to every command and 221 to QUIT; to DATA it sends `onData` (the 354 and whatever it adds), reads the body, then sends `afterBody`. */
  async function dataServer(onData: string, afterBody: string, seen: { body: boolean } = { body: false }): Promise<ScriptedServer> {
    return serve(async (c) => {
      await greetAndEhlo(c);
      for (;;) {
        const line = await c.line();
        if (line !== 'DATA') {
          c.send(line === 'QUIT' ? '221 bye\r\n' : '250 ok\r\n');
          continue;
        }
        c.send(onData);
        await c.body();
        seen.body = true;
        c.send(afterBody);
      }
    });
  }

  it('ends the session with a protocol error naming a 250 sent right after the 354, and never marks the end of data ✓', TIMEOUT, async () => {
    const seen = { body: false };
    // The hostile part: "accepted" before the message, then whatever comes.
    const server = await dataServer('354 go ahead\r\n250 2.0.0 Ok: queued as EARLY\r\n', '250 2.0.0 Ok: queued as LATE\r\n', seen);
    const result = await run(server, transcript(['Subject: early', '', 'hello']));
    assert.equal(result.ok, false);
    assert.equal(result.error?.line, 13);
    assert.match(result.error?.message ?? '', /^line 13: the server replied "250 2\.0\.0 Ok: queued as EARLY" while the message body was still being sent, before the end of data \(the "\." on line 13\)\. .*RFC 5321 §4\.1\.1\.4/);
    const end = result.steps.find((step) => step.line === 13);
    assert.notEqual(end?.ok, true, 'the end of data is not ✓');
    assert.equal(end?.reply, null);
    assert.equal(seen.body, false, 'nothing of the body was sent after the early reply');
  });

  it('counts even a reply line not finished yet, and shows it escaped', TIMEOUT, async () => {
    const server = await dataServer('354 go ahead\r\n550 5.7.1 rejected \u202Eevil', '\r\n250 2.0.0 queued\r\n');
    const result = await run(server, transcript(['Subject: early', '', 'hello']));
    assert.equal(result.ok, false);
    assert.match(result.error?.message ?? '', /the server replied "550 5\.7\.1 rejected \\u202eevil" while the message body was still being sent/);
    assert.ok(!result.steps.some((step) => step.kind === 'data' && step.ok === true));
  });

  it('takes a reply that comes after the end of data as the end of data\'s', TIMEOUT, async () => {
    const server = await dataServer('354 go ahead\r\n', '250 2.0.0 queued\r\n');
    const result = await run(server, transcript(['Subject: on time', '', 'hello']));
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.steps.find((step) => step.line === 13)?.ok, true);
  });
});
