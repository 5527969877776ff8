import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_INTERRUPT_BUDGET, LARGE_INPUT_CHARS, tuneCompilerForInput, tuneCompilerForShortRuns } from '../../../server/src/cli/compilerTuning';

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

describe('tuneCompilerForInput', () => {
  it('leaves V8 alone for a small transcript, tunes it once the input is large, and only once', () => {
    const set: string[] = [];
    tuneCompilerForInput(LARGE_INPUT_CHARS - 1, (flags) => set.push(flags));
    assert.equal(set.length, 0, 'a one-session transcript does not pay for node:v8 and a flag');
    tuneCompilerForInput(LARGE_INPUT_CHARS, (flags) => set.push(flags));
    assert.deepEqual(set, ['--interrupt-budget=540672']);
    tuneCompilerForInput(10 * LARGE_INPUT_CHARS, (flags) => set.push(flags));
    assert.deepEqual(set, ['--interrupt-budget=540672'], 'a second large file sets nothing more');
  });
});
