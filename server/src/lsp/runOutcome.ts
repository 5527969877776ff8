// A run's outcome in standard LSP, for editors that do not implement the
// extension's smtp/sessionEvent: diagnostics on the lines concerned (an unmet
// expectation on its S: line, a session that could not run on the line the
// error names or where the session starts) and a one-line summary for
// window/showMessage. The diagnostics stay while their session's text is
// unchanged (they follow it when lines above are added or removed), go when
// it is edited, and are replaced when it runs again.
import { DiagnosticSeverity, MessageType, type Diagnostic } from 'vscode-languageserver';
import type { RunSessionCommand, SessionReport } from '../contract/messages';
import type { TranscriptFile } from '../transcript/ast';

export const RUN_DIAGNOSTIC_SOURCE = 'smtp-session run';

interface Finding {
  /** 0-based line, counted from the session's first line. */
  offset: number;
  message: string;
}

interface SessionOutcome {
  /** The session's lines when it ran: how its diagnostics find it again, or learn it was edited. */
  text: string;
  findings: Finding[];
}

/** 1-based file lines of what a session found wrong, in order; the session that was in flight when the run was cancelled reports no error. */
export function sessionFindings(report: SessionReport, cancelled: boolean): { line: number; message: string }[] {
  const findings: { line: number; message: string }[] = [];
  for (const step of report.steps) {
    if (step.ok !== false || !step.reply) continue;
    // The reply's first line as it came, then the run's own reason when it says more than the code (an enhanced code, @strict text): as VS Code's inline result words it.
    const got = step.reply.lines[0] ?? String(step.reply.code);
    const base = `expected ${step.expected ?? '?'}, got ${got}`;
    findings.push({ line: step.expectedLine ?? step.line, message: step.mismatch && !step.mismatch.startsWith(`expected ${step.expected ?? ''},`) ? `${base} — ${step.mismatch}` : base });
  }
  if (report.error && !cancelled) findings.push({ line: report.error.line ?? report.line, message: report.error.message });
  return findings;
}

/** "2 sessions: 1 passed, 1 failed — line 28: expected 550 5.1.1, got 250 2.1.5 Ok", with the type a client shows it as. */
export function runSummary(result: RunSessionCommand.Result): { type: MessageType; message: string } {
  const count = result.sessions.length;
  const passed = result.sessions.filter((session) => session.result.ok).length;
  const head = `SMTP: ${count} session${count === 1 ? '' : 's'}: ${passed} passed, ${count - passed} failed`;
  if (result.cancelled) return { type: MessageType.Warning, message: `${head} — cancelled` };
  const first = result.sessions.flatMap((session) => sessionFindings(session.result, false))[0];
  if (!first) return { type: MessageType.Info, message: head };
  return { type: MessageType.Error, message: `${head} — line ${first.line}: ${first.message}` };
}

/** The run diagnostics of every document, by URI, for every client (VS Code's Problems shows them as any editor does). */
export class RunDiagnostics {
  private readonly outcomes = new Map<string, Map<number, SessionOutcome>>();
  /** The last text each document with outcomes was seen with (the text that ran, or the open document's): where a closed document's diagnostics are. */
  private readonly lastSeen = new Map<string, { file: TranscriptFile; lines: readonly string[] }>();

  /** The sessions of `result` ran over `file` (whose text is `lines`): theirs replace what earlier runs left. */
  record(uri: string, file: TranscriptFile, lines: readonly string[], result: RunSessionCommand.Result): void {
    const byIndex = this.outcomes.get(uri) ?? new Map<number, SessionOutcome>();
    for (const { index, result: report } of result.sessions) {
      const session = file.sessions[index];
      if (!session) continue;
      const start = session.range.start.line;
      const findings = sessionFindings(report, result.cancelled).map(({ line, message }) => ({ offset: line - 1 - start, message }));
      if (findings.length === 0) byIndex.delete(index);
      else byIndex.set(index, { text: sessionText(lines, session.range.start.line, session.range.end.line), findings });
    }
    this.outcomes.set(uri, byIndex);
    this.lastSeen.set(uri, { file, lines });
    this.dropIfEmpty(uri);
  }

  /** The diagnostics for the document's current text (`text()`: its lines, split only when a run left something): those of sessions whose text is unchanged, at the session's current place. */
  forDocument(uri: string, file: TranscriptFile, text: () => readonly string[]): Diagnostic[] {
    const byIndex = this.outcomes.get(uri);
    if (!byIndex) return [];
    const lines = text();
    this.lastSeen.set(uri, { file, lines });
    const diagnostics: Diagnostic[] = [];
    for (const [index, outcome] of byIndex) {
      // The same index first (the usual case), else wherever that text now is; gone when it was edited.
      const found = [index, ...file.sessions.keys()].find((candidate) => {
        const session = file.sessions[candidate];
        return session !== undefined && sessionText(lines, session.range.start.line, session.range.end.line) === outcome.text;
      });
      if (found === undefined) {
        byIndex.delete(index);
        continue;
      }
      const start = file.sessions[found].range.start.line;
      for (const { offset, message } of outcome.findings) {
        const line = start + offset;
        diagnostics.push({
          range: { start: { line, character: 0 }, end: { line, character: (lines[line] ?? '').length } },
          severity: DiagnosticSeverity.Error,
          source: RUN_DIAGNOSTIC_SOURCE,
          message,
        });
      }
    }
    this.dropIfEmpty(uri);
    return diagnostics;
  }

  /** The run diagnostics of a document no editor has open: where they were in the last text seen of it. */
  lastPublished(uri: string): Diagnostic[] {
    const seen = this.lastSeen.get(uri);
    return seen ? this.forDocument(uri, seen.file, () => seen.lines) : [];
  }

  /** Forgets the run diagnostics of `uri`, or of every document; returns the documents that had some. */
  clear(uri?: string): string[] {
    const cleared = uri === undefined ? [...this.outcomes.keys()] : this.outcomes.has(uri) ? [uri] : [];
    for (const each of cleared) {
      this.outcomes.delete(each);
      this.lastSeen.delete(each);
    }
    return cleared;
  }

  private dropIfEmpty(uri: string): void {
    if (this.outcomes.get(uri)?.size) return;
    this.outcomes.delete(uri);
    this.lastSeen.delete(uri);
  }
}

function sessionText(lines: readonly string[], first: number, last: number): string {
  return lines.slice(first, last + 1).join('\n');
}
