import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CapturedMessageSummary, CapturedSessionSummary } from '../../../server/src/contract/messages';
import { CapturedSessionList } from '../../../client/src/localServer/capturedSessionList';
import { sessionDescription, sessionFailed, sessionLabel, sessionTooltip } from '../../../client/src/localServer/capturedSessionText';

const at = (second: number) => new Date(Date.UTC(2026, 11, 7, 9, 0, second)).toISOString();

function session(id: string, second: number, overrides: Partial<CapturedSessionSummary> = {}): CapturedSessionSummary {
  return {
    id, client: '127.0.0.1:53012', startedAt: at(second), endedAt: at(second + 1), ending: { kind: 'quit', text: 'QUIT without DATA' }, messageIds: [],
    transcriptPath: `/inbox/${id}.smtp`, tls: null, auth: null, phases: [{ name: 'connect', count: 1, ms: 1 }, { name: 'RCPT', count: 2, ms: 3.4 }], folderFull: false, ...overrides,
  };
}

function message(id: string, sessionId: string, second: number): CapturedMessageSummary {
  return { id, from: 'a@example.com', to: ['b@example.org'], subject: id, size: 10, receivedAt: at(second), path: null, sessionId, transcriptPath: null };
}

describe('the inbox\'s sessions', () => {
  it('lists sessions newest first, each with its messages oldest first', () => {
    const list = new CapturedSessionList();
    list.add(session('s1', 1, { messageIds: ['m1', 'm2'] }), session('s2', 5));
    // The message list is newest first, as CapturedMessageList keeps it.
    const rows = list.rows([message('m2', 's1', 3), message('m1', 's1', 2)]);
    assert.deepEqual(rows.map((row) => [row.id, row.messages.map((m) => m.id)]), [['s2', []], ['s1', ['m1', 'm2']]]);
  });

  it('shows the messages of a session still connected at once, in a row of their own', () => {
    const rows = new CapturedSessionList().rows([message('m1', 'open', 2)]);
    assert.deepEqual(rows.map((row) => [row.id, row.summary, row.messages.length]), [['open', null, 1]]);
    assert.equal(sessionLabel(rows[0]), '1 message from an application');
    assert.equal(sessionDescription(rows[0]), 'still connected');
  });

  it('keeps one entry per session, at most the limit, and forgets what was cleared', () => {
    const list = new CapturedSessionList(2);
    assert.equal(list.add(session('s1', 1)), true);
    assert.equal(list.add(session('s1', 1)), false);
    list.add(session('s2', 2), session('s3', 3));
    assert.deepEqual(list.rows([]).map((row) => row.id), ['s3', 's2']);
    list.clear(Date.parse(at(3)));
    assert.equal(list.add(session('s3', 3)), false, 'a refresh does not bring back what was cleared');
    assert.equal(list.add(session('s4', 4)), true);
  });

  it('names a session without a message by why it ended, and one with messages by how many', () => {
    const refused = { id: 's', summary: session('s', 1, { ending: { kind: 'refused', text: 'refused: 421 4.7.0 Too many\r\nconnections' } }), messages: [] };
    assert.equal(sessionLabel(refused), 'refused: 421 4.7.0 Too many connections');
    assert.equal(sessionDescription(refused, () => '09:00:01'), '127.0.0.1:53012 · 09:00:01');
    assert.equal(sessionFailed(refused), true);
    const delivered = { id: 's', summary: session('s', 1, { ending: { kind: 'quit', text: 'QUIT after the message' } }), messages: [message('m', 's', 2)] };
    assert.equal(sessionLabel(delivered), '1 message from 127.0.0.1:53012');
    assert.equal(sessionDescription(delivered, () => '09:00:01'), 'QUIT after the message · 09:00:01');
    assert.equal(sessionFailed(delivered), false);
  });

  it('tells TLS, AUTH (mechanism and user only), timing and a full folder in the tooltip, control characters shown escaped', () => {
    const row = {
      id: 's', messages: [],
      summary: session('s', 1, { tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' }, auth: { mechanism: 'PLAIN', username: 'app\u202eevil', accepted: true }, folderFull: true }),
    };
    const tooltip = sessionTooltip(row, () => 'then');
    assert.match(tooltip, /^TLS: TLSv1\.3, TLS_AES_256_GCM_SHA384$/m);
    assert.match(tooltip, /^AUTH: PLAIN as "app\\u202eevil"$/m);
    assert.match(tooltip, /^Timing: connect 1 ms · RCPT ×2 3 ms$/m);
    assert.match(tooltip, /capture folder is full/);
    assert.match(tooltip, /^Transcript: \/inbox\/s\.smtp$/m);
  });
});
