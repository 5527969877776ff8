import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { historyItemText, MAX_RUNS_KEPT, RunHistory } from '../../../client/src/runs/runHistory';
import type { SessionReport } from '../../../server/src/contract/messages';

function session(name: string | null, ok: boolean, line = 1): SessionReport {
  return {
    name, line, server: '127.0.0.1:2525', ok, error: null, tls: null, warnings: [],
    steps: [{ line: line + 1, kind: 'command', sent: 'NOOP', reply: { code: ok ? 250 : 500, enhanced: null, lines: [ok ? '250 ok' : '500 no'] }, expected: '250', expectedLine: line + 2, ok, mismatch: ok ? null : 'expected 250, got 500', skipped: false, ms: 1 }],
  };
}

describe('RunHistory', () => {
  it('lists runs newest first with stable ids, and keeps only the last ones', () => {
    const history = new RunHistory<string>();
    for (let i = 1; i <= MAX_RUNS_KEPT + 5; i++) history.add({ finishedAt: new Date(), fileLabel: `run${i}.smtp`, cancelled: false, sessions: [], value: `doc ${i}` });
    const list = history.list();
    assert.equal(list.length, MAX_RUNS_KEPT);
    assert.equal(list[0].fileLabel, `run${MAX_RUNS_KEPT + 5}.smtp`);
    assert.equal(list[0].id, MAX_RUNS_KEPT + 5);
    assert.equal(history.get(MAX_RUNS_KEPT + 5)?.value, `doc ${MAX_RUNS_KEPT + 5}`);
    assert.equal(history.get(5), undefined, 'dropped with the oldest');
    assert.equal(history.get(6)?.value, 'doc 6');
  });

  it('describes a run by its outcome, file and sessions', () => {
    const text = historyItemText({ id: 1, finishedAt: new Date(2026, 10, 23, 14, 2, 11), fileLabel: 'examples/relay.smtp', cancelled: false, sessions: [session('Deliver', true), session(null, false, 9)], value: null });
    assert.equal(text.label, '$(error) SMTP 1/2 · examples/relay.smtp');
    assert.equal(text.detail, 'Deliver, Session at line 9');
    assert.match(text.description, /2/);
    const many = historyItemText({ id: 2, finishedAt: new Date(), fileLabel: 'a.smtp', cancelled: true, sessions: ['A', 'B', 'C', 'D', 'E'].map((name) => session(name, true)), value: null });
    assert.equal(many.label, '$(circle-slash) SMTP 5/5 (cancelled) · a.smtp');
    assert.equal(many.detail, 'A, B, C, +2 more');
  });
});
