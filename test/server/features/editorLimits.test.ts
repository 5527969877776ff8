import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseForEditor } from '../../../server/src/features/editorLimits';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

describe('parseForEditor', () => {
  it('parses a file within the limit as it is', () => {
    const file = parseForEditor(parseTranscript, 100)('C: NOOP\nS: 250 ok\n');
    assert.deepEqual(file.problems, []);
    assert.equal(file.sessions[0].steps.length, 2);
  });

  it('parses up to the last line end within the limit and marks the first line left out', () => {
    const file = parseForEditor(parseTranscript, 20)('C: NOOP\nC: NOOP\nC: BOGUS\n');
    assert.equal(file.sessions[0].steps.length, 2);
    assert.deepEqual(file.problems.map((p) => [p.code, p.severity, p.range.start.line]), [['file-too-large', 'warning', 2]]);
    assert.equal(file.problems[0].message, 'This file has 25 characters: the editor checks the first 20 and nothing from here on (no diagnostics, hover or completion below). `smtp-session check` checks the whole file.');
  });

  it('cuts a first line longer than the limit where the limit falls', () => {
    const file = parseForEditor(parseTranscript, 10)(`C: ${'x'.repeat(30)}`);
    assert.equal(file.sessions[0].steps.length, 1);
    assert.deepEqual(file.problems.map((p) => [p.code, p.range.start.line]), [['file-too-large', 0]]);
  });

  it('turns a parser that throws into a file with one internal-error problem', () => {
    const file = parseForEditor(() => { throw new RangeError('too deep'); })('C: NOOP');
    assert.deepEqual(file.sessions, []);
    assert.deepEqual(file.problems.map((p) => [p.code, p.severity]), [['internal-error', 'error']]);
    assert.match(file.problems[0].message, /^An internal error \(RangeError\) stopped the language server while parsing this file/);
  });
});
