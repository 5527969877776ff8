import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runToJson, runToText } from '../../../server/src/cli/formatRun';
import type { FileRun } from '../../../server/src/cli/runFiles';
import { summarize } from '../../../server/src/cli/runSummary';
import { playSession, type SessionResult } from '../../../server/src/engine/playSession';
import { recipientSummary } from '../../../server/src/run/recipientSummary';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { lmtpScript, RFC_2033_EXAMPLE } from '../engine/scriptedLmtpServer';
import { noSecrets, startScriptedServer, type ScriptedConnection, type ScriptedServer } from '../engine/scriptedServer';

// LMTP answers the end of a message once per recipient accepted at RCPT (RFC 2033 §4.2): what
// became of a recipient is that reply's, not the RCPT's — accepted at RCPT, over quota after the data.

const servers: ScriptedServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

async function play(transcript: string[], script: (connection: ScriptedConnection) => Promise<void>): Promise<SessionResult> {
  const server = await startScriptedServer(script);
  servers.push(server);
  const file = parseTranscript(transcript.join('\n'));
  return playSession(file, file.sessions[0], { filePath: '/tmp/lmtp.smtp', server: `127.0.0.1:${server.port}`, secrets: noSecrets, timeoutSeconds: 5 });
}

function report(result: SessionResult) {
  const files: FileRun[] = [{ file: 'lmtp.smtp', error: null, sessions: [{ result, ms: 1 }], notPlayed: [], startedAt: new Date(0), ms: 1, transcript: null, inputs: { environment: [], files: [] } }];
  return { files, summary: summarize(files, 1), ok: result.ok };
}

const TIMEOUT = { timeout: 15_000 };

describe('recipientSummary: LMTP, each recipient by its reply after the data (RFC 2033 §4.2)', () => {
  it('reports the delivery reply of each recipient accepted at RCPT, on its S: line, and the RCPT reply of one refused there', TIMEOUT, async () => {
    const result = await play(RFC_2033_EXAMPLE, lmtpScript(['jones@foo.edu'], (address) => (address === 'green@foo.edu' ? '452 4.2.2 <green@foo.edu> is temporarily over quota' : '250 2.0.0 OK delivered')));
    assert.equal(result.error, null, JSON.stringify(result.error));
    const [transaction] = recipientSummary(result);
    assert.deepEqual(transaction.recipients.map(({ address, line, code, outcome, delivery }) => [address, line, code, outcome, delivery]), [
      ['<pat@foo.edu>', 7, 250, 'accepted', { line: 17, code: 250, enhanced: '2.0.0' }],
      ['<jones@foo.edu>', 9, 550, 'refused', undefined],
      ['<green@foo.edu>', 11, 250, 'deferred', { line: 18, code: 452, enhanced: '4.2.2' }],
    ]);
    assert.match(runToText(report(result), false), /^# recipients of MAIL FROM:<chris@bar\.com> \(line 5\): <pat@foo\.edu> accepted at delivery \(250 2\.0\.0, line 17\), <jones@foo\.edu> refused \(550 5\.1\.1\), <green@foo\.edu> deferred at delivery \(452 4\.2\.2, line 18\)$/m);
  });

  it('shows a recipient accepted at RCPT and refused after the data as refused, in the text and the JSON', TIMEOUT, async () => {
    const result = await play(
      ['C: LHLO client.example', 'C: MAIL FROM:<a@client.example>', 'C: RCPT TO:<b@foo.edu>', 'C: RCPT TO:<c@foo.edu>', 'C: DATA', 'Subject: x', '', 'hello', '.', 'C: QUIT'],
      lmtpScript([], (address) => (address === 'c@foo.edu' ? '550 5.2.2 <c@foo.edu> mailbox full' : '250 2.0.0 OK')),
    );
    assert.equal(result.error, null, JSON.stringify(result.error));
    // No S: lines written: the first reply is the message's own step (its "." line), the next is placed on its RCPT's line.
    assert.match(runToText(report(result), false), /^# recipients of MAIL FROM:<a@client\.example> \(line 2\): <b@foo\.edu> accepted at delivery \(250 2\.0\.0, line 9\), <c@foo\.edu> refused at delivery \(550 5\.2\.2, line 4\)$/m);
    const json = JSON.parse(runToJson(report(result)));
    assert.deepEqual(json.files[0].sessions[0].transactions[0].recipients.map((r: { address: string; code: number; outcome: string; delivery: unknown }) => [r.address, r.code, r.outcome, r.delivery]), [
      ['<b@foo.edu>', 250, 'accepted', { line: 9, code: 250, enhanced: '2.0.0' }],
      ['<c@foo.edu>', 250, 'refused', { line: 4, code: 550, enhanced: '5.2.2' }],
    ]);
  });

  it('says a recipient is unanswered when the server closed before its reply after the data', TIMEOUT, async () => {
    const result = await play(
      ['C: LHLO client.example', 'C: MAIL FROM:<a@client.example>', 'C: RCPT TO:<b@foo.edu>', 'C: RCPT TO:<c@foo.edu>', 'C: DATA', 'hello', '.'],
      async (c) => {
        c.send('220 foo.edu LMTP\r\n');
        await c.line();
        c.send('250 foo.edu\r\n');
        for (const answer of ['250 OK', '250 OK', '250 OK', '354 go ahead']) {
          await c.line();
          c.send(`${answer}\r\n`);
        }
        await c.body();
        c.send('250 2.0.0 OK\r\n');
        c.socket.end();
      },
    );
    assert.notEqual(result.error, null, 'the server closed before the second reply');
    const [transaction] = recipientSummary(result);
    assert.deepEqual(transaction.recipients.map(({ address, outcome, delivery }) => [address, outcome, delivery]), [
      ['<b@foo.edu>', 'accepted', { line: 7, code: 250, enhanced: '2.0.0' }],
      ['<c@foo.edu>', 'unanswered', null],
    ]);
  });

  it('keeps SMTP\'s summary from the RCPT replies: one reply for the message says nothing per recipient', TIMEOUT, async () => {
    const result = await play(
      ['C: EHLO client.example', 'C: MAIL FROM:<a@client.example>', 'C: RCPT TO:<b@foo.edu>', 'C: DATA', 'hello', '.', 'C: QUIT'],
      async (c) => {
        c.send('220 foo.edu ESMTP\r\n');
        for (const answer of ['250 foo.edu', '250 OK', '250 OK', '354 go ahead']) {
          await c.line();
          c.send(`${answer}\r\n`);
        }
        await c.body();
        c.send('550 5.7.1 message refused\r\n');
        await c.line();
        c.send('221 bye\r\n');
      },
    );
    const [transaction] = recipientSummary(result);
    assert.deepEqual(transaction.recipients.map(({ address, outcome, delivery }) => [address, outcome, delivery]), [['<b@foo.edu>', 'accepted', undefined]]);
  });
});
