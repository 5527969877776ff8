// The Recorder is an observer of a session's events: attached by whoever runs
// the session, it writes the dialogue down as transcript lines, and nothing in
// the events it sees holds a secret value.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { playSession, type PlayOptions } from '../../../server/src/engine/playSession';
import type { PlayEvent, PlayObserver } from '../../../server/src/engine/playEvents';
import { Recorder } from '../../../server/src/engine/recorder';
import { formatRecording } from '../../../server/src/engine/recordTranscript';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { answerEverything, startScriptedServer, type ScriptedServer } from './scriptedServer';

const PASSWORD = 'hunter-two-and-more';
const servers: ScriptedServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

const secrets: PlayOptions['secrets'] = {
  secret: async (name) => {
    if (name === 'PASS') return PASSWORD;
    throw new Error(`no secret ${name}`);
  },
  prompt: async () => {
    throw new Error('no prompt');
  },
};

const TRANSCRIPT = [
  'S: 220',
  'C: EHLO client.example', 'S: 250',
  'C: MAIL FROM:<a@example.org>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 250', 'S: 250', 'S: 354',
  'Subject: hello', '', 'The password is {{$secret PASS}}.', '.', 'S: 250',
  'C: NOOP', 'S: 500',
  'C: QUIT', 'S: 221',
];

async function play(observers: PlayObserver[], record = false) {
  const server = await startScriptedServer(answerEverything);
  servers.push(server);
  const file = parseTranscript(TRANSCRIPT.join('\n'));
  return playSession(file, file.sessions[0], { filePath: '/tmp/recorder.smtp', server: `127.0.0.1:${server.port}`, secrets, timeoutSeconds: 5, observers, record });
}

describe('Recorder', () => {
  it('turns the events into the dialogue as it happened: the group, its replies, the body with the secret as its reference, the mismatch', { timeout: 15_000 }, async () => {
    const recorder = new Recorder();
    const result = await play([recorder]);
    assert.equal(result.recording, undefined, 'an attached recorder leaves the result alone');
    const text = formatRecording([{ name: null, line: 1, server: '127.0.0.1:25', lines: recorder.lines }], { source: 'a.smtp', recordingPath: '/tmp/r.smtp', date: new Date(0) });
    const body = text.split('\n').slice(text.split('\n').indexOf('@server = 127.0.0.1:25') + 1);
    assert.deepEqual(body, [
      '@timeout = 5',
      'S: 220 test.example ESMTP',
      'C: EHLO client.example',
      'S: 250-test.example', 'S: 250-PIPELINING', 'S: 250-CHUNKING', 'S: 250-8BITMIME', 'S: 250 AUTH PLAIN LOGIN',
      'C: MAIL FROM:<a@example.org>', 'C: RCPT TO:<b@example.org>', 'C: DATA',
      'S: 250 2.0.0 ok', 'S: 250 2.0.0 ok', 'S: 354 go ahead',
      'Subject: hello', '', 'The password is {{$secret PASS}}.', '.',
      'S: 250 2.0.0 queued',
      'C: NOOP', 'S: 250 2.0.0 ok', '# line 15: expected 500, got 250 2.0.0 ok',
      // The mismatch ends the session; the engine says QUIT of its own.
      '# not played (the session had ended): line 17',
      'C: QUIT', 'S: 221 2.0.0 bye',
      '',
    ]);
    assert.ok(!text.includes(PASSWORD));
  });

  it('writes what record: true puts in the result', { timeout: 15_000 }, async () => {
    const recorder = new Recorder();
    const attached = await play([recorder]);
    const recorded = await play([], true);
    assert.ok(attached.ok === false && recorded.ok === false);
    assert.deepEqual(recorder.lines, recorded.recording);
  });

  it('an observer that does not ask for the lines sent gets what results show, and no secret anywhere', { timeout: 15_000 }, async () => {
    const events: PlayEvent[] = [];
    await play([{ observe: (event) => events.push(event) }]);
    const batches = events.filter((event) => event.type === 'batch-ended');
    assert.deepEqual(batches.map((event) => event.sent.map((item) => item.display)), [
      ['EHLO client.example'],
      ['MAIL FROM:<a@example.org>', 'RCPT TO:<b@example.org>', 'DATA'],
      ['<message: 3 lines, 56 octets>'],
      ['NOOP'],
    ]);
    for (const batch of batches) {
      for (const item of batch.sent) assert.ok(item.kind === 'body' ? item.lines.every((line) => line === null) : item.kind !== 'chunk' && item.text === null);
    }
    assert.deepEqual(events.map((event) => event.type).filter((type) => type !== 'step'), ['settings', 'connecting', 'connected', 'batch-ended', 'batch-ended', 'batch-ended', 'batch-ended', 'not-played', 'quit']);
    assert.ok(!JSON.stringify(events).includes(PASSWORD));
  });
});
