// smtp-session load's engine: one session played over and over on several
// connections against the embedded server and scripted ones; what it counts,
// and that what it keeps does not grow with the number of sessions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { runLoad, type LoadRequest } from '../../../server/src/run/loadTest';
import { RunRequestError } from '../../../server/src/run/selectSessions';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';

const DELIVERY = [
  '### Deliver', 'S: 220', 'C: EHLO load.test', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
  'C: DATA', 'S: 354', 'Subject: load', '', 'hello', '.', 'S: 250', 'C: QUIT', 'S: 221',
];

let capture: RunningLocalServer;
let refusing: ScriptedServer;
before(async () => {
  capture = await startLocalServer({ port: 0 });
  // Refuses every second recipient it is sent, counting across connections.
  let recipients = 0;
  refusing = await startScriptedServer(async (connection) => {
    await greetAndEhlo(connection);
    for (;;) {
      const line = await connection.line();
      if (/^QUIT/i.test(line)) return void connection.send('221 bye\r\n');
      if (/^RCPT/i.test(line)) connection.send(recipients++ % 2 === 0 ? '250 ok\r\n' : '550 5.1.1 no such user\r\n');
      else if (/^DATA/i.test(line)) {
        connection.send('354 go\r\n');
        await connection.body();
        connection.send('250 queued\r\n');
      } else connection.send('250 ok\r\n');
    }
  });
});
after(async () => {
  await capture.close();
  await refusing.close();
});

function request(lines: string[], overrides: Partial<LoadRequest> = {}): LoadRequest {
  return {
    file: parseTranscript(lines.join('\n')), filePath: 'load.smtp', workspaceRoot: process.cwd(), session: { kind: 'all' }, server: null, local: false, variables: null,
    connections: 4, count: 40, durationSeconds: null, rate: null, insecure: false, timeoutSeconds: 5,
    secrets: { secret: async () => 'unused', prompt: async () => 'unused' }, signal: new AbortController().signal,
    captureServer: async () => capture, ...overrides,
  };
}

describe('runLoad', () => {
  it('plays the session COUNT times over C connections, and counts replies by code, messages and latency per step kind', { timeout: 30_000 }, async () => {
    const heard: number[] = [];
    const report = await runLoad(request(DELIVERY), (progress) => heard.push(progress.finished));
    assert.deepEqual(report.sessions, { finished: 40, passed: 40, failed: 0, errored: 0 });
    assert.equal(report.messages, 40);
    assert.equal(report.connections, 4);
    assert.deepEqual(report.replies, { 220: 40, 221: 40, 250: 160, 354: 40 });
    assert.deepEqual(Object.keys(report.latency).sort(), ['command', 'data', 'greeting', 'session']);
    assert.equal(report.latency.command.count, 200);
    for (const latency of Object.values(report.latency)) assert.ok(latency.p50 <= latency.p95 && latency.p95 <= latency.p99 && latency.p99 <= latency.max, JSON.stringify(latency));
    assert.ok(report.sessionsPerSecond > 0 && report.messagesPerSecond === report.sessionsPerSecond);
    assert.deepEqual(report.errors, {});
    assert.equal(heard.at(-1), 40, 'the last progress report counts every session');
  });

  it('counts unmet expectations and sessions that could not run by kind, with examples', { timeout: 30_000 }, async () => {
    const refused = await runLoad(request(['@server = 127.0.0.1:' + refusing.port, ...DELIVERY], { count: 10, connections: 2 }));
    assert.equal(refused.sessions.passed + refused.sessions.failed, 10);
    assert.equal(refused.errors.expectation, refused.sessions.failed);
    assert.ok(refused.sessions.failed >= 1 && refused.replies[550] >= 1);
    assert.match(refused.examples[0], /expected 250, got 550 5\.1\.1/);
    const unreachable = await runLoad(request(['@server = 127.0.0.1:1', ...DELIVERY], { count: 6, connections: 3 }));
    assert.deepEqual([unreachable.sessions.errored, unreachable.errors], [6, { connection: 6 }]);
    assert.match(unreachable.examples[0], /Could not connect to 127\.0\.0\.1:1/);
  });

  it('keeps to --rate, stops at --duration, and keeps the same few counters however many sessions it plays', { timeout: 30_000 }, async () => {
    const paced = await runLoad(request(DELIVERY, { count: 6, connections: 6, rate: 10 }));
    assert.ok(paced.elapsedMs >= 450, `6 sessions at 10/s took ${paced.elapsedMs} ms`);
    const timed = await runLoad(request(DELIVERY, { count: null, durationSeconds: 0.5, connections: 2 }));
    assert.ok(timed.sessions.finished >= 1 && timed.elapsedMs < 5000, JSON.stringify(timed.sessions));
    const small = await runLoad(request(DELIVERY, { count: 10 }));
    const large = await runLoad(request(DELIVERY, { count: 100 }));
    const size = (report: object) => JSON.stringify({ ...report, elapsedMs: 0 }).length;
    assert.ok(Math.abs(size(large) - size(small)) < 64, `the report grew from ${size(small)} to ${size(large)} characters`);
  });

  it('needs one session: a file with several without --session is refused before anything is sent', async () => {
    await assert.rejects(runLoad(request([...DELIVERY, '### Other', 'S: 220', 'C: QUIT', 'S: 221'])), (error: unknown) => error instanceof RunRequestError && /load repeats one session, and the file has 2: choose one with --session N\|NAME \(1 \(Deliver\), 2 \(Other\)\)/.test(error.message));
    const chosen = await runLoad(request([...DELIVERY, '### Other', 'S: 220', 'C: QUIT', 'S: 221'], { session: { kind: 'typed', text: 'Other' }, count: 3 }));
    assert.deepEqual(chosen.replies, { 220: 3, 221: 3 });
  });
});
