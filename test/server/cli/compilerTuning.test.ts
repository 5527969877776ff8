import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_INTERRUPT_BUDGET, tuneCompilerForShortRuns } from '../../../server/src/cli/compilerTuning';

describe('tuneCompilerForShortRuns', () => {
  it('asks V8 for eight times its default interrupt budget, and nothing else', () => {
    const set: string[] = [];
    tuneCompilerForShortRuns((flags) => set.push(flags));
    assert.deepEqual(set, ['--interrupt-budget=540672']);
    assert.equal(CLI_INTERRUPT_BUDGET, 8 * 67584);
  });

  it('is accepted by the running V8', () => {
    assert.doesNotThrow(() => tuneCompilerForShortRuns());
  });
});
