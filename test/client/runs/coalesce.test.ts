import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { coalesce } from '../../../client/src/runs/coalesce';

describe('coalesce', () => {
  it('handles many keys once, together', async () => {
    const calls: (string[] | 'all')[] = [];
    const pending = coalesce((keys) => calls.push(keys === 'all' ? 'all' : [...keys].sort()), 5);
    for (let i = 0; i < 1000; i++) pending.add(i % 2 === 0 ? 'a' : 'b');
    await sleep(30);
    assert.deepEqual(calls, [['a', 'b']]);
  });
  it('undefined means everything', async () => {
    const calls: (string[] | 'all')[] = [];
    const pending = coalesce((keys) => calls.push(keys === 'all' ? 'all' : [...keys]), 5);
    pending.add('a');
    pending.add(undefined);
    pending.add('b');
    await sleep(30);
    assert.deepEqual(calls, ['all']);
  });
  it('nothing after dispose', async () => {
    const calls: unknown[] = [];
    const pending = coalesce((keys) => calls.push(keys), 5);
    pending.add('a');
    pending.dispose();
    await sleep(30);
    assert.deepEqual(calls, []);
  });
});
