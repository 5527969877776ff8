// The inbox's sessions: each connection the local server served, newest first,
// with the messages it delivered. A session still connected is known only
// from its messages' `sessionId` until smtp/capturedSession says it closed.
// No `vscode` import, so it is tested without an editor.
import type { CapturedMessageSummary, CapturedSessionSummary } from '../../../server/src/contract/messages';
import { INBOX_LIMIT } from './capturedMessageList';

/** One row of the inbox's top level: a session, closed (`summary`) or still connected (null), and its messages. */
export interface InboxSession {
  id: string;
  summary: CapturedSessionSummary | null;
  /** Oldest first, as the session delivered them. */
  messages: CapturedMessageSummary[];
}

export class CapturedSessionList {
  private readonly sessions = new Map<string, CapturedSessionSummary>();
  /** Sessions that started up to this time were cleared by the user; a refresh does not bring them back. */
  private clearedUpTo = Number.NEGATIVE_INFINITY;

  constructor(private readonly limit = INBOX_LIMIT) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): CapturedSessionSummary | undefined {
    return this.sessions.get(id);
  }

  /** Adds sessions (a notification, or a list from the server); returns whether the list changed. */
  add(...incoming: CapturedSessionSummary[]): boolean {
    let changed = false;
    for (const session of incoming) {
      if (time(session.startedAt) <= this.clearedUpTo || this.sessions.has(session.id)) continue;
      this.sessions.set(session.id, session);
      changed = true;
    }
    if (this.sessions.size > this.limit) {
      const oldestFirst = [...this.sessions.values()].sort((a, b) => time(a.startedAt) - time(b.startedAt));
      for (const session of oldestFirst.slice(0, this.sessions.size - this.limit)) this.sessions.delete(session.id);
    }
    return changed;
  }

  clear(now = Date.now()): void {
    const newest = Math.max(Number.NEGATIVE_INFINITY, ...[...this.sessions.values()].map((session) => time(session.startedAt)));
    this.clearedUpTo = Math.max(now, newest);
    this.sessions.clear();
  }

  /**
   * The inbox's top level, newest first: every known session with its
   * messages, and a row for each session still connected that delivered
   * messages already (they show at once, not only when it closes).
   */
  rows(messages: readonly CapturedMessageSummary[]): InboxSession[] {
    const rows = new Map<string, InboxSession>();
    for (const summary of this.sessions.values()) rows.set(summary.id, { id: summary.id, summary, messages: [] });
    // `messages` is newest first: unshift keeps each session's own oldest first.
    for (const message of messages) {
      let row = rows.get(message.sessionId);
      if (!row) {
        row = { id: message.sessionId, summary: null, messages: [] };
        rows.set(row.id, row);
      }
      row.messages.unshift(message);
    }
    const started = (row: InboxSession) => (row.summary ? time(row.summary.startedAt) : Math.min(...row.messages.map((message) => time(message.receivedAt))));
    return [...rows.values()].sort((a, b) => started(b) - started(a));
  }
}

/** Milliseconds since the epoch; a time the server did not send as ISO 8601 counts as now, so the entry shows. */
function time(iso: string): number {
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? Date.now() : parsed;
}
