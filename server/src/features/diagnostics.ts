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
