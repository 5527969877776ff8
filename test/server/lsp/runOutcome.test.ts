// A run's outcome as an editor without the extension's messages sees it:
// window/showMessage with a summary, diagnostics on the lines concerned
// that follow the session and go when it is edited, and each value captured
// from a reply as an inlay hint on its @ line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  InlayHintRequest,
  MessageType,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
} from 'vscode-languageserver/node';
import { ClearRunResultsCommand } from '../../../server/src/contract/messages';
import { RUN_DIAGNOSTIC_SOURCE } from '../../../server/src/lsp/runOutcome';
import { Harness, Queue, TIMEOUT } from './lspHarness';

const URI = 'file:///outcome.smtp';
/** Delivers a message to the embedded server and takes its queue id from the reply (line 14, 0-based 13). */
const CAPTURE = ['### Captured', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', 'Subject: hi', '', '.', 'S: 250', '@qid = {{$reply /queued as (\\S+)/}}', 'C: QUIT', 'S: 221'];
const WHOLE_FILE = { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } };

/** The run's queue id, as the end of data's reply said it. */
function queueId(result: Awaited<ReturnType<Harness['run']>>): string {
  return /queued as (\S+)/.exec(result.sessions[0].result.steps.find((step) => step.kind === 'data')!.reply!.lines[0])![1];
}

const SESSION = ['### Refused', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 550 5.1.1', 'C: QUIT', 'S: 221'];

describe('a run\'s outcome in standard LSP (a client without experimental.smtp)', () => {
  let harness: Harness;
  const messages = new Queue<ShowMessageParams>();
  const published = new Queue<PublishDiagnosticsParams>();
  const runDiagnostics = (params: PublishDiagnosticsParams) => params.diagnostics.filter((diagnostic) => diagnostic.source === RUN_DIAGNOSTIC_SOURCE);

  before(async () => {
    // In a child process: the embedded server the run starts goes with it.
    harness = new Harness('process', null);
    harness.client.onNotification(ShowMessageNotification.type, (params) => messages.push(params));
    harness.client.onNotification(PublishDiagnosticsNotification.type, (params) => published.push(params));
    await harness.initialize({}, { smtp: { localServer: { port: 0 } } }, null, null);
    await harness.open(URI, SESSION.join('\n'));
  });
  after(() => harness.dispose());

  it('shows a summary naming the first unmet expectation, and an error on its S: line', TIMEOUT, async () => {
    const result = await harness.run({ uri: URI, session: 0 });
    assert.equal(result.ok, false);
    const message = await messages.next();
    assert.equal(message.type, MessageType.Error);
    assert.match(message.message, /^SMTP: 1 session: 0 passed, 1 failed — line 8: expected 550 5\.1\.1, got 250/);
    const params = await published.next((candidate) => runDiagnostics(candidate).length > 0);
    const [diagnostic] = runDiagnostics(params);
    assert.equal(diagnostic.range.start.line, 7);
    assert.match(typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value, /expected 550 5\.1\.1, got 250/);
    assert.doesNotMatch(harness.wire, /smtp\/sessionEvent/);
  });

  it('moves the diagnostic with its session when a line is added above, and drops it when the session is edited', TIMEOUT, async () => {
    await harness.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 2 }, contentChanges: [{ text: ['# a comment', ...SESSION].join('\n') }] });
    const moved = await published.next((params) => params.version === 2);
    assert.deepEqual(runDiagnostics(moved).map((diagnostic) => diagnostic.range.start.line), [8]);
    await harness.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version: 3 }, contentChanges: [{ text: ['# a comment', ...SESSION.slice(0, -3), 'S: 250', 'C: QUIT', 'S: 221'].join('\n') }] });
    const edited = await published.next((params) => params.version === 3);
    assert.deepEqual(runDiagnostics(edited), []);
  });

  it('says all passed, with no run diagnostic, when every expectation held', TIMEOUT, async () => {
    const result = await harness.run({ uri: URI, session: 0 });
    assert.equal(result.ok, true, JSON.stringify(result.sessions[0].result.error));
    const message = await messages.next();
    assert.deepEqual(message, { type: MessageType.Info, message: 'SMTP: 1 session: 1 passed, 0 failed' });
  });

  it('shows a value captured from a reply as an inlay hint at the end of its @ line, once a run took it', TIMEOUT, async () => {
    const uri = 'file:///captured.smtp';
    await harness.open(uri, CAPTURE.join('\n'));
    const captured = async () => ((await harness.client.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: WHOLE_FILE })) ?? []).filter((hint) => String(hint.label).startsWith('captured'));
    assert.deepEqual(await captured(), [], 'nothing before a run');
    const result = await harness.run({ uri, session: 0 });
    assert.equal(result.ok, true, JSON.stringify(result.sessions[0].result));
    await messages.next();
    const [hint, ...more] = await captured();
    assert.deepEqual(more, []);
    assert.deepEqual([hint.label, hint.position], [`captured ${queueId(result)}`, { line: 14, character: CAPTURE[14].length }]);
  });
});

describe('a run\'s diagnostics in a client that shows runs from smtp/sessionEvent (VS Code)', () => {
  let harness: Harness;
  let folder: string;
  const published = new Queue<PublishDiagnosticsParams>();
  const runLines = (params: PublishDiagnosticsParams) => params.diagnostics.filter((diagnostic) => diagnostic.source === RUN_DIAGNOSTIC_SOURCE).map((diagnostic) => diagnostic.range.start.line);

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'smtp-outcome-'));
    harness = new Harness('process', null);
    harness.client.onNotification(PublishDiagnosticsNotification.type, (params) => published.push(params));
    // Every experimental.smtp capability, as VS Code's client declares them.
    await harness.initialize({}, { smtp: { localServer: { port: 0 } } });
  });
  after(() => {
    harness.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes them as it does to any editor (VS Code\'s Problems shows the server\'s), without the summary message', TIMEOUT, async () => {
    const messages: ShowMessageParams[] = [];
    harness.client.onNotification(ShowMessageNotification.type, (params) => {
      messages.push(params);
    });
    await harness.open(URI, SESSION.join('\n'));
    const result = await harness.run({ uri: URI, session: 0 });
    assert.equal(result.ok, false);
    const params = await published.next((candidate) => candidate.uri === URI && runLines(candidate).length > 0);
    assert.deepEqual(runLines(params), [7]);
    const [diagnostic] = params.diagnostics.filter((candidate) => candidate.source === RUN_DIAGNOSTIC_SOURCE);
    // The reply as it came, as VS Code's inline result shows it.
    assert.match(typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value, /^expected 550 5\.1\.1, got 250 2\.1\.5 /);
    assert.deepEqual(messages, [], 'the extension shows the outcome inline and in the Test Explorer: no pop-up as well');
  });

  it('leaves captured values to the client: no inlay hint for them (it draws its own)', TIMEOUT, async () => {
    const uri = 'file:///captured-vscode.smtp';
    await harness.open(uri, CAPTURE.join('\n'));
    const result = await harness.run({ uri, session: 0 });
    assert.equal(result.ok, true, JSON.stringify(result.sessions[0].result));
    assert.ok(queueId(result));
    const hints = (await harness.client.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: WHOLE_FILE })) ?? [];
    assert.ok(hints.length > 0, 'the reply hints are there');
    assert.deepEqual(hints.filter((hint) => String(hint.label).startsWith('captured')), []);
  });

  it('keeps them when the document closes, and drops them on Clear Results (smtp.lsp.clearRunResults)', TIMEOUT, async () => {
    await harness.client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: URI } });
    const closed = await published.next((candidate) => candidate.uri === URI);
    assert.deepEqual(runLines(closed), [7]);
    assert.equal(closed.diagnostics.length, 1, 'the analysis\'s diagnostics go with the closed document');
    const answer = await harness.execute<ClearRunResultsCommand.Result>(ClearRunResultsCommand.command, { uri: URI });
    assert.deepEqual(answer, { cleared: 1 });
    const cleared = await published.next((candidate) => candidate.uri === URI);
    assert.deepEqual(cleared.diagnostics, []);
  });

  it('publishes them for a file run from disk (a Test Explorer run of a file no editor has open)', TIMEOUT, async () => {
    const path = join(folder, 'closed.smtp');
    writeFileSync(path, ['# not open', ...SESSION].join('\n'));
    const uri = pathToFileURL(path).toString();
    await harness.run({ uri });
    const params = await published.next((candidate) => candidate.uri === uri);
    assert.deepEqual(runLines(params), [8]);
    assert.deepEqual(await harness.execute<ClearRunResultsCommand.Result>(ClearRunResultsCommand.command, {}), { cleared: 1 });
    assert.deepEqual((await published.next((candidate) => candidate.uri === uri)).diagnostics, []);
  });
});
