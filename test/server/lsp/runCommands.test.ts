// The session runner over a real LSP connection, with the client side in the
// test: what it answers to smtp/secret, whether it supports progress, and every
// byte the server sends it. The server is startServer in this process over
// memory streams, or the bundled dist/server.js as a child on stdio where the
// run leaves something behind if the code under test breaks (the embedded
// server's socket, an engine timer of RFC 5321's minutes) — a child is killed,
// this process would never exit. The SMTP servers are real: the embedded one,
// one the test starts with users, and raw sockets that misbehave. Every wait is
// on a real message; a missing one fails the test by its timeout.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  ErrorCodes,
  HoverRequest,
  MarkupContent,
  ResponseError,
  ShutdownRequest,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageserver/node';
import {
  CancelSessionCommand,
  RunSessionCommand,
  SecretRequest,
  SERVER_COMMANDS,
  StartLocalServerCommand,
  StopLocalServerCommand,
  type LocalServerStatus,
} from '../../../server/src/contract/messages';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { connectionRefused, Harness, TIMEOUT } from './lspHarness';
import { startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';

const DELIVERY = [
  'S: 220',
  'C: EHLO client.example',
  'S: 250',
  'C: MAIL FROM:<alice@example.com>',
  'S: 250',
  'C: RCPT TO:<bob@example.org>',
  'S: 250',
  'C: DATA',
  'S: 354',
  'Subject: Hi',
  '',
  'Hello.',
  '.',
  'S: 250',
  'C: QUIT',
  'S: 221',
].join('\n');

/** AUTH PLAIN with a password from {{$secret PASS}}, in two sessions: the client is asked once per run. */
function authFile(port: number): string {
  const session = (name: string) => [`### ${name}`, 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH PLAIN {{$authPlain alice {{$secret PASS}}}}', 'S: 235', 'C: QUIT', 'S: 221'].join('\n');
  return `@server = 127.0.0.1:${port}\n${session('First')}\n${session('Second')}\n`;
}

const PASSWORD = 'correct horse battery staple';

describe('smtp.lsp.runSession against the embedded server', () => {
  let harness: Harness;

  before(async () => {
    // In a child process: should stopping the embedded server ever break, the test fails instead of this process never exiting.
    harness = new Harness('process', null);
    const result = await harness.initialize();
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, [...SERVER_COMMANDS]);
  });

  after(async () => {
    await harness.client.sendRequest(ShutdownRequest.type);
    harness.dispose();
  });

  it('starts the embedded server once for runs that start together, and reuses it', TIMEOUT, async () => {
    await harness.open('file:///a.smtp', DELIVERY);
    await harness.open('file:///b.smtp', `### Second\n${DELIVERY}`);
    const [a, b] = await Promise.all([harness.run({ uri: 'file:///a.smtp', session: 0 }), harness.run({ uri: 'file:///b.smtp', session: null })]);
    assert.equal(a.ok, true, JSON.stringify(a));
    assert.equal(b.ok, true, JSON.stringify(b));
    const status = await harness.statuses.next();
    assert.ok(status.running);
    assert.equal(a.sessions[0].result.server, `127.0.0.1:${status.port}`);
    assert.equal(b.sessions[0].result.server, `127.0.0.1:${status.port}`);
    const again = await harness.run({ uri: 'file:///a.smtp' });
    assert.equal(again.sessions[0].result.server, `127.0.0.1:${status.port}`);
    assert.equal(harness.statuses.all.length, 1, 'started once');
    assert.equal(a.version, 1);
    assert.notEqual(a.runId, b.runId);
  });

  it('shows a value captured from a reply in the hover of its @ line and of its uses, once a run has captured it', TIMEOUT, async () => {
    const uri = 'file:///capture.smtp';
    await harness.open(uri, `${DELIVERY.replace('C: QUIT', '@qid = {{$reply /queued as (\\S+)/}}\nC: NOOP {{qid}}\nS: 250\nC: QUIT')}`);
    const hoverAt = async (line: number, character: number) => {
      const hover = await harness.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
      assert.ok(hover && MarkupContent.is(hover.contents));
      return hover.contents.value;
    };
    assert.doesNotMatch(await hoverAt(14, 2), /The last run captured/, 'nothing before a run');
    const result = await harness.run({ uri, session: 0 });
    assert.equal(result.ok, true, JSON.stringify(result));
    const queued = /queued as (\S+)/.exec(result.sessions[0].result.steps.find((step) => step.kind === 'data')!.reply!.lines[0])![1];
    assert.match(await hoverAt(14, 2), new RegExp(`captured at run time[^]*\\n\\nThe last run captured \`${queued}\`\\.$`));
    assert.match(await hoverAt(15, 10), new RegExp(`^\`\\{\\{qid\\}\\}\` — captured at run time on line 15[^]*The last run captured \`${queued}\`\\.$`));
  });

  it('sends every event of a session in order, from started to finished, with the run id', TIMEOUT, async () => {
    await harness.open('file:///events.smtp', DELIVERY);
    const result = await harness.run({ uri: 'file:///events.smtp', session: 0, runId: 'events-run' });
    assert.equal(result.runId, 'events-run');
    const events = harness.events.all.filter((params) => params.runId === 'events-run');
    assert.ok(events.every((params) => params.uri === 'file:///events.smtp' && params.sessionIndex === 0));
    const types = events.map((params) => params.event.type);
    assert.deepEqual(types.slice(0, 3), ['started', 'connecting', 'connected']);
    assert.equal(types[types.length - 1], 'finished');
    const steps = events.flatMap((params) => (params.event.type === 'step' ? [params.event.step] : []));
    assert.deepEqual(steps.map((step) => [step.line, step.kind, step.reply?.code]), [[1, 'greeting', 220], [2, 'command', 250], [4, 'command', 250], [6, 'command', 250], [8, 'command', 354], [13, 'data', 250], [15, 'command', 221]]);
    const finished = events[events.length - 1].event;
    assert.ok(finished.type === 'finished');
    assert.deepEqual(finished.result, result.sessions[0].result);
  });

  it('says in each started event where the session begins and ends, so an editor never asks for its lines', TIMEOUT, async () => {
    await harness.open('file:///bounds.smtp', `### First\n${DELIVERY}\n\n### Second\n${DELIVERY}`);
    const lines = `### First\n${DELIVERY}`.split('\n').length;
    await harness.run({ uri: 'file:///bounds.smtp', runId: 'bounds-run' });
    const started = harness.events.all.filter((params) => params.runId === 'bounds-run').flatMap((params) => (params.event.type === 'started' ? [{ index: params.sessionIndex, ...params.event }] : []));
    assert.deepEqual(started, [
      { index: 0, type: 'started', name: 'First', line: 1, endLine: lines, version: 1 },
      { index: 1, type: 'started', name: 'Second', line: lines + 2, endLine: 2 * lines + 1, version: 1 },
    ]);
  });

  it('answers with ok false and the mismatch when a reply is not the one the file expects', TIMEOUT, async () => {
    await harness.open('file:///unmet.smtp', DELIVERY.replace('C: RCPT TO:<bob@example.org>\nS: 250', 'C: RCPT TO:<bob@example.org>\nS: 550 5.1.1'));
    const result = await harness.run({ uri: 'file:///unmet.smtp', session: 0 });
    assert.equal(result.ok, false);
    assert.equal(result.cancelled, false);
    const session = result.sessions[0].result;
    assert.equal(session.error, null);
    const rcpt = session.steps.find((step) => step.line === 6);
    assert.equal(rcpt?.ok, false);
    assert.equal(rcpt?.expected, '550 5.1.1');
    assert.match(rcpt?.mismatch ?? '', /550/);
    assert.ok(session.steps.filter((step) => step.line > 6).every((step) => step.skipped), 'later steps are skipped');
  });

  it('reads a document that is not open from disk', TIMEOUT, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'smtp-runner-'));
    try {
      const path = join(folder, 'on disk.smtp');
      writeFileSync(path, DELIVERY);
      const result = await harness.run({ uri: pathToFileURL(path).href });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.version, null);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot run with InvalidParams that say what to fix', TIMEOUT, async () => {
    const refusal = async (command: string, argument: unknown, pattern: RegExp) => {
      const error = await harness.execute(command, argument).then(() => assert.fail('expected an error'), (failure: unknown) => failure);
      assert.ok(error instanceof ResponseError, String(error));
      assert.equal(error.code, ErrorCodes.InvalidParams);
      assert.match(error.message, pattern);
    };
    await refusal(RunSessionCommand.command, {}, /needs "uri"/);
    await refusal(RunSessionCommand.command, { uri: 'untitled:Untitled-1' }, /not open in the editor and is not a file: URI/);
    await refusal(RunSessionCommand.command, { uri: 'file:///no/such/file.smtp' }, /cannot be read: no such file/);
    await refusal(RunSessionCommand.command, { uri: 'file:///a.smtp', session: 3 }, /has 1 session \(0-based indexes 0 to 0\); there is no session 3/);
    await refusal(RunSessionCommand.command, { uri: 'file:///a.smtp', session: -1 }, /"session" must be a 0-based session index/);
    await refusal(RunSessionCommand.command, { uri: 'file:///a.smtp', timeoutSeconds: 0 }, /"timeoutSeconds" must be a number of seconds greater than 0/);
    await harness.open('file:///empty.smtp', '# nothing yet\n');
    await refusal(RunSessionCommand.command, { uri: 'file:///empty.smtp' }, /no session to run/);
    await refusal(CancelSessionCommand.command, {}, /needs "runId"/);
    await refusal(StartLocalServerCommand.command, { port: 70000 }, /"port" must be an integer from 0/);
    await refusal('smtp.lsp.nope', {}, /Unknown command "smtp.lsp.nope"; this server executes smtp.lsp.runSession/);
  });

  it('reports a run it does not know as not cancelled', TIMEOUT, async () => {
    assert.deepEqual(await harness.execute(CancelSessionCommand.command, { runId: 'never-started' }), { cancelled: false });
  });

  it('starts and stops the embedded server on command, and tells the client each time', TIMEOUT, async () => {
    const running = await harness.execute<LocalServerStatus>(StartLocalServerCommand.command, {});
    assert.ok(running.running);
    assert.equal(running.host, '127.0.0.1');
    assert.equal(running.tls, 'starttls');
    assert.match(running.certificateFingerprint256 ?? '', /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const stopped = await harness.execute<LocalServerStatus>(StopLocalServerCommand.command);
    assert.deepEqual(stopped, { running: false });
    assert.deepEqual(await harness.statuses.next((status) => !status.running), { running: false });
    assert.equal(await connectionRefused(running.port), 'ECONNREFUSED');
    // The next run that needs it starts it again.
    const result = await harness.run({ uri: 'file:///a.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const restarted = await harness.statuses.next((status) => status.running);
    assert.ok(restarted.running);
    assert.equal(result.sessions[0].result.server, `127.0.0.1:${restarted.port}`);
  });
});

describe('secrets from the client (smtp/secret)', () => {
  let smtp: RunningLocalServer;
  let harness: Harness;
  let answer: SecretRequest.Result = { value: PASSWORD };

  before(async () => {
    smtp = await startLocalServer({ port: 0, tls: 'none', users: [{ user: 'alice', pass: PASSWORD }] });
    harness = new Harness({}, () => answer);
    await harness.initialize();
  });

  after(async () => {
    harness.dispose();
    await smtp.close();
  });

  it('asks the client once per run and name, authenticates, and never sends the value back', TIMEOUT, async () => {
    const uri = 'file:///auth.smtp';
    await harness.open(uri, authFile(smtp.port));
    const result = await harness.run({ uri, runId: 'auth-run' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(harness.secretRequests, [{ runId: 'auth-run', uri, kind: 'secret', name: 'PASS', host: '127.0.0.1' }]);
    const auth = result.sessions[0].result.steps.find((step) => step.line === 6);
    assert.equal(auth?.sent, 'AUTH PLAIN ***');
    assert.equal(auth?.reply?.code, 235);
    assert.ok(harness.wire.includes('"smtp/sessionEvent"'), 'the wire was recorded');
    assert.ok(!harness.wire.includes(PASSWORD), 'the password never goes back to the client');
    assert.ok(!harness.wire.includes(Buffer.from(`\0alice\0${PASSWORD}`).toString('base64')), 'nor its AUTH PLAIN form');
  });

  it('ends the session before AUTH when the user declines, naming the secret', TIMEOUT, async () => {
    answer = { value: null };
    try {
      const uri = 'file:///auth-declined.smtp';
      await harness.open(uri, authFile(smtp.port));
      const result = await harness.run({ uri, session: 0 });
      assert.equal(result.ok, false);
      const session = result.sessions[0].result;
      assert.match(session.error?.message ?? '', /\{\{\$secret PASS\}\}: no value was given \(the request was declined\)/);
      const auth = session.steps.find((step) => step.line === 6);
      assert.equal(auth?.sent ?? null, null, 'AUTH was not sent');
    } finally {
      answer = { value: PASSWORD };
    }
  });
});

describe('secrets without smtp/secret in the client', () => {
  let smtp: RunningLocalServer;
  let harness: Harness;

  before(async () => {
    smtp = await startLocalServer({ port: 0, tls: 'none', users: [{ user: 'alice', pass: PASSWORD }] });
    harness = new Harness({ sessions: { env: { PASS: PASSWORD } } }, null);
    await harness.initialize();
  });

  after(async () => {
    harness.dispose();
    await smtp.close();
  });

  it('reads {{$secret NAME}} from the environment variable NAME', TIMEOUT, async () => {
    await harness.open('file:///env.smtp', authFile(smtp.port));
    const result = await harness.run({ uri: 'file:///env.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(!harness.wire.includes(PASSWORD));
  });

  it('fails {{$prompt}} with a message that says why', TIMEOUT, async () => {
    await harness.open('file:///prompt.smtp', authFile(smtp.port).replaceAll('{{$secret PASS}}', '{{$prompt SMTP password}}'));
    const result = await harness.run({ uri: 'file:///prompt.smtp', session: 0 });
    assert.equal(result.ok, false);
    assert.match(result.sessions[0].result.error?.message ?? '', /\{\{\$prompt SMTP password\}\} needs the editor to ask you.*smtp\/secret/);
  });
});

/** A server that greets (or not), answers nothing else, and drops the connection when the client says QUIT (as a tarpit would). */
function startMuteServer(greeting: string | null, received: Promise<string>[]): Promise<ScriptedServer> {
  return startScriptedServer(async (connection) => {
    let done!: (text: string) => void;
    received.push(new Promise((resolve) => (done = resolve)));
    if (greeting !== null) connection.send(greeting);
    try {
      while ((await connection.line()) !== 'QUIT') { /* keep listening */ }
    } finally {
      done(connection.received().toString('utf8'));
      connection.socket.destroy();
    }
  });
}

describe('cancelling a run', () => {
  let silent: ScriptedServer;
  let greeter: ScriptedServer;
  let harness: Harness;
  /** What each connection sent before it closed. */
  const received: Promise<string>[] = [];

  before(async () => {
    silent = await startMuteServer(null, received);
    greeter = await startMuteServer('220 mute.example ESMTP\r\n', []);
    harness = new Harness('process', () => new Promise<SecretRequest.Result>(() => undefined));
    harness.acceptServerProgress();
    await harness.initialize({ window: { workDoneProgress: true } });
  });

  afterEach(() => assert.equal(harness.events.all.filter((e) => e.event.type === 'started').length, harness.events.all.filter((e) => e.event.type === 'finished').length, 'every started session finished'));

  after(async () => {
    harness.dispose();
    await silent.close();
    await greeter.close();
  });

  const file = () => `@server = 127.0.0.1:${silent.port}\nS: 220\nC: QUIT\nS: 221\n### Never reached\nS: 220\nC: QUIT\nS: 221\n`;

  it('stops on smtp.lsp.cancelSession with a cancelled error, a QUIT, and no later session', TIMEOUT, async () => {
    const uri = 'file:///cancel-command.smtp';
    await harness.open(uri, file());
    const running = harness.run({ uri, runId: 'to-cancel' });
    await harness.event('to-cancel', 'connected');
    assert.deepEqual(await harness.execute(CancelSessionCommand.command, { runId: 'to-cancel' }), { cancelled: true });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.equal(result.ok, false);
    assert.equal(result.sessions.length, 1, 'the second session did not run');
    assert.equal(result.sessions[0].result.error?.message, 'The session was cancelled.');
    assert.equal(await received[received.length - 1], 'QUIT\r\n');
  });

  it('stops when the client cancels the request itself ($/cancelRequest)', TIMEOUT, async () => {
    const uri = 'file:///cancel-request.smtp';
    await harness.open(uri, file());
    const source = new CancellationTokenSource();
    const running = harness.run({ uri, runId: 'request-cancelled' }, source.token);
    await harness.event('request-cancelled', 'connected');
    source.cancel();
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.equal(result.sessions[0].result.error?.message, 'The session was cancelled.');
  });

  it('reports cancellable progress, and stops when its Cancel is pressed', TIMEOUT, async () => {
    const uri = 'file:///cancel-progress.smtp';
    await harness.open(uri, file());
    const running = harness.run({ uri, runId: 'progress-cancelled' });
    const begin = await harness.progress.next((p) => p.value.kind === 'begin' && p.value.title.includes('cancel-progress.smtp'));
    assert.ok(begin.value.kind === 'begin');
    assert.equal(begin.value.cancellable, true);
    assert.equal(begin.value.title, 'SMTP: 2 sessions of cancel-progress.smtp');
    await harness.event('progress-cancelled', 'connected');
    await harness.client.sendNotification(WorkDoneProgressCancelNotification.type, { token: begin.token });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.equal(result.sessions[0].result.error?.message, 'The session was cancelled.');
    const end = await harness.progress.next((p) => p.token === begin.token && p.value.kind === 'end');
    assert.equal(end.value.kind, 'end');
  });

  it('stops while waiting for the client to answer smtp/secret, and withdraws the request', TIMEOUT, async () => {
    const uri = 'file:///cancel-secret.smtp';
    await harness.open(uri, `@server = 127.0.0.1:${greeter.port}\nS: 220\nC: NOOP {{$secret NEVER_ANSWERED}}\nS: 250\n`);
    const running = harness.run({ uri, runId: 'secret-cancelled' });
    const asked = await harness.secretAsked.next((request) => request.params.runId === 'secret-cancelled');
    assert.deepEqual(asked.params, { runId: 'secret-cancelled', uri, kind: 'secret', name: 'NEVER_ANSWERED', host: '127.0.0.1' });
    await harness.execute(CancelSessionCommand.command, { runId: 'secret-cancelled' });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.equal(result.sessions[0].result.error?.message, 'The session was cancelled.');
    await asked.withdrawn; // the client got $/cancelRequest for its input box
  });
});

describe('shutdown', () => {
  it('stops the embedded server so its port is free', TIMEOUT, async () => {
    const harness = new Harness('process', null);
    try {
      await harness.initialize();
      const status = await harness.execute<LocalServerStatus>(StartLocalServerCommand.command, { port: 0 });
      assert.ok(status.running);
      await harness.client.sendRequest(ShutdownRequest.type);
      // The process is still alive (no exit notification yet): only the shutdown can have freed the port.
      assert.equal(await connectionRefused(status.port), 'ECONNREFUSED');
    } finally {
      harness.dispose();
    }
  });
});

describe('{{$file}} and {{$env}} in runs from the editor', () => {
  let smtp: RunningLocalServer;
  let harness: Harness;
  let top: string;
  let workspace: string;

  before(async () => {
    top = mkdtempSync(join(tmpdir(), 'smtp-session-lsp-files-'));
    workspace = join(top, 'workspace');
    mkdirSync(join(workspace, 'mail'), { recursive: true });
    writeFileSync(join(workspace, 'body.txt'), 'Subject: from the workspace\n\nhi\n');
    writeFileSync(join(top, 'outside.txt'), 'not in the workspace\n');
    smtp = await startLocalServer({ port: 0, tls: 'none' });
    harness = new Harness({ sessions: { env: { CLIENT_NAME: 'client.example', SMTP_SECRET_PASS: PASSWORD } } }, null);
    // The workspace folder is all the server knows of it: no .git marks it.
    await harness.initialize({ workspace: { workspaceFolders: true } }, undefined, [{ uri: pathToFileURL(workspace).href, name: 'workspace' }]);
  });

  after(async () => {
    harness.dispose();
    await smtp.close();
    rmSync(top, { recursive: true, force: true });
  });

  const transcript = (bodyLine: string, ehlo = '{{$env CLIENT_NAME}}') => [
    `@server = 127.0.0.1:${smtp.port}`, 'S: 220', `C: EHLO ${ehlo}`, 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
    'C: DATA', 'S: 354', bodyLine, '.', 'S: 250', 'C: QUIT', 'S: 221',
  ].join('\n');

  it('sends a file of the workspace folder and lists what the run read in the result', TIMEOUT, async () => {
    const uri = pathToFileURL(join(workspace, 'mail', 'inside.smtp')).href;
    await harness.open(uri, transcript('{{$file ../body.txt}}'));
    const result = await harness.run({ uri });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.inputs, { environment: ['CLIENT_NAME'], files: ['body.txt'] });
  });

  it('refuses a file outside the workspace folder the client named, and $env of a secret', TIMEOUT, async () => {
    const uri = pathToFileURL(join(workspace, 'mail', 'outside.smtp')).href;
    await harness.open(uri, transcript('{{$file ../../outside.txt}}'));
    const outside = await harness.run({ uri });
    assert.equal(outside.ok, false);
    assert.match(outside.sessions[0].result.error?.message ?? '', new RegExp(`^line 11: \\{\\{\\$file \\.\\./\\.\\./outside\\.txt\\}\\} leads outside the workspace folder ${workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `));
    assert.deepEqual(outside.inputs.files, []);

    const secretUri = pathToFileURL(join(workspace, 'mail', 'env-secret.smtp')).href;
    await harness.open(secretUri, transcript('hi', '{{$env SMTP_SECRET_PASS}}'));
    const secret = await harness.run({ uri: secretUri });
    assert.match(secret.sessions[0].result.error?.message ?? '', /SMTP_SECRET_PASS holds a secret.*\{\{\$secret PASS\}\}/);
    assert.ok(!harness.wire.includes(PASSWORD));
  });
});
