// LMTP runs from the editor, over a real LSP connection: the replies after the
// data come as step reports (the wire contract), one per recipient accepted at
// RCPT, each naming its recipient and placed on the line an editor draws it on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepReport } from '../../../server/src/contract/messages';
import { lmtpScript, RFC_2033_EXAMPLE } from '../engine/scriptedLmtpServer';
import { startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';
import { Harness, TIMEOUT } from './lspHarness';

/** RFC 2033 §4.2's example: pat delivered, jones refused at RCPT, green over quota after the data. */
const overQuota = (address: string) => (address === 'green@foo.edu' ? '452 4.2.2 <green@foo.edu> is temporarily over quota' : '250 2.0.0 OK delivered');

describe('smtp.lsp.runSession: LMTP, one reply per accepted recipient after the data (RFC 2033 §4.2)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'smtp-lsp-lmtp-'));
  const servers: ScriptedServer[] = [];
  let harness: Harness;

  before(async () => {
    harness = new Harness({}, null);
    await harness.initialize();
  });

  after(async () => {
    await harness.close();
    for (const server of servers) await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Runs RFC 2033's example against `server`, returning the step events after the message, as the wire carries them. */
  async function runExample(uri: string, server: string): Promise<{ ok: boolean; afterData: StepReport[] }> {
    await harness.open(uri, [`@server = ${server}`, ...RFC_2033_EXAMPLE].join('\n'));
    const runId = `run-${uri}`;
    const result = await harness.run({ uri, session: 0, runId });
    const steps = harness.events.all.filter((params) => params.runId === runId).flatMap((params) => (params.event.type === 'step' ? [params.event.step] : []));
    assert.deepEqual(steps, result.sessions[0].result.steps.filter((step) => !step.skipped), 'the step events are the steps of the result that were played');
    return { ok: result.ok, afterData: steps.filter((step) => step.kind === 'data') };
  }

  it('reports each reply after the data with its recipient, the first on the "." line and the next on its S: line (TCP)', TIMEOUT, async () => {
    const server = await startScriptedServer(lmtpScript(['jones@foo.edu'], overQuota));
    servers.push(server);
    // Line 1 is @server: the example's "." is line 17, its replies' S: lines 18 and 19.
    const { ok, afterData } = await runExample('file:///lmtp-tcp.smtp', `127.0.0.1:${server.port}`);
    assert.equal(ok, true);
    assert.deepEqual(afterData.map((step) => [step.line, step.expectedLine, step.reply?.code, step.ok, step.recipient]), [
      [17, 18, 250, true, '<pat@foo.edu>'],
      [19, 19, 452, true, '<green@foo.edu>'],
    ]);
  });

  it('marks a recipient refused after the data although the file expected it deferred as unmet, on that recipient\'s S: line (Unix socket)', TIMEOUT, async () => {
    const socket = join(folder, 'lmtp.sock');
    servers.push(await startScriptedServer(lmtpScript(['jones@foo.edu'], (address) => (address === 'green@foo.edu' ? '550 5.2.1 mailbox disabled' : '250 2.0.0 OK')), socket));
    const { ok, afterData } = await runExample('file:///lmtp-unix.smtp', `unix:${socket}`);
    assert.equal(ok, false);
    assert.deepEqual(afterData.map((step) => [step.line, step.expectedLine, step.reply?.code, step.ok, step.recipient]), [
      [17, 18, 250, true, '<pat@foo.edu>'],
      [19, 19, 550, false, '<green@foo.edu>'],
    ]);
    assert.match(afterData[1].mismatch ?? '', /452.*550|550.*452/);
  });
});
