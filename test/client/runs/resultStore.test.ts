import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepReport } from '../../../server/src/contract/messages';
import { currentRange, MAX_DOCUMENTS, ResultStore, shiftedLine } from '../../../client/src/runs/resultStore';

function step(line: number, expectedLine: number | null = line + 1): StepReport {
  return { line, kind: 'command', sent: 'NOOP', reply: { code: 250, enhanced: null, lines: ['250 Ok'] }, expected: '250', expectedLine, ok: true, mismatch: null, skipped: false, ms: 1 };
}

const URI = 'file:///a.smtp';

/** Sessions at lines 3–10 (index 0) and 12–20 (index 1), with steps. */
function storeWithTwoSessions(): ResultStore {
  const store = new ResultStore();
  store.startSession(URI, 'r1', 0, { name: 'first', line: 3, endLine: 10 });
  store.addStep(URI, 'r1', 0, step(5));
  store.startSession(URI, 'r1', 1, { name: 'second', line: 12, endLine: 20 });
  store.addStep(URI, 'r1', 1, step(14));
  return store;
}

describe('results stay on their lines', () => {
  it('move down when lines are inserted above', () => {
    const store = storeWithTwoSessions();
    // Two line breaks typed at the end of line 1 (0-based 0).
    assert.equal(store.applyEdits(URI, [{ startLine: 0, endLine: 0, insertedLineBreaks: 2 }]), true);
    const [first, second] = store.sessions(URI);
    assert.equal(shiftedLine(first, 5), 7);
    assert.equal(shiftedLine(second, 14), 16);
  });
  it('move up when lines above are deleted', () => {
    const store = storeWithTwoSessions();
    // Lines 11–12 (1-based; 0-based 10–11)... joined: delete line 11 (between the sessions).
    store.applyEdits(URI, [{ startLine: 10, endLine: 11, insertedLineBreaks: 0 }]);
    // Line 12 (0-based 11) is the second session's start: that edit touches it and clears it.
    assert.deepEqual(store.sessions(URI).map((s) => s.index), [0]);
  });
  it('are cleared for the session edited, and only that one', () => {
    const store = storeWithTwoSessions();
    store.applyEdits(URI, [{ startLine: 5, endLine: 5, insertedLineBreaks: 0 }]);
    assert.deepEqual(store.sessions(URI).map((s) => s.index), [1]);
    assert.equal(shiftedLine(store.sessions(URI)[0], 14), 14);
  });
  it('do not change for edits below', () => {
    const store = storeWithTwoSessions();
    assert.equal(store.applyEdits(URI, [{ startLine: 30, endLine: 30, insertedLineBreaks: 3 }]), false);
  });
  it('steps arriving after an edit get the same shift', () => {
    const store = storeWithTwoSessions();
    store.applyEdits(URI, [{ startLine: 0, endLine: 0, insertedLineBreaks: 1 }]);
    const session = store.addStep(URI, 'r1', 1, step(16));
    assert.ok(session);
    assert.equal(shiftedLine(session, 16), 17);
  });
  it('cover the session\'s lines as its started event gave them, also below its last result', () => {
    const store = new ResultStore();
    const session = store.startSession(URI, 'r', 0, { name: null, line: 1, endLine: 12 });
    store.addStep(URI, 'r', 0, step(4, 5));
    assert.deepEqual(currentRange(session), [0, 11]);
    // A comment typed on the session's last line makes its results stale too.
    assert.equal(store.applyEdits(URI, [{ startLine: 11, endLine: 11, insertedLineBreaks: 0 }]), true);
    assert.deepEqual(store.sessions(URI), []);
  });
});

describe('runs', () => {
  it('a newer run replaces a session, and the older run\'s late steps are ignored', () => {
    const store = storeWithTwoSessions();
    store.startSession(URI, 'r2', 0, { name: 'first', line: 3, endLine: 10 });
    assert.equal(store.addStep(URI, 'r1', 0, step(7)), undefined);
    assert.equal(store.sessions(URI).find((s) => s.index === 0)?.steps.length, 0);
  });
  it('a step reported twice keeps the last word', () => {
    const store = new ResultStore();
    store.startSession(URI, 'r', 0, { name: null, line: 1, endLine: 5 });
    store.addStep(URI, 'r', 0, { ...step(4), skipped: true, reply: null });
    store.addStep(URI, 'r', 0, step(4));
    assert.equal(store.sessions(URI)[0].steps.length, 1);
    assert.equal(store.sessions(URI)[0].steps[0].skipped, false);
  });
  it(`keeps at most ${MAX_DOCUMENTS} documents`, () => {
    const store = new ResultStore();
    for (let i = 0; i < MAX_DOCUMENTS + 5; i++) store.startSession(`file:///${i}.smtp`, 'r', 0, { name: null, line: 1, endLine: 5 });
    assert.equal(store.uris().length, MAX_DOCUMENTS);
    assert.equal(store.uris()[0], 'file:///5.smtp');
  });
  it('a cancelled run drops the error of the session it cut short, and keeps its steps', () => {
    const store = storeWithTwoSessions();
    store.finish(URI, 'r1', 0, { name: 'first', line: 3, server: 'x', ok: false, error: { message: 'The session was cancelled.', line: null }, tls: null, warnings: [], steps: [] });
    assert.equal(store.markCancelled(URI, 'r1'), true);
    const [first] = store.sessions(URI);
    assert.equal(first.error, null);
    assert.equal(first.steps.length, 1);
    assert.equal(store.markCancelled(URI, 'r1'), false);
  });
  it('clear removes one document or all', () => {
    const store = storeWithTwoSessions();
    store.startSession('file:///b.smtp', 'r', 0, { name: null, line: 1, endLine: 5 });
    store.clear(URI);
    assert.deepEqual(store.uris(), ['file:///b.smtp']);
    store.clear();
    assert.deepEqual(store.uris(), []);
  });
});

describe('captured values', () => {
  const finished = { name: 'first', line: 3, server: '127.0.0.1:25', ok: true, error: null, tls: null, warnings: [], steps: [step(5)], captures: [{ line: 7, name: 'qid', value: '4XyZ1' }, { line: 8, name: 'token', value: '***' }] };

  it('are kept with their session once it finished, by the line of their @ definition, and move with it', () => {
    const store = storeWithTwoSessions();
    assert.deepEqual(store.sessions(URI)[0].captures, [], 'none while the session runs');
    store.finish(URI, 'r1', 0, finished);
    const [first] = store.sessions(URI);
    assert.deepEqual(first.captures, finished.captures);
    store.applyEdits(URI, [{ startLine: 0, endLine: 0, insertedLineBreaks: 1 }]);
    assert.equal(shiftedLine(store.sessions(URI)[0], first.captures[0].line), 8);
  });
  it('go when their session is edited, and a session without captures has none', () => {
    const store = storeWithTwoSessions();
    store.finish(URI, 'r1', 0, finished);
    store.finish(URI, 'r1', 1, { ...finished, line: 12, captures: undefined });
    assert.deepEqual(store.sessions(URI)[1].captures, []);
    store.applyEdits(URI, [{ startLine: 6, endLine: 6, insertedLineBreaks: 0 }]);
    assert.deepEqual(store.sessions(URI).map((s) => s.index), [1]);
  });
});
