// Unmet expectations and session errors as diagnostics, in their own
// collection (source "smtp-session run") so they never mix with the language
// server's: an unmet expectation on its S: line ("expected 250, got 550 …"),
// a session that could not run on the line it names or where it starts.
import { Diagnostic, DiagnosticSeverity, languages, Range, Uri, type Disposable } from 'vscode';
import { coalesce } from './coalesce';
import { currentRange, shiftedLine } from './resultStore';
import { mismatchMessage } from './resultText';
import type { SessionRuns } from './sessionRuns';

export const RUN_DIAGNOSTIC_SOURCE = 'smtp-session run';

export class RunDiagnostics implements Disposable {
  private readonly collection = languages.createDiagnosticCollection(RUN_DIAGNOSTIC_SOURCE);
  private readonly subscription: Disposable;
  private readonly pending = coalesce((uris) => {
    if (uris === 'all') {
      this.collection.clear();
      for (const known of this.runs.store.uris()) this.update(known);
    } else {
      for (const uri of uris) this.update(uri);
    }
  });

  constructor(private readonly runs: SessionRuns) {
    this.subscription = runs.onDidChangeResults((uri) => this.pending.add(uri));
  }

  dispose(): void {
    this.subscription.dispose();
    this.pending.dispose();
    this.collection.dispose();
  }

  private update(uri: string): void {
    const diagnostics: Diagnostic[] = [];
    for (const session of this.runs.store.sessions(uri)) {
      for (const step of session.steps) {
        const message = mismatchMessage(step);
        if (message === null) continue;
        const line = shiftedLine(session, step.expectedLine ?? step.line) - 1;
        diagnostics.push(diagnostic(line, message));
      }
      if (session.error) {
        const line = session.error.line !== null ? shiftedLine(session, session.error.line) - 1 : currentRange(session)[0];
        diagnostics.push(diagnostic(line, session.error.message));
      }
    }
    this.collection.set(Uri.parse(uri), diagnostics);
  }
}

function diagnostic(line: number, message: string): Diagnostic {
  // The whole line: the collection has no document at hand to measure it, and the editor clamps the end.
  const result = new Diagnostic(new Range(Math.max(0, line), 0, Math.max(0, line), Number.MAX_SAFE_INTEGER), message, DiagnosticSeverity.Error);
  result.source = RUN_DIAGNOSTIC_SOURCE;
  return result;
}
