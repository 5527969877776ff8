// The results shown in editors, per document and session, kept attached to
// their lines while the document is edited. Pure (no `vscode`): the editor
// glue feeds it events and text edits, and draws what it holds.
//
// Lines are kept as the run reported them (the document version that ran)
// plus one shift per session: an edit above a session moves it, an edit inside
// it clears it (its results no longer describe what is written), an edit below
// changes nothing. Steps that arrive after an edit get the same shift.
import type { CaptureReport, SessionReport, StepReport, TlsReport } from '../../../server/src/contract/messages';

/** Documents with results at once: the oldest is forgotten beyond this. */
export const MAX_DOCUMENTS = 50;
/** Steps kept per session (a session of 1,000 pipelined transactions has ~4,000). */
export const MAX_STEPS_PER_SESSION = 10_000;

export interface TrackedSession {
  index: number;
  name: string | null;
  runId: string;
  /** 1-based lines as run (from the run's `started` event); add `shift` for where they are now. */
  startLine: number;
  endLine: number;
  shift: number;
  steps: StepReport[];
  /** TLS from an implicit-TLS connect (shown on the greeting), else from STARTTLS. */
  tls: TlsReport | null;
  error: { message: string; line: number | null } | null;
  /** Values the session took from replies (`@name = {{$reply …}}`), secrets as ***: known once it finished. */
  captures: CaptureReport[];
  finished: boolean;
}

/** A text edit as line numbers: 0-based lines it replaced (inclusive), and how many line breaks the new text has. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  insertedLineBreaks: number;
}

export class ResultStore {
  /** uri → session index → results; Map order is age, for the cap. */
  private readonly documents = new Map<string, Map<number, TrackedSession>>();
  /** Where each step of a session is in its list, by line and kind: a step reported again replaces its entry without a search. */
  private readonly stepPositions = new WeakMap<TrackedSession, Map<string, number>>();

  /** A session's run began: `started` is its event, with the session's name and lines. */
  startSession(uri: string, runId: string, index: number, started: { name: string | null; line: number; endLine: number }): TrackedSession {
    const sessions = this.document(uri);
    const session: TrackedSession = { index, name: started.name, runId, startLine: started.line, endLine: started.endLine, shift: 0, steps: [], tls: null, error: null, captures: [], finished: false };
    sessions.set(index, session);
    return session;
  }

  addStep(uri: string, runId: string, index: number, step: StepReport): TrackedSession | undefined {
    const session = this.current(uri, runId, index);
    if (!session) return undefined;
    // A step may come again (a pipelined step reported skipped, then played): the last word counts.
    let positions = this.stepPositions.get(session);
    if (!positions) {
      positions = new Map();
      this.stepPositions.set(session, positions);
    }
    const key = `${step.line}:${step.kind}`;
    const existing = positions.get(key);
    if (existing !== undefined) {
      session.steps[existing] = step;
    } else if (session.steps.length < MAX_STEPS_PER_SESSION) {
      positions.set(key, session.steps.length);
      session.steps.push(step);
    }
    return session;
  }

  setTls(uri: string, runId: string, index: number, tls: TlsReport): void {
    const session = this.current(uri, runId, index);
    if (session) session.tls = tls;
  }

  finish(uri: string, runId: string, index: number, result: SessionReport): TrackedSession | undefined {
    const session = this.current(uri, runId, index);
    if (!session) return undefined;
    for (const step of result.steps) this.addStep(uri, runId, index, step);
    session.error = result.error;
    session.tls = session.tls ?? result.tls;
    session.captures = result.captures ?? [];
    session.finished = true;
    return session;
  }

  /**
   * The user cancelled the run: the session it cut short keeps its steps, but
   * its "cancelled" error is no problem of the file, so it is dropped.
   */
  markCancelled(uri: string, runId: string): boolean {
    let changed = false;
    for (const session of this.documents.get(uri)?.values() ?? []) {
      if (session.runId === runId && session.error !== null) {
        session.error = null;
        changed = true;
      }
    }
    return changed;
  }

  /** Shifts or clears sessions for edits made to a document, in the order made; returns whether anything changed. */
  applyEdits(uri: string, edits: readonly LineEdit[]): boolean {
    const sessions = this.documents.get(uri);
    if (!sessions) return false;
    let changed = false;
    for (const edit of edits) {
      const delta = edit.insertedLineBreaks - (edit.endLine - edit.startLine);
      for (const [index, session] of sessions) {
        const [first, last] = currentRange(session);
        if (edit.endLine < first) {
          if (delta !== 0) {
            session.shift += delta;
            changed = true;
          }
        } else if (edit.startLine <= last) {
          sessions.delete(index);
          changed = true;
        }
      }
    }
    if (sessions.size === 0) this.documents.delete(uri);
    return changed;
  }

  sessions(uri: string): TrackedSession[] {
    return [...(this.documents.get(uri)?.values() ?? [])];
  }

  uris(): string[] {
    return [...this.documents.keys()];
  }

  clear(uri?: string): void {
    if (uri === undefined) this.documents.clear();
    else this.documents.delete(uri);
  }

  /** A document renamed: its results follow it. */
  rename(from: string, to: string): void {
    const sessions = this.documents.get(from);
    if (!sessions) return;
    this.documents.delete(from);
    this.documents.set(to, sessions);
  }

  private document(uri: string): Map<number, TrackedSession> {
    let sessions = this.documents.get(uri);
    if (sessions) {
      // Most recently used last, so the cap drops the one untouched longest.
      this.documents.delete(uri);
    } else {
      sessions = new Map();
    }
    this.documents.set(uri, sessions);
    while (this.documents.size > MAX_DOCUMENTS) {
      const oldest = this.documents.keys().next().value as string;
      this.documents.delete(oldest);
    }
    return sessions;
  }

  /** The session only while it still holds this run's results (a newer run or an edit replaces them). */
  private current(uri: string, runId: string, index: number): TrackedSession | undefined {
    const session = this.documents.get(uri)?.get(index);
    return session?.runId === runId ? session : undefined;
  }
}

/** Where a line reported by the run is now (1-based). */
export function shiftedLine(session: TrackedSession, line: number): number {
  return line + session.shift;
}

/** The session's lines now, 0-based and inclusive: an edit touching them clears its results. */
export function currentRange(session: TrackedSession): [number, number] {
  return [session.startLine - 1 + session.shift, session.endLine - 1 + session.shift];
}
