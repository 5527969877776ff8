// The guard before real mail over a real LSP connection: a run whose session
// goes to a host that is neither loopback nor the embedded server asks the
// client first — smtp/confirmRemoteRun for a client that opted in,
// window/showMessageRequest for one that shows messages, and a refusal that
// says how to allow it for one that can do neither. The "remote" server is a
// scripted one on this machine's own network address (test/server/remoteAddress.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RequestType, ShowMessageRequest, type ShowMessageRequestParams } from 'vscode-languageserver/node';
import { ConfirmRemoteRunRequest, type RunSessionCommand } from '../../../server/src/contract/messages';
import { answerEverything, startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';
import { nonLoopbackAddress, NO_REMOTE_ADDRESS } from '../remoteAddress';
import { ALL_SMTP_EXTENSIONS, Harness, TIMEOUT } from './lspHarness';

const confirmRequest = new RequestType<ConfirmRemoteRunRequest.Params, ConfirmRemoteRunRequest.Result, void>(ConfirmRemoteRunRequest.method);
const PASSWORD = 'remote-guard-password';
/** Another editor: it answers smtp/secret but has no dialog of its own for the remote-run question. */
const WITHOUT_CONFIRM_REQUEST = { ...ALL_SMTP_EXTENSIONS, confirmRemoteRun: false };

function remoteFile(host: string, port: number): string {
  return [
    `@server = ${host}:${port}`,
    '@allow-plaintext-auth = true',
    '### Deliver',
    'S: 220',
    'C: EHLO client.example',
    'S: 250',
    'C: AUTH PLAIN {{$authPlain alice {{$secret PASS}}}}',
    'S: 235',
    'C: MAIL FROM:<alice@example.com>',
    'S: 250',
    'C: RCPT TO:<bob@example.org>',
    'S: 250',
    'C: DATA',
    'S: 354',
    'Subject: hi',
    '',
    'Hello.',
    '.',
    'S: 250',
    'C: QUIT',
    'S: 221',
  ].join('\n');
}

describe('the guard before real mail (smtp/confirmRemoteRun)', { skip: NO_REMOTE_ADDRESS }, () => {
  const host = nonLoopbackAddress() ?? '';
  let remote: ScriptedServer;
  let harness: Harness;
  const asked: ConfirmRemoteRunRequest.Params[] = [];
  let decision: ConfirmRemoteRunRequest.Result['decision'] = 'cancel';
  const uri = 'file:///remote.smtp';

  before(async () => {
    remote = await startScriptedServer(answerEverything, host);
    harness = new Harness({}, () => ({ value: PASSWORD }));
    harness.client.onRequest(confirmRequest, (params) => {
      asked.push(params);
      return { decision };
    });
    await harness.initialize();
    await harness.open(uri, remoteFile(host, remote.port));
  });

  after(async () => {
    // Shut down first: the embedded server a local run started stops with it.
    await harness.close();
    await remote.close();
  });

  it('asks before connecting, naming the host, the message, the recipient and AUTH; "no" sends nothing', TIMEOUT, async () => {
    const result = await harness.run({ uri, runId: 'declined' });
    assert.equal(result.declined, true);
    assert.equal(result.cancelled, true);
    assert.deepEqual(result.sessions, []);
    assert.deepEqual(asked, [{
      uri,
      always: false,
      deliveries: [{ host, port: remote.port, sessions: [0], messages: 1, recipients: ['<bob@example.org>'], auth: true }],
      question: `This run goes to a server that is not on this machine — ${host}:${remote.port}: 1 message to <bob@example.org>, with AUTH (your credentials go to this server).`,
    }]);
    assert.equal(remote.connections.length, 0, 'nothing connected');
    assert.equal(harness.secretRequests.length, 0, 'no secret was asked for');
  });

  it('runs once the user says so, binds the secret to that host, and does not ask again in this window', TIMEOUT, async () => {
    decision = 'run';
    const first = await harness.run({ uri, runId: 'confirmed' });
    assert.equal(first.ok, true, JSON.stringify(first.sessions[0]?.result.error));
    assert.equal(asked.length, 2);
    assert.deepEqual(harness.secretRequests.map((request) => request.host), [host]);
    decision = 'cancel';
    const second = await harness.run({ uri, runId: 'again' });
    assert.equal(second.ok, true, 'a host confirmed once in this window is not asked about again');
    assert.equal(asked.length, 2);
  });

  it('asks again on a run that says confirm: "always" (an environment\'s "$confirm": "always")', TIMEOUT, async () => {
    decision = 'cancel';
    const result = await harness.run({ uri, runId: 'always', confirm: 'always' });
    assert.equal(result.declined, true);
    assert.equal(asked.at(-1)?.always, true);
  });

  it('never asks about the embedded server or a loopback host', TIMEOUT, async () => {
    const before = asked.length;
    const local = await harness.run({ uri, runId: 'local', local: true, session: 0 } satisfies RunSessionCommand.Params);
    assert.equal(local.declined, undefined);
    assert.equal(asked.length, before);
  });
});

describe('the guard for other editors', { skip: NO_REMOTE_ADDRESS }, () => {
  const host = nonLoopbackAddress() ?? '';
  let remote: ScriptedServer;

  before(async () => {
    remote = await startScriptedServer(answerEverything, host);
  });

  after(() => remote.close());

  it('asks with window/showMessageRequest when the client shows messages, and runs on "Run"', TIMEOUT, async () => {
    const harness = new Harness({}, () => ({ value: PASSWORD }));
    try {
      const shown: ShowMessageRequestParams[] = [];
      harness.client.onRequest(ShowMessageRequest.type, (params) => {
        shown.push(params);
        return params.actions?.find((action) => action.title === 'Run') ?? null;
      });
      await harness.initialize({ window: { showMessage: {} } }, undefined, null, WITHOUT_CONFIRM_REQUEST);
      const uri = 'file:///other-editor.smtp';
      await harness.open(uri, remoteFile(host, remote.port));
      const result = await harness.run({ uri });
      assert.equal(result.ok, true, JSON.stringify(result.sessions[0]?.result.error));
      assert.equal(shown.length, 1);
      assert.match(shown[0].message, new RegExp(`${host.replace(/\./g, '\\.')}:${remote.port}: 1 message to <bob@example\\.org>, with AUTH`));
      assert.deepEqual(shown[0].actions?.map((action) => action.title), ['Run', 'Cancel']);
    } finally {
      await harness.close();
    }
  });

  it('refuses, saying how to allow it, when the client can ask neither way', TIMEOUT, async () => {
    const harness = new Harness({}, () => ({ value: PASSWORD }));
    try {
      await harness.initialize({}, undefined, null, WITHOUT_CONFIRM_REQUEST);
      const uri = 'file:///plain-client.smtp';
      await harness.open(uri, remoteFile(host, remote.port));
      const connectionsBefore = remote.connections.length;
      await assert.rejects(harness.run({ uri }), (error: Error) => {
        assert.match(error.message, /1 message to <bob@example\.org>, with AUTH/);
        assert.match(error.message, /Nothing was sent/);
        assert.match(error.message, /smtp\.confirmRemoteRuns to false/);
        return true;
      });
      assert.equal(remote.connections.length, connectionsBefore);
    } finally {
      await harness.close();
    }
  });

  it('runs without asking when smtp.confirmRemoteRuns is false (here in initializationOptions.smtp)', TIMEOUT, async () => {
    const harness = new Harness({}, () => ({ value: PASSWORD }));
    try {
      await harness.initialize({}, { smtp: { confirmRemoteRuns: false } }, null, WITHOUT_CONFIRM_REQUEST);
      const uri = 'file:///guard-off.smtp';
      await harness.open(uri, remoteFile(host, remote.port));
      const result = await harness.run({ uri });
      assert.equal(result.ok, true, JSON.stringify(result.sessions[0]?.result.error));
    } finally {
      await harness.close();
    }
  });
});
