import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Problem, Severity } from '../transcript/ast';

/** Shown next to every diagnostic so users can tell ours from other extensions'. */
export const DIAGNOSTIC_SOURCE = 'smtp';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A problem as an LSP diagnostic. Problem ranges are already LSP-shaped (0-based,
 * UTF-16), so they are copied, not converted; the copy keeps the parse tree from
 * being shared with whatever the connection does to the message.
 */
export function toDiagnostic(problem: Problem): Diagnostic {
  const { start, end } = problem.range;
  return {
    range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
    // An unknown severity (a future analyzer level) is shown, as an error, rather than dropped.
    severity: SEVERITIES[problem.severity] ?? DiagnosticSeverity.Error,
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}

export function toDiagnostics(problems: readonly Problem[]): Diagnostic[] {
  return problems.map(toDiagnostic);
}

/**
 * Diagnostics sent to the editor for one document. A file of 200,000 dotted body
 * lines has as many warnings: sending them all makes a message of tens of
 * megabytes on every keystroke and a Problems view nobody reads. The first
 * MAX_PUBLISHED_DIAGNOSTICS go, then one saying how many more there are.
 */
export const MAX_PUBLISHED_DIAGNOSTICS = 1_000;

export function toPublishedDiagnostics(problems: readonly Problem[], max = MAX_PUBLISHED_DIAGNOSTICS): Diagnostic[] {
  if (problems.length <= max) return toDiagnostics(problems);
  const shown = toDiagnostics(problems.slice(0, max));
  const { start } = problems[max].range;
  shown.push({
    range: { start: { line: start.line, character: start.character }, end: { line: start.line, character: start.character } },
    severity: DiagnosticSeverity.Information,
    code: 'too-many-problems',
    source: DIAGNOSTIC_SOURCE,
    message: `${(problems.length - max).toLocaleString('en-US')} more problems from here on are not shown (the editor shows the first ${max.toLocaleString('en-US')}); \`smtp-session check\` lists them all.`,
  });
  return shown;
}
