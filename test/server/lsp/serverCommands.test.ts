// What the editor asks of the session runner besides plain runs, over a real
// LSP connection to dist/server.js: environments, the local-server lens,
// recordings, the inbox's messages and previews, the Test Explorer's session
// list, "Explain Reply Code", and where the embedded server listens and saves
// when a run starts it (the editor's smtp.localServer settings).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShutdownRequest } from 'vscode-languageserver/node';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import {
  ExplainCommand,
  ImportTranscriptCommand,
  ListCapturedMessagesCommand,
  ListSessionsCommand,
  PreviewCapturedMessageCommand,
  RunSessionCommand,
  type LocalServerStatus,
} from '../../../server/src/contract/messages';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { Harness, refusal, TIMEOUT } from './lspHarness';

const DELIVERY = (subject: string) => [
  'S: 220',
  'C: EHLO client.example',
  'S: 250',
  'C: MAIL FROM:<{{from}}>',
  'S: 250',
  'C: RCPT TO:<bob@example.org>',
  'S: 250',
  'C: DATA',
  'S: 354',
  `Subject: ${subject}`,
  '',
  'Hello.',
  '.',
  'S: 250',
  'C: QUIT',
  'S: 221',
].join('\n');

describe('the session runner for the editor', () => {
  let harness: Harness;
  let other: RunningLocalServer;
  let folder: string;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'smtp-editor-'));
    other = await startLocalServer({ port: 0, tls: 'none' });
    harness = new Harness('process', null);
    // The editor's settings: any free port, and '' for the folder, which means the folder given at initialize.
    harness.answerConfiguration((item) => (item.section === 'smtp.localServer' ? { port: 0, folder: '' } : null));
    await harness.initialize({ workspace: { configuration: true } }, { localServerFolder: join(folder, 'inbox') });
  });

  after(async () => {
    await harness.client.sendRequest(ShutdownRequest.type);
    harness.dispose();
    await other.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('starts the embedded server on demand where the editor\'s settings say, tells of each captured message, lists and previews it', TIMEOUT, async () => {
    await harness.open('file:///inbox.smtp', `@from = alice@example.com\n${DELIVERY('Inbox test')}`);
    const result = await harness.run({ uri: 'file:///inbox.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const status = await harness.statuses.next((candidate: LocalServerStatus) => candidate.running);
    assert.ok(status.running);
    assert.equal(status.dir, join(folder, 'inbox'));
    const captured = await harness.captured.next();
    assert.equal(captured.from, 'alice@example.com');
    assert.deepEqual(captured.to, ['bob@example.org']);
    assert.equal(captured.subject, 'Inbox test');
    assert.ok(captured.path !== null && existsSync(captured.path), 'saved as .eml in the settings\' folder');
    assert.deepEqual(readdirSync(join(folder, 'inbox')).filter((name) => name.endsWith('.eml')).length, 1, 'one .eml, the session transcript (.smtp) beside it');
    const listed = await harness.execute<ListCapturedMessagesCommand.Result>(ListCapturedMessagesCommand.command, {});
    assert.deepEqual(listed.messages.map((message) => message.id), [captured.id]);
    const preview = await harness.execute<PreviewCapturedMessageCommand.Result>(PreviewCapturedMessageCommand.command, { id: captured.id });
    assert.match(preview.text, /^Subject: Inbox test$/m);
    assert.match(preview.text, /^Hello\.$/m);
    await refusal(harness, PreviewCapturedMessageCommand.command, { id: 'nope' }, /holds no message "nope"/);
  });

  it('gives sessions the environment\'s values beneath the file\'s, and goes to the environment\'s server', TIMEOUT, async () => {
    await harness.open('file:///env.smtp', DELIVERY('Environment'));
    const variables = { server: `127.0.0.1:${other.port}`, from: 'ci@example.net' };
    const result = await harness.run({ uri: 'file:///env.smtp', variables });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.sessions[0].result.server, `127.0.0.1:${other.port}`);
    assert.equal(other.messages.at(-1)?.from, 'ci@example.net');
    await harness.open('file:///env-own.smtp', `@from = own@example.com\n${DELIVERY('Own value')}`);
    await harness.run({ uri: 'file:///env-own.smtp', variables });
    assert.equal(other.messages.at(-1)?.from, 'own@example.com', 'the file\'s @from wins');
    await refusal(harness, RunSessionCommand.command, { uri: 'file:///env.smtp', variables: { 'no spaces': 'x' } }, /a variable name starts with a letter/);
    await refusal(harness, RunSessionCommand.command, { uri: 'file:///env.smtp', variables: { n: 1 } }, /"n" must be a text value/);
  });

  it('runs against the embedded server whatever @server says when asked for local', TIMEOUT, async () => {
    await harness.open('file:///named.smtp', `@server = 127.0.0.1:1\n@from = alice@example.com\n${DELIVERY('Local lens')}`);
    const result = await harness.run({ uri: 'file:///named.smtp', local: true });
    assert.equal(result.ok, true, JSON.stringify(result));
    const captured = await harness.captured.next((message) => message.subject === 'Local lens');
    assert.equal(captured.subject, 'Local lens');
    await refusal(harness, RunSessionCommand.command, { uri: 'file:///named.smtp', local: true, server: '127.0.0.1:25' }, /not both/);
  });

  it('returns the dialogue as a transcript that check accepts when asked to record', TIMEOUT, async () => {
    await harness.open('file:///record.smtp', `### Recorded\n@from = alice@example.com\n${DELIVERY('Recorded')}`);
    const result = await harness.run({ uri: 'file:///record.smtp', record: true });
    assert.equal(result.ok, true, JSON.stringify(result));
    const transcript = result.transcript ?? assert.fail('no transcript');
    assert.match(transcript, /^### Recorded$/m);
    assert.match(transcript, /^S: 250[- ]/m);
    assert.match(transcript, /No @server: this ran against the embedded local server/);
    const problems = checkTranscript(parseTranscript(transcript)).filter((problem) => problem.severity === 'error' || problem.severity === 'warning');
    assert.deepEqual(problems, []);
    // The wire's SessionReport has no recording field: the engine's must not leak into it.
    assert.equal((result.sessions[0].result as { recording?: unknown }).recording, undefined, 'the transcript carries it');
    const plain = await harness.run({ uri: 'file:///record.smtp' });
    assert.equal(plain.transcript, undefined);
  });

  it('lists the sessions of a document with their lines and servers', TIMEOUT, async () => {
    await harness.open('file:///list.smtp', ['@server = mx.example.org:25', '### First', 'C: QUIT', 'S: 221', '', '### Second', '@server = 127.0.0.1:2525', 'C: NOOP', 'S: 250'].join('\n'));
    const listed = await harness.execute<ListSessionsCommand.Result>(ListSessionsCommand.command, { uri: 'file:///list.smtp' });
    assert.deepEqual(listed.sessions.map(({ index, name, line, server }) => ({ index, name, line, server })), [
      { index: 0, name: 'First', line: 2, server: 'mx.example.org:25' },
      { index: 1, name: 'Second', line: 6, server: '127.0.0.1:2525' },
    ]);
    assert.ok(listed.sessions[0].endLine >= 4 && listed.sessions[0].endLine < 6, JSON.stringify(listed.sessions[0]));
    await refusal(harness, ListSessionsCommand.command, { uri: 'file:///missing.smtp' }, /cannot be read/);
  });

  it('explains reply codes and enhanced status codes, and says what it cannot', TIMEOUT, async () => {
    const explained = await harness.execute<ExplainCommand.Result>(ExplainCommand.command, { text: ' 550  5.1.1 ' });
    assert.match(explained.markdown, /550/);
    assert.match(explained.markdown, /5\.1\.1/);
    assert.match(explained.markdown, /\n---\n/);
    await refusal(harness, ExplainCommand.command, { text: 'FROBNICATE' }, /Nothing is known about "FROBNICATE"/);
    await refusal(harness, ExplainCommand.command, {}, /needs "text"/);
  });

  it('imports a transcript for "Import Transcript…", and says which formats it reads when it recognises none', TIMEOUT, async () => {
    const imported = await harness.execute<ImportTranscriptCommand.Result>(ImportTranscriptCommand.command, { text: '<-  220 mx ESMTP\n -> QUIT\n<-  221 bye\n' });
    assert.equal(imported.format, 'swaks');
    assert.equal(imported.dialogueLines, 3);
    assert.deepEqual(checkTranscript(parseTranscript(imported.text)), []);
    await refusal(harness, ImportTranscriptCommand.command, { text: 'Dear postmaster,\nnothing arrives.' }, /No SMTP dialogue recognised\. import reads swaks output/);
    await refusal(harness, ImportTranscriptCommand.command, { text: 'x', from: 'pcap' }, /"from" must be one of auto, swaks/);
  });
});
