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

  it('with SMTP_SESSION_ALLOCATIONS=1, a second line gives what each phase after the first allocated on the heap', () => {
    const written: string[] = [];
    const timings = phaseTimings({ SMTP_SESSION_TIMINGS: '1', SMTP_SESSION_ALLOCATIONS: '1' });
    timings.end('start-up');
    // Some 10 MB of short-lived arrays (200,000 of 8 numbers): most are collected within the phase, and still counted.
    const recent: number[][] = [];
    for (let i = 0; i < 200_000; i++) recent[i % 100] = [i, i, i, i, i, i, i, i];
    const kept = recent.length;
    timings.end('parse');
    timings.end('output');
    timings.report((text) => written.push(text));
    assert.equal(written.length, 2);
    assert.match(written[0], /^timings: start-up [\d.]+ ms \(cpu \d+ ms\), parse [\d.]+ ms \(cpu \d+ ms\), output [\d.]+ ms \(cpu \d+ ms\)$/);
    const allocations = /^allocations: parse ([\d.]+) MB, output ([\d.]+) MB$/.exec(written[1]);
    assert.ok(allocations, written[1]);
    assert.ok(kept > 0);
    assert.ok(Number(allocations[1]) >= 4, `parse allocated ${allocations[1]} MB`);
    assert.ok(Number(allocations[2]) < Number(allocations[1]), 'the output phase allocated next to nothing');
  });
});
