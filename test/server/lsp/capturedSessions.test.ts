// The inbox's sessions and the link between a run and the message it
// delivered, over a real LSP connection: each closed connection of the
// embedded server announced with why it ended, its transcript on request, the
// preview headed by the envelope, and a run's message end carrying the queue
// id of the message it left in the inbox (and the message its run's line).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import {
  CapturedSessionTranscriptCommand,
  ListCapturedMessagesCommand,
  PreviewCapturedMessageCommand,
  type StepReport,
} from '../../../server/src/contract/messages';
import { Harness, refusal, TIMEOUT } from './lspHarness';

const DELIVERY = [
  '### Welcome mail',
  'S: 220',
  'C: EHLO app.example',
  'S: 250',
  'C: MAIL FROM:<app@example.com> BODY=8BITMIME',
  'S: 250',
  'C: RCPT TO:<bob@example.org> NOTIFY=SUCCESS',
  'S: 250',
  'C: DATA',
  'S: 354',
  'Subject: Linked',
  '',
  'Hello.',
  '.',
  'S: 250',
  'C: QUIT',
  'S: 221',
].join('\n');
/** 1-based line of the `.` that ends the message above. */
const DOT_LINE = DELIVERY.split('\n').indexOf('.') + 1;

describe('the inbox\'s sessions and a run\'s link to its message', () => {
  let harness: Harness;
  let folder: string;
  let other: RunningLocalServer;

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'smtp-inbox-sessions-'));
    other = await startLocalServer({ port: 0, tls: 'none' });
    harness = new Harness({ sessions: { localServer: { tls: 'none' } } }, null);
    harness.answerConfiguration((item) => (item.section === 'smtp.localServer' ? { port: 0, folder: '' } : null));
    await harness.initialize({ workspace: { configuration: true } }, { localServerFolder: folder });
  });

  after(async () => {
    await harness.close();
    await other.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('marks the message end with the captured message\'s id, and the message with the run\'s line', TIMEOUT, async () => {
    await harness.open('file:///work/welcome.smtp', DELIVERY);
    const result = await harness.run({ uri: 'file:///work/welcome.smtp', runId: 'linked' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const first = await harness.captured.next();
    assert.equal(first.sentBy, undefined, 'announced before the 250 reached the run');
    const linked = await harness.captured.next((message) => message.id === first.id);
    assert.deepEqual(linked.sentBy, { uri: 'file:///work/welcome.smtp', line: DOT_LINE });

    const dataStep = (steps: StepReport[]) => steps.find((step) => step.line === DOT_LINE) ?? assert.fail('no step at the . line');
    assert.equal(dataStep(result.sessions[0].result.steps).capturedMessageId, first.id);
    const event = await harness.events.next((params) => params.runId === 'linked' && params.event.type === 'step' && params.event.step.line === DOT_LINE);
    assert.equal(event.event.type === 'step' && event.event.step.capturedMessageId, first.id, 'the inline result knows it as the step arrives');
    assert.ok(result.sessions[0].result.steps.filter((step) => step.line !== DOT_LINE).every((step) => step.capturedMessageId === undefined));

    const session = await harness.capturedSessions.next((candidate) => candidate.id === first.sessionId);
    assert.deepEqual(session.ending, { kind: 'quit', text: 'QUIT after the message' });
    assert.deepEqual(session.messageIds, [first.id]);
    assert.equal(session.transcriptPath, first.transcriptPath);
    assert.ok(session.transcriptPath !== null && existsSync(session.transcriptPath), `no transcript at ${session.transcriptPath}`);
    assert.equal(session.tls, null);
    assert.deepEqual(session.phases.map((phase) => phase.name), ['connect', 'EHLO', 'MAIL', 'RCPT', 'DATA', 'message', 'QUIT']);

    const listed = await harness.execute<ListCapturedMessagesCommand.Result>(ListCapturedMessagesCommand.command, {});
    assert.deepEqual(listed.messages.find((message) => message.id === first.id)?.sentBy, linked.sentBy);
    assert.deepEqual(listed.sessions.map((candidate) => candidate.id), [session.id]);

    const transcript = await harness.execute<CapturedSessionTranscriptCommand.Result>(CapturedSessionTranscriptCommand.command, { id: session.id });
    assert.equal(transcript.path, session.transcriptPath);
    assert.equal(transcript.text, readFileSync(session.transcriptPath!, 'utf8'));
    assert.match(transcript.text, /^C: MAIL FROM:<app@example\.com> BODY=8BITMIME$/m);

    const preview = await harness.execute<PreviewCapturedMessageCommand.Result>(PreviewCapturedMessageCommand.command, { id: first.id });
    assert.match(preview.text, /^Envelope /);
    assert.match(preview.text, /^ {2}MAIL FROM: <app@example\.com> BODY=8BITMIME$/m);
    assert.match(preview.text, /^ {2}RCPT TO: {3}<bob@example\.org> NOTIFY=SUCCESS$/m);
    assert.match(preview.text, /^ {2}TLS: {7}none \(plain text\)$/m);
    assert.match(preview.text, /^ {2}Timing: {4}connect \d+ ms · EHLO \d+ ms · MAIL \d+ ms · RCPT \d+ ms · DATA \d+ ms · message \d+ ms/m);
    assert.match(preview.text, new RegExp(`^ {2}Sent by: {3}file:///work/welcome\\.smtp, line ${DOT_LINE}$`, 'm'));
    assert.match(preview.text, /^Subject: Linked$/m);
  });

  it('announces a session without a message with why it ended, and hands over its transcript', TIMEOUT, async () => {
    await harness.open('file:///work/hello.smtp', 'S: 220\nC: EHLO app.example\nS: 250\nC: QUIT\nS: 221\n');
    const result = await harness.run({ uri: 'file:///work/hello.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const session = await harness.capturedSessions.next((candidate) => candidate.messageIds.length === 0);
    assert.deepEqual(session.ending, { kind: 'quit', text: 'QUIT without DATA' });
    const transcript = await harness.execute<CapturedSessionTranscriptCommand.Result>(CapturedSessionTranscriptCommand.command, { id: session.id });
    assert.match(transcript.text, /\nC: EHLO app\.example\nS: 250-/);
    await refusal(harness, CapturedSessionTranscriptCommand.command, { id: 'nope' }, /holds no session "nope"/);
    await refusal(harness, CapturedSessionTranscriptCommand.command, {}, /needs "id"/);
  });

  it('links nothing when the 250 came from another server, whatever queue id it names', TIMEOUT, async () => {
    await harness.open('file:///work/other.smtp', `@server = 127.0.0.1:${other.port}\n${DELIVERY}`);
    const result = await harness.run({ uri: 'file:///work/other.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    const step = result.sessions[0].result.steps.find((candidate) => candidate.line === DOT_LINE + 1);
    assert.match(step?.reply?.lines.join('\n') ?? '', /queued as [0-9a-f]{10}/);
    assert.equal(step?.capturedMessageId, undefined);
  });
});
