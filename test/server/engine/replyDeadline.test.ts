import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplyDeadline } from '../../../server/src/engine/replyDeadline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ReplyDeadline (one timer per connection for every reply wait)', () => {
  it('expires a wait that is not stopped, once', async () => {
    const deadline = new ReplyDeadline();
    let expired = 0;
    deadline.start(20, () => expired++);
    await sleep(80);
    assert.equal(expired, 1);
    deadline.dispose();
  });

  it('a stopped wait never expires, and the next wait gets its own full time', async () => {
    const deadline = new ReplyDeadline();
    const expired: string[] = [];
    deadline.start(30, () => expired.push('first'));
    deadline.stop();
    await sleep(10);
    // Still armed from the first wait, which would fire about 20 ms from now: the second wait must last its own second.
    deadline.start(1000, () => expired.push('second'));
    await sleep(60);
    assert.deepEqual(expired, [], 'the timer armed for the first wait must not end the second one early');
    await sleep(1500);
    assert.deepEqual(expired, ['second']);
    deadline.dispose();
  });

  it('a shorter wait after a longer one ends on time', async () => {
    const deadline = new ReplyDeadline();
    const expired: string[] = [];
    deadline.start(10_000, () => expired.push('long'));
    deadline.stop();
    deadline.start(20, () => expired.push('short'));
    await sleep(80);
    assert.deepEqual(expired, ['short']);
    deadline.dispose();
  });

  it('dispose cancels a wait under way', async () => {
    const deadline = new ReplyDeadline();
    let expired = false;
    deadline.start(20, () => (expired = true));
    deadline.dispose();
    await sleep(50);
    assert.equal(expired, false);
  });
});
