import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { unwatchAbort, watchAbort } from '../../../server/src/engine/abortable';

describe('watchAbort', () => {
  it('calls each listener still watching once when the signal fires, through one listener on the signal', () => {
    const controller = new AbortController();
    const heard: string[] = [];
    const listeners = Array.from({ length: 100 }, (_, i) => () => heard.push(`connection ${i}`));
    for (const listener of listeners) watchAbort(controller.signal, listener);
    // Connections that closed before the run was cancelled.
    for (const listener of listeners.slice(0, 98)) unwatchAbort(controller.signal, listener);
    assert.equal(getEventListeners(controller.signal, 'abort').length, 1, 'a hundred connections came and went on one listener');
    controller.abort();
    controller.abort();
    assert.deepEqual(heard, ['connection 98', 'connection 99']);
  });

  it('keeps each signal\'s listeners apart', () => {
    const first = new AbortController();
    const second = new AbortController();
    const heard: string[] = [];
    watchAbort(first.signal, () => heard.push('first'));
    watchAbort(second.signal, () => heard.push('second'));
    second.abort();
    assert.deepEqual(heard, ['second']);
  });
});
