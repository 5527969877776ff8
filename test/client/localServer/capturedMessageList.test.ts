import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { CapturedMessageList } from '../../../client/src/localServer/capturedMessageList';

function message(id: string, second: number, subject: string | null = id): CapturedMessageSummary {
  return { id, from: 'a@example.com', to: ['b@example.org'], subject, size: 10, receivedAt: new Date(Date.UTC(2026, 10, 23, 9, 0, second)).toISOString(), path: null, sessionId: `session-${id}`, transcriptPath: null };
}

const ids = (list: CapturedMessageList) => list.items.map((m) => m.id);

describe('the inbox list', () => {
  it('lists messages newest first, whatever order they arrive in', () => {
    const list = new CapturedMessageList();
    list.add(message('b', 2));
    list.add(message('a', 1), message('c', 3));
    assert.deepEqual(ids(list), ['c', 'b', 'a']);
  });

  it('keeps one entry per id: a list from the server merges with the notifications already shown', () => {
    const list = new CapturedMessageList();
    assert.equal(list.add(message('a', 1)), true);
    assert.equal(list.add(message('a', 1), message('b', 2)), true);
    assert.equal(list.add(message('a', 1)), false, 'nothing new: the view need not redraw');
    assert.deepEqual(ids(list), ['b', 'a']);
    list.add(message('a', 1, 'changed'));
    assert.equal(list.find('a')?.subject, 'changed');
    assert.equal(list.size, 2);
  });

  it('takes a message announced again with the run that sent it', () => {
    const list = new CapturedMessageList();
    list.add(message('a', 1));
    assert.equal(list.add({ ...message('a', 1), sentBy: { uri: 'file:///w/app.smtp', line: 14 } }), true);
    assert.deepEqual(list.find('a')?.sentBy, { uri: 'file:///w/app.smtp', line: 14 });
    assert.equal(list.add({ ...message('a', 1), sentBy: { uri: 'file:///w/app.smtp', line: 14 } }), false);
  });

  it('never holds more than its limit, dropping the oldest', () => {
    const list = new CapturedMessageList(3);
    for (let i = 0; i < 10; i++) list.add(message(`m${i}`, i));
    assert.deepEqual(ids(list), ['m9', 'm8', 'm7']);
  });

  it('holds at most 200 by default', () => {
    const list = new CapturedMessageList();
    list.add(...Array.from({ length: 500 }, (_, i) => message(`m${i}`, i % 60)));
    assert.equal(list.size, 200);
  });

  it('clear empties the list, and a later refresh does not bring cleared messages back', () => {
    const list = new CapturedMessageList();
    list.add(message('a', 1), message('b', 2));
    list.clear(Date.UTC(2026, 10, 23, 9, 0, 5));
    assert.equal(list.size, 0);
    list.add(message('a', 1), message('b', 2), message('c', 9));
    assert.deepEqual(ids(list), ['c']);
  });
});
