import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { phaseTimings } from '../../../server/src/cli/phaseTimings';

describe('phaseTimings (SMTP_SESSION_TIMINGS, for npm run bench)', () => {
  it('says nothing unless SMTP_SESSION_TIMINGS=1', () => {
    const written: string[] = [];
    const timings = phaseTimings({});
    timings.end('parse');
    timings.report((text) => written.push(text));
    assert.deepEqual(written, []);
  });

  it('reports each phase in order with its wall and CPU time, on one line', () => {
    const written: string[] = [];
    const timings = phaseTimings({ SMTP_SESSION_TIMINGS: '1' });
    timings.end('start-up');
    timings.end('parse');
    timings.report((text) => written.push(text));
    assert.equal(written.length, 1);
    assert.match(written[0], /^timings: start-up [\d.]+ ms \(cpu \d+ ms\), parse [\d.]+ ms \(cpu \d+ ms\)$/);
  });
});
