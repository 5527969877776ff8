import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyHistogram } from '../../../server/src/run/latencyHistogram';

describe('LatencyHistogram: bounded memory, percentiles within 2%', () => {
  it('keeps a few hundred buckets for 200,000 samples from 10 µs to a minute, and reads percentiles back within 2%', () => {
    const histogram = new LatencyHistogram();
    const samples: number[] = [];
    let seed = 7;
    for (let i = 0; i < 200_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      // Log-uniform from 0.01 ms to 60,000 ms: every bucket of the range gets used.
      const ms = 0.01 * Math.pow(6_000_000, seed / 2 ** 31);
      samples.push(ms);
      histogram.add(ms);
    }
    assert.ok(histogram.bucketCount <= 800, `${histogram.bucketCount} buckets`);
    samples.sort((a, b) => a - b);
    for (const fraction of [0.5, 0.95, 0.99]) {
      const exact = samples[Math.ceil(fraction * samples.length) - 1];
      const read = histogram.percentile(fraction);
      assert.ok(read >= exact && read <= exact * 1.021, `p${fraction * 100}: ${read} for ${exact}`);
    }
    assert.equal(histogram.percentile(1), histogram.max);
  });

  it('gives 0 with no sample, and the sample itself (capped at the largest) with one', () => {
    const histogram = new LatencyHistogram();
    assert.equal(histogram.percentile(0.5), 0);
    histogram.add(3.7);
    assert.equal(histogram.percentile(0.99), 3.7);
    assert.equal(histogram.count, 1);
  });
});
