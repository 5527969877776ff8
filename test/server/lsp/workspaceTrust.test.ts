// Restricted Mode over a real LSP connection: a client that says the workspace
// is not trusted still gets diagnostics, hover and outline, but every session's
// lens offers trust instead of a run, and the server itself refuses to run or
// to start the local server — until the client says trust was granted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeLensRefreshRequest,
  CodeLensRequest,
  DocumentSymbolRequest,
  HoverRequest,
  NotificationType,
  PublishDiagnosticsNotification,
  type CodeLens,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { RunSessionCommand, StartLocalServerCommand, TRUST_WORKSPACE_COMMAND, WorkspaceTrustNotification } from '../../../server/src/contract/messages';
import { Harness, Queue, TIMEOUT } from './lspHarness';

const trustNotification = new NotificationType<WorkspaceTrustNotification.Params>(WorkspaceTrustNotification.method);
const uri = 'file:///untrusted.smtp';
const TEXT = ['### Send', '@server = 127.0.0.1:9', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250', 'C: QUIT', 'S: 221'].join('\n');

describe('a workspace that is not trusted (initializationOptions.workspaceTrusted = false)', () => {
  let harness: Harness;
  const diagnostics = new Queue<PublishDiagnosticsParams>();
  let refreshes = 0;

  before(async () => {
    harness = new Harness({}, () => ({ value: 'never asked' }));
    harness.client.onNotification(PublishDiagnosticsNotification.type, (params) => diagnostics.push(params));
    harness.client.onRequest(CodeLensRefreshRequest.method, () => {
      refreshes += 1;
      return null;
    });
    await harness.initialize({ workspace: { codeLens: { refreshSupport: true } } }, { workspaceTrusted: false });
    await harness.open(uri, TEXT);
  });

  after(() => harness.close());

  const lenses = () => harness.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as Promise<CodeLens[]>;

  it('still checks, explains and outlines the file', TIMEOUT, async () => {
    const published = await diagnostics.next((params) => params.uri === uri);
    assert.ok(published.diagnostics.some((diagnostic) => /RCPT/.test(typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value)), 'RCPT before MAIL is reported');
    const hover = await harness.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 5, character: 4 } });
    assert.match(JSON.stringify(hover?.contents), /RCPT/);
    const symbols = await harness.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    assert.equal(symbols?.length, 1);
  });

  it('offers trust on each session instead of the run buttons', TIMEOUT, async () => {
    assert.deepEqual((await lenses()).map((lens) => [lens.command?.title, lens.command?.command]), [['Trust this workspace to run', TRUST_WORKSPACE_COMMAND]]);
  });

  it('refuses to run or to start the local server, saying why and what to do', TIMEOUT, async () => {
    await assert.rejects(harness.run({ uri }), /Running sessions is off in Restricted Mode: this workspace is not trusted.*Trust the workspace/);
    await assert.rejects(harness.execute(StartLocalServerCommand.command, {}), /Starting the local server is off in Restricted Mode/);
    assert.equal(harness.secretRequests.length, 0);
    assert.ok(!harness.events.all.some((event) => event.uri === uri), 'no session event: nothing started');
  });

  it('runs once trust is granted, with the run buttons back and the lenses refreshed', TIMEOUT, async () => {
    await harness.client.sendNotification(trustNotification, { trusted: true });
    assert.deepEqual((await lenses()).map((lens) => lens.command?.title), ['▶ Run session', 'Run against local server', 'Record']);
    assert.equal(refreshes, 1);
    // Port 9 (discard) on loopback: nothing listens, so the run gets as far as connecting.
    const result = await harness.run({ uri, timeoutSeconds: 5 } satisfies RunSessionCommand.Params);
    assert.equal(result.sessions.length, 1);
    assert.match(result.sessions[0].result.error?.message ?? '', /127\.0\.0\.1:9/);
  });
});

describe('a client that says nothing about trust', () => {
  it('is trusted: the run buttons show', TIMEOUT, async () => {
    const harness = new Harness({}, null);
    try {
      await harness.initialize();
      await harness.open(uri, TEXT);
      const lenses = await harness.client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }) as CodeLens[];
      assert.equal(lenses[0].command?.command, RunSessionCommand.command);
    } finally {
      await harness.close();
    }
  });
});
