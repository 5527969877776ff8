import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { toDiagnostic, toDiagnostics, toPublishedDiagnostics } from '../../../server/src/features/diagnostics';
import type { Problem, Severity } from '../../../server/src/transcript/ast';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function problem(severity: Severity, code = 'unprefixed-line'): Problem {
  return {
    code,
    severity,
    message: 'line 1: "hello" has no C: or S: prefix',
    range: { start: { line: 3, character: 2 }, end: { line: 3, character: 7 } },
  };
}

describe('toDiagnostic', () => {
  for (const [severity, expected] of [
    ['error', DiagnosticSeverity.Error],
    ['warning', DiagnosticSeverity.Warning],
    ['information', DiagnosticSeverity.Information],
    ['hint', DiagnosticSeverity.Hint],
  ] as const) {
    it(`maps severity ${severity} to DiagnosticSeverity ${expected}`, () => {
      assert.equal(toDiagnostic(problem(severity)).severity, expected);
    });
  }

  it('shows a severity it does not know as an error rather than dropping it', () => {
    assert.equal(toDiagnostic(problem('fatal' as Severity)).severity, DiagnosticSeverity.Error);
  });

  it('keeps the code, the message and the range, and names "smtp" as the source', () => {
    assert.deepEqual(toDiagnostic(problem('warning', 'unclosed-variable')), {
      range: { start: { line: 3, character: 2 }, end: { line: 3, character: 7 } },
      severity: DiagnosticSeverity.Warning,
      code: 'unclosed-variable',
      source: 'smtp',
      message: 'line 1: "hello" has no C: or S: prefix',
    });
  });

  it('copies the range instead of sharing the parse tree', () => {
    const original = problem('error');
    const diagnostic = toDiagnostic(original);
    diagnostic.range.start.line = 99;
    assert.equal(original.range.start.line, 3);
  });
});

describe('toDiagnostics', () => {
  it('converts every problem, in order', () => {
    const diagnostics = toDiagnostics([problem('error', 'a'), problem('hint', 'b')]);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['a', DiagnosticSeverity.Error], ['b', DiagnosticSeverity.Hint]]);
  });

  it('gives an unprefixed line at the top of a real file an error diagnostic on line 0', () => {
    const [diagnostic, ...rest] = toDiagnostics(parseTranscript('hello\nS: 220 ready\n').problems);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic.code, 'unprefixed-line');
    assert.equal(diagnostic.severity, DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, 0);
  });
});

describe('toPublishedDiagnostics', () => {
  it('sends every problem up to the limit, then the first ones and one counting the rest', () => {
    const many = Array.from({ length: 5 }, (_, line) => ({ ...problem('warning', 'dot-stuffing'), range: { start: { line, character: 1 }, end: { line, character: 4 } } }));
    assert.equal(toPublishedDiagnostics(many, 5).length, 5);
    const capped = toPublishedDiagnostics(many, 3);
    assert.deepEqual(capped.map((d) => [d.code, d.range.start.line, d.severity]), [
      ['dot-stuffing', 0, DiagnosticSeverity.Warning], ['dot-stuffing', 1, DiagnosticSeverity.Warning], ['dot-stuffing', 2, DiagnosticSeverity.Warning],
      ['too-many-problems', 3, DiagnosticSeverity.Information],
    ]);
    assert.equal(capped[3].message, '2 more problems from here on are not shown (the editor shows the first 3); `smtp-session check` lists them all.');
  });
});
