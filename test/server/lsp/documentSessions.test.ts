// smtp/documentSessions: the sessions of an open document after each change,
// for a test explorer that follows typing without asking — sent only to a
// client that declares experimental.smtp.documentSessions.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DidChangeTextDocumentNotification, PublishDiagnosticsNotification, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { DocumentSessionsNotification } from '../../../server/src/contract/messages';
import { ALL_SMTP_EXTENSIONS, Harness, Queue, TIMEOUT } from './lspHarness';

const URI = 'file:///outline.smtp';

describe('smtp/documentSessions', () => {
  let harness: Harness;
  afterEach(() => harness.dispose());

  it('follows an open document: its sessions with their lines, names and servers, for each version', TIMEOUT, async () => {
    harness = new Harness({}, null);
    await harness.initialize({}, undefined, null, { documentSessions: true });
    await harness.open(URI, ['@server = mx.example.org:25', '### First', 'C: QUIT', 'S: 221'].join('\n'));
    assert.deepEqual(await harness.documentSessions.next(), {
      uri: URI,
      version: 1,
      sessions: [{ index: 0, name: 'First', line: 2, endLine: 4, server: 'mx.example.org:25' }],
    });
    // A second session typed below the first.
    await harness.client.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: URI, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 6 }, end: { line: 3, character: 6 } }, text: '\n\n###\nC: NOOP\nS: 250' }],
    });
    assert.deepEqual(await harness.documentSessions.next(), {
      uri: URI,
      version: 2,
      sessions: [
        { index: 0, name: 'First', line: 2, endLine: 4, server: 'mx.example.org:25' },
        { index: 1, name: null, line: 6, endLine: 8, server: 'mx.example.org:25' },
      ],
    });
  });

  it('is not sent to a client that did not opt in', TIMEOUT, async () => {
    harness = new Harness({}, null);
    const diagnostics = new Queue<PublishDiagnosticsParams>();
    harness.client.onNotification(PublishDiagnosticsNotification.type, (params) => diagnostics.push(params));
    // Every other extension declared, this one not.
    await harness.initialize({}, undefined, null, { ...ALL_SMTP_EXTENSIONS, documentSessions: false });
    await harness.open(URI, '### First\nC: QUIT\nS: 221');
    // The sessions would go out with the diagnostics of the same version.
    assert.equal((await diagnostics.next()).version, 1);
    await harness.client.sendRequest('shutdown');
    assert.ok(!harness.wire.includes(DocumentSessionsNotification.method), 'the server sent smtp/documentSessions unasked');
    assert.deepEqual(harness.documentSessions.all, []);
  });
});
