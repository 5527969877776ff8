import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startLocalServer, type CapturedSession, type LocalServerOptions, type RunningLocalServer } from '../../../../server/src/captureServer/localServer';
import { parseRules } from '../../../../server/src/captureServer/rules/parseRules';
import { Dialogue } from '../dialogue';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A capture server (no TLS, no folder) with these rules (the "rules" list as JSON text); its log lines and closed sessions are kept. */
async function serve(rules: string, options: LocalServerOptions = {}) {
  const lines: string[] = [];
  const sessions: CapturedSession[] = [];
  const waiting: (() => void)[] = [];
  const server = await startLocalServer({
    port: 0,
    tls: 'none',
    rules: parseRules(`{ "rules": ${rules} }`, 'rules.json'),
    log: (line) => lines.push(line),
    onSession: (session) => {
      sessions.push(session);
      waiting.splice(0).forEach((wake) => wake());
    },
    ...options,
  });
  cleanups.push(() => server.close());
  const nextSession = async (count: number) => {
    while (sessions.length < count) await new Promise<void>((resolve) => waiting.push(resolve));
    return sessions[count - 1];
  };
  return Object.assign(server, { lines, nextSession });
}

async function open(server: RunningLocalServer): Promise<Dialogue> {
  const socket = connect(server.port, server.host);
  cleanups.push(() => void socket.destroy());
  return new Dialogue(socket);
}

/** Greeted and past EHLO. */
async function hello(server: RunningLocalServer): Promise<Dialogue> {
  const dialogue = await open(server);
  assert.match((await dialogue.reply())?.[0] ?? '', /^220 /);
  assert.ok(await dialogue.command('EHLO app.example'));
  return dialogue;
}

/** One message from alice to bob; the reply to its end of data. */
async function deliver(dialogue: Dialogue, body = 'Subject: test\r\n\r\nHi.'): Promise<string | undefined> {
  assert.deepEqual(await dialogue.command('MAIL FROM:<alice@example.com>'), ['250 2.1.0 Accepted']);
  assert.deepEqual(await dialogue.command('RCPT TO:<bob@example.org>'), ['250 2.1.5 Accepted']);
  assert.match((await dialogue.command('DATA'))?.[0] ?? '', /^354 /);
  return (await dialogue.command(`${body}\r\n.`))?.[0];
}

describe('rules on a running capture server', () => {
  it('answers a matching recipient with the rule\'s code, enhanced code and text, and leaves out-of-order commands to the server', async () => {
    const server = await serve('[{ "name": "bouncing domain", "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.2 <{address}>: Recipient domain does not exist" }]');
    const dialogue = await hello(server);
    // Before MAIL, smtp-server's sequence error stands: a rule never hides it.
    assert.match((await dialogue.command('RCPT TO:<gone@bounce.example>'))?.[0] ?? '', /^503 /);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    assert.deepEqual(await dialogue.command('RCPT TO:<Gone@Bounce.Example>'), ['550 5.1.2 <Gone@Bounce.Example>: Recipient domain does not exist']);
    assert.deepEqual(await dialogue.command('RCPT TO:<bob@example.org>'), ['250 2.1.5 Accepted']);
    assert.deepEqual(server.lines, ['RCPT <Gone@Bounce.Example> answered 550 5.1.2 (bouncing domain)']);
  });

  it('closes the connection after a rule\'s 421 at MAIL, and records the refused session', async () => {
    const server = await serve('[{ "on": "MAIL", "reply": "421 4.7.0 Too busy, come back later" }]');
    const dialogue = await hello(server);
    assert.deepEqual(await dialogue.command('MAIL FROM:<alice@example.com>'), ['421 4.7.0 Too busy, come back later']);
    await dialogue.closed;
    const session = await server.nextSession(1);
    assert.deepEqual(session.messageIds, []);
    assert.match(session.text!, /\nC: MAIL FROM:<alice@example\.com>\nS: 421 4\.7\.0 Too busy, come back later\n$/);
  });

  it('answers the end of data every Nth message, keeps none it refused, and records the body for a replay', async () => {
    const server = await serve('[{ "on": "end-of-data", "every": 2, "reply": "451 4.7.1 Try this one again" }]');
    const dialogue = await hello(server);
    assert.match((await deliver(dialogue, 'Subject: one')) ?? '', /^250 2\.6\.0 Ok: queued as [0-9a-f]{10}$/);
    assert.equal(await deliver(dialogue, 'Subject: two'), '451 4.7.1 Try this one again');
    assert.match((await deliver(dialogue, 'Subject: three')) ?? '', /^250 2\.6\.0 Ok: queued as /);
    assert.deepEqual(server.messages.map((message) => message.subject), ['one', 'three']);
    await dialogue.command('QUIT');
    const session = await server.nextSession(1);
    assert.match(session.text!, /\nS: 354 [^\n]*\nSubject: two\n\.\nS: 451 4\.7\.1 Try this one again\n/);
    assert.deepEqual(server.lines.filter((line) => line.startsWith('end of data')), ['end of data answered 451 4.7.1 (rule 1)']);
  });

  it('refuses with a 421 at MAIL once N messages arrived within the window (a rate limit)', async () => {
    const server = await serve('[{ "on": "MAIL", "after": { "messages": 2, "seconds": 60 }, "reply": "421 4.7.0 Too many messages, slow down" }]');
    const dialogue = await hello(server);
    await deliver(dialogue);
    await deliver(dialogue);
    assert.deepEqual(await dialogue.command('MAIL FROM:<alice@example.com>'), ['421 4.7.0 Too many messages, slow down']);
    await dialogue.closed;
    const again = await hello(server);
    assert.deepEqual(await again.command('MAIL FROM:<alice@example.com>'), ['421 4.7.0 Too many messages, slow down'], 'the window counts the whole server\'s messages');
  });

  it('drops the connection without a reply, and the transcript says so', async () => {
    const server = await serve('[{ "on": "DATA", "disconnect": true }]');
    const dialogue = await hello(server);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    await dialogue.command('RCPT TO:<bob@example.org>');
    assert.equal(await dialogue.command('DATA'), null);
    assert.equal(dialogue.pending, '');
    const session = await server.nextSession(1);
    assert.match(session.text!, /\nC: DATA\n# the server dropped the connection without a reply \(rule 1\)\n$/);
    assert.deepEqual(server.lines.slice(-1), ['DATA: connection dropped without a reply (rule 1)']);
  });

  it('drops the connection at the end of data: the message is not kept, its body is in the transcript before the note', async () => {
    const server = await serve('[{ "on": "end-of-data", "disconnect": true }]');
    const dialogue = await hello(server);
    assert.equal(await deliver(dialogue, 'Subject: lost'), undefined);
    await dialogue.closed;
    const session = await server.nextSession(1);
    assert.deepEqual(server.messages, []);
    assert.match(session.text!, /\nC: DATA\nS: 354 [^\n]*\nSubject: lost\n\.\n# the server dropped the connection without a reply \(rule 1\)\n$/);
  });

  it('refuses the greeting, and answers the Nth connection only', async () => {
    const server = await serve('[{ "on": "connect", "nth": 2, "reply": "554 No SMTP service here" }]');
    assert.match((await (await open(server)).reply())?.[0] ?? '', /^220 /);
    const refused = await open(server);
    assert.deepEqual(await refused.reply(), ['554 No SMTP service here']);
    await refused.closed;
    assert.match((await (await open(server)).reply())?.[0] ?? '', /^220 /);
  });

  it('waits before the reply of a matching command', async () => {
    const server = await serve('[{ "on": "RCPT", "address": "slow@*", "delay": 150 }]');
    const dialogue = await hello(server);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    // Node's timers may fire a millisecond early by performance.now(); undelayed, a reply takes well under 5 ms here.
    const started = performance.now();
    assert.deepEqual(await dialogue.command('RCPT TO:<slow@example.org>'), ['250 2.1.5 Accepted']);
    assert.ok(performance.now() - started >= 145, `${performance.now() - started} ms`);
  });

  it('asks the file\'s rules before the shorthand options', async () => {
    const server = await serve('[{ "on": "RCPT", "address": "nobody@*", "reply": "450 4.2.1 Later" }]', { rejectRcpt: [/^nobody@/] });
    const dialogue = await hello(server);
    await dialogue.command('MAIL FROM:<alice@example.com>');
    assert.deepEqual(await dialogue.command('RCPT TO:<nobody@example.org>'), ['450 4.2.1 Later']);
  });
});
