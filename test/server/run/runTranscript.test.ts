// The one run path, against real servers: the embedded capture server
// (smtp-server, in-process) and a scripted one standing for "a server the
// file names".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import type { SessionEvent } from '../../../server/src/engine/playSession';
import { runTranscript, type RunRequest } from '../../../server/src/run/runTranscript';
import { RunRequestError } from '../../../server/src/run/selectSessions';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import { answerEverything, startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';

const PASSWORD = 'run-path-secret-7731';

let folder: string;
let capture: RunningLocalServer;
let named: ScriptedServer;
before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-run-'));
  capture = await startLocalServer({ port: 0 });
  named = await startScriptedServer((connection) => answerEverything(connection, ['PIPELINING']));
});
after(async () => {
  await capture.close();
  await named.close();
  rmSync(folder, { recursive: true, force: true });
});

function transcript(): string {
  return [
    '### To the capture server',
    'S: 220 *',
    'C: EHLO client.test',
    'S: 250 *',
    'C: MAIL FROM:<a@example.com>',
    'S: 250 *',
    'C: RCPT TO:<b@example.com>',
    'S: 250 *',
    'C: DATA',
    'S: 354 *',
    'C: Subject: {{$secret PASS}} and {{$secret PASS}}',
    'C:',
    'C: hello',
    'C: .',
    'S: 250 *',
    'C: QUIT',
    'S: 221 *',
    '',
    '### To the server it names',
    `@server = 127.0.0.1:${named.port}`,
    'S: 220 *',
    'C: EHLO client.test',
    'S: 250 *',
    'C: QUIT',
    'S: 221 *',
  ].join('\n');
}

function request(overrides: Partial<RunRequest> = {}): { request: RunRequest; asked: string[]; captureStarts: () => number } {
  const asked: string[] = [];
  let starts = 0;
  return {
    asked,
    captureStarts: () => starts,
    request: {
      file: parseTranscript(transcript()),
      filePath: join(folder, 'run.smtp'),
      workspaceRoot: folder,
      sessions: { kind: 'all' },
      server: null,
      local: false,
      variables: null,
      insecure: false,
      timeoutSeconds: 5,
      secrets: {
        secret: async (name) => {
          asked.push(name);
          return PASSWORD;
        },
        prompt: async () => 'unused',
      },
      signal: new AbortController().signal,
      recording: null,
      captureServer: async () => {
        starts++;
        return capture;
      },
      ...overrides,
    },
  };
}

describe('runTranscript: the one run path for the CLI and the language server', () => {
  it('plays the selected sessions in order, each where it belongs, and tells the observer as it goes', async () => {
    const { request: run, asked, captureStarts } = request();
    const heard: string[] = [];
    const outcome = await runTranscript(run, {
      runStarting: (indexes) => void heard.push(`starting ${indexes.join(',')}`),
      sessionStarted: ({ index, position, count }) => void heard.push(`started ${index} (${position + 1}/${count})`),
      sessionEvent: (index, event: SessionEvent) => {
        if (event.type === 'connecting') heard.push(`connecting ${index} ${event.server}`);
      },
      sessionFinished: (index, result) => void heard.push(`finished ${index} ${result.ok ? 'ok' : 'failed'}`),
    });
    assert.equal(outcome.ok, true, JSON.stringify(outcome.sessions.map((s) => s.result.error)));
    assert.equal(outcome.cancelled, false);
    assert.deepEqual(outcome.sessions.map((played) => played.index), [0, 1]);
    assert.deepEqual(heard, [
      'starting 0,1',
      'started 0 (1/2)',
      `connecting 0 127.0.0.1:${capture.port}`,
      'finished 0 ok',
      'started 1 (2/2)',
      `connecting 1 127.0.0.1:${named.port}`,
      'finished 1 ok',
    ]);
    assert.equal(captureStarts(), 1, 'the capture server is asked for once, for the session that names no server');
    assert.deepEqual(asked, ['PASS'], 'a secret used twice is asked once per run');
    assert.equal(outcome.transcript, null);
  });

  it('does not start the capture server when no selected session goes there', async () => {
    const { request: run, captureStarts } = request({ sessions: { kind: 'index', index: 1 } });
    const outcome = await runTranscript(run);
    assert.equal(outcome.ok, true);
    assert.equal(captureStarts(), 0);
  });

  it('refuses a selection that does not fit the file before anything starts', async () => {
    const { request: run, captureStarts } = request({ sessions: { kind: 'typed', text: 'Third' } });
    await assert.rejects(runTranscript(run), (error: unknown) => error instanceof RunRequestError && /it has: 1 \(To the capture server\), 2 \(To the server it names\)/.test(error.message));
    assert.equal(captureStarts(), 0);
  });

  it('records the dialogue as a transcript that checks clean, without the secret, and without @server for the capture server', async () => {
    const { request: run } = request({ recording: { source: 'run.smtp', recordingPath: join(folder, 'recorded.smtp') } });
    const outcome = await runTranscript(run);
    assert.ok(outcome.transcript !== null);
    const text = outcome.transcript!;
    assert.ok(!text.includes(PASSWORD), 'the secret is not in the recording');
    assert.match(text, /# No @server: this ran against the embedded local server, and so will the replay\./);
    assert.match(text, new RegExp(`@server = 127\\.0\\.0\\.1:${named.port}`));
    assert.deepEqual(checkTranscript(parseTranscript(text)).filter((problem) => problem.severity === 'error'), []);
    for (const played of outcome.sessions) assert.equal(played.result.recording, undefined, 'results do not carry the raw recording');
  });

  it('stops between sessions when cancelled, and says so', async () => {
    const controller = new AbortController();
    const { request: run } = request({ signal: controller.signal });
    const outcome = await runTranscript(run, { sessionFinished: () => controller.abort() });
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.ok, false);
    assert.deepEqual(outcome.sessions.map((played) => played.index), [0]);
  });

  it('plays the session in flight to its end and no later one once stopBefore is aborted (run --bail), and lists those not played', async () => {
    const stop = new AbortController();
    const { request: run } = request({ stopBefore: stop.signal });
    const outcome = await runTranscript(run, { sessionFinished: () => stop.abort() });
    assert.equal(outcome.cancelled, false);
    assert.deepEqual(outcome.sessions.map((played) => [played.index, played.result.ok]), [[0, true]]);
    assert.deepEqual(outcome.notPlayed, [1]);
  });

  it('plays only the sessions whose name a pattern finds, and starts nothing when none does', async () => {
    const matching = request({ sessions: { kind: 'matching', pattern: /names/ } });
    const outcome = await runTranscript(matching.request);
    assert.deepEqual(outcome.sessions.map((played) => played.result.name), ['To the server it names']);
    assert.equal(matching.captureStarts(), 0, 'the capture server is not started for a session that goes elsewhere');
    const none = request({ sessions: { kind: 'matching', pattern: /nothing like it/ } });
    const empty = await runTranscript(none.request);
    assert.deepEqual([empty.sessions, empty.notPlayed, empty.ok], [[], [], true]);
  });

  it('sends every session to the capture server when asked to run locally', async () => {
    const { request: run, captureStarts } = request({ local: true, sessions: { kind: 'index', index: 1 } });
    const outcome = await runTranscript(run);
    assert.equal(captureStarts(), 1);
    assert.equal(outcome.sessions[0].result.server, `127.0.0.1:${capture.port}`);
  });
});
