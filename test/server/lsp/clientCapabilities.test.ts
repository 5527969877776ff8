// The server as an editor other than VS Code sees it: it declares what it
// supports in `initialize`, and the server must rely on nothing else — no
// snippet without snippetSupport, no VS Code command, no refresh request, no
// custom message the client did not opt into (experimental.smtp), settings
// from wherever the client keeps them, and `null` to smtp/secret read as
// "not supported" (Eglot answers unknown requests so).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  CompletionRequest,
  DidChangeConfigurationNotification,
  InlayHintRefreshRequest,
  InlayHintRequest,
  InsertTextFormat,
  PublishDiagnosticsNotification,
  type CompletionItem,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { Harness, Queue, TIMEOUT } from './lspHarness';

const PASSWORD = 'correct horse battery staple';
const AUTH = (port: number) => `@server = 127.0.0.1:${port}\nS: 220\nC: EHLO client.example\nS: 250\nC: AUTH PLAIN {{$authPlain alice {{$secret PASS}}}}\nS: 235\nC: QUIT\nS: 221\n`;

async function completions(harness: Harness, uri: string, line: number, character: number): Promise<CompletionItem[]> {
  const result = await harness.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } });
  return Array.isArray(result) ? result : (result?.items ?? []);
}

function inserted(item: CompletionItem): string {
  const edit = item.textEdit;
  return edit ? edit.newText : (item.insertText ?? item.label);
}

describe('completion and the client\'s snippetSupport', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  const TRANSACTION = 'S: 220\nC: EHLO client.example\nS: 250\nC: MAIL FROM:<a@example.com>\nS: 250\nC: RCPT TO:<b@example.org>\nS: 250\nC: \n';

  it('inserts plain text, one line, without placeholders or VS Code commands, for a client without snippetSupport', TIMEOUT, async () => {
    harness = new Harness({}, null);
    await harness.initialize({}, undefined, null, null);
    await harness.open('file:///plain.smtp', TRANSACTION);
    const verbs = await completions(harness, 'file:///plain.smtp', 7, 3);
    const lineStarts = await completions(harness, 'file:///plain.smtp', 8, 0);
    const items = [...verbs, ...lineStarts];
    assert.ok(verbs.some((item) => item.label === 'DATA'), 'DATA is offered after RCPT');
    for (const item of items) {
      assert.notEqual(item.insertTextFormat, InsertTextFormat.Snippet, `${item.label} is a snippet`);
      assert.doesNotMatch(inserted(item), /\$\{?\d|\n|\0/, `${item.label} inserts ${JSON.stringify(inserted(item))}`);
      assert.equal(item.command, undefined, `${item.label} carries the command ${item.command?.command}`);
    }
    assert.equal(inserted(verbs.find((item) => item.label === 'DATA')!), 'DATA');
    assert.equal(inserted(verbs.find((item) => item.label === 'MAIL')!), 'MAIL FROM:<>');
    assert.equal(inserted(lineStarts.find((item) => item.label === '### ')!), '### Session name');
  });

  it('keeps snippets and the suggestion chain for a client that declares both', TIMEOUT, async () => {
    harness = new Harness({}, null);
    await harness.initialize({ textDocument: { completion: { completionItem: { snippetSupport: true } } } });
    await harness.open('file:///snippets.smtp', TRANSACTION);
    const data = (await completions(harness, 'file:///snippets.smtp', 7, 3)).find((item) => item.label === 'DATA')!;
    assert.equal(data.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(inserted(data), /^DATA\nS: 354.*\nFrom: \$\{1:/s);
    const clientLine = (await completions(harness, 'file:///snippets.smtp', 8, 0)).find((item) => item.label === 'C: ')!;
    assert.equal(clientLine.command?.command, 'editor.action.triggerSuggest');
  });
});

describe('settings from wherever the client keeps them', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());
  const HINTED = 'S: 220\nC: QUIT\nS: 221\n';
  const hints = (uri: string) => harness.client.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });

  function diagnostics(): Queue<PublishDiagnosticsParams> {
    const queue = new Queue<PublishDiagnosticsParams>();
    harness.client.onNotification(PublishDiagnosticsNotification.type, (params) => queue.push(params));
    return queue;
  }

  it('reads initializationOptions.smtp from a client without workspace/configuration', TIMEOUT, async () => {
    harness = new Harness({}, null);
    const published = diagnostics();
    await harness.initialize({}, { smtp: { inlayHints: { enabled: false }, environments: { staging: { relay: 'smtp.example:587' } } } }, null, null);
    await harness.open('file:///init.smtp', '@server = {{relay}}\nS: 220\nC: QUIT\nS: 221\n');
    const { diagnostics: found } = await published.next((params) => params.uri === 'file:///init.smtp');
    assert.deepEqual(found.map((diagnostic) => diagnostic.message), [], 'relay is defined by an environment');
    assert.deepEqual(await hints('file:///init.smtp'), []);
  });

  it('takes didChangeConfiguration\'s payload over initializationOptions, and sends no refresh the client did not declare', TIMEOUT, async () => {
    harness = new Harness({}, null);
    let refreshes = 0;
    harness.client.onRequest(InlayHintRefreshRequest.type, () => void refreshes++);
    const published = diagnostics();
    await harness.initialize({}, { smtp: { inlayHints: { enabled: false } } }, null, null);
    await harness.open('file:///pushed.smtp', HINTED);
    await published.next();
    assert.deepEqual(await hints('file:///pushed.smtp'), []);
    await harness.client.sendNotification(DidChangeConfigurationNotification.type, { settings: { smtp: { inlayHints: { enabled: true } } } });
    // A settings change validates every open document again: wait for it, so nothing is sent after the test.
    await published.next();
    assert.ok(((await hints('file:///pushed.smtp')) ?? []).length > 0, 'hints are on after the payload turned them on');
    assert.equal(refreshes, 0);
    assert.doesNotMatch(harness.wire, /workspace\/inlayHint\/refresh/);
  });

  it('asks a client that declares refreshSupport to refresh its inlay hints', TIMEOUT, async () => {
    harness = new Harness({}, null);
    const refreshed = new Promise<void>((resolve) => harness.client.onRequest(InlayHintRefreshRequest.type, () => resolve()));
    await harness.initialize({ workspace: { inlayHint: { refreshSupport: true } } }, undefined, null, null);
    await harness.client.sendNotification(DidChangeConfigurationNotification.type, { settings: { smtp: { inlayHints: { enabled: false } } } });
    await refreshed;
  });
});

describe('secrets and custom messages for a client that declared no extension', () => {
  let smtp: RunningLocalServer;
  let harness: Harness;

  before(async () => {
    smtp = await startLocalServer({ port: 0, tls: 'none', users: [{ user: 'alice', pass: PASSWORD }] });
  });
  after(async () => {
    await smtp.close();
  });
  afterEach(() => harness.dispose());

  it('never asks smtp/secret of it, nor sends it smtp/sessionEvent: the secret comes from SMTP_SECRET_PASS', TIMEOUT, async () => {
    harness = new Harness({ sessions: { env: { SMTP_SECRET_PASS: PASSWORD } } }, () => ({ value: 'the wrong password' }));
    await harness.initialize({}, undefined, null, null);
    await harness.open('file:///env.smtp', AUTH(smtp.port));
    const result = await harness.run({ uri: 'file:///env.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(harness.secretRequests, []);
    assert.doesNotMatch(harness.wire, /smtp\/(sessionEvent|secret|localServerStatus|capturedMessage)/);
    assert.ok(!harness.wire.includes(PASSWORD));
  });

  it('reads the environment when a client that declared smtp/secret answers null, as Eglot does for requests it does not know', TIMEOUT, async () => {
    harness = new Harness({ sessions: { env: { PASS: PASSWORD } } }, () => null as never);
    await harness.initialize({});
    await harness.open('file:///null.smtp', AUTH(smtp.port));
    const result = await harness.run({ uri: 'file:///null.smtp' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(harness.secretRequests.length, 1);
  });

  it('names both environment variables when neither is set', TIMEOUT, async () => {
    harness = new Harness({ sessions: { env: {} } }, null);
    await harness.initialize({}, undefined, null, null);
    await harness.open('file:///missing.smtp', AUTH(smtp.port));
    const result = await harness.run({ uri: 'file:///missing.smtp' });
    assert.equal(result.ok, false);
    assert.match(result.sessions[0].result.error?.message ?? '', /\{\{\$secret PASS\}\}: .*neither environment variable SMTP_SECRET_PASS or PASS is set/);
  });
});
