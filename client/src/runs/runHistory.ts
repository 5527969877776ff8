// The runs of this window, newest first, so an earlier result can be opened
// again after later runs replaced the last one (REST Client's history). Kept
// in memory only: a result may hold server replies a person would not want on
// disk, and the recording of any run worth keeping is one "Save" away.
import type { SessionReport } from '../../../server/src/contract/messages';
import { sessionLabel, summarize, summaryStatusText } from './resultText';

/** Older runs are dropped: a result holds whole replies, and a window can run thousands. */
export const MAX_RUNS_KEPT = 20;

export interface HistoryEntry<T> {
  /** 1, 2, 3… in the order the runs finished: stable while the entry is kept, so a document can name it. */
  id: number;
  finishedAt: Date;
  /** The file as a person reads it (a workspace-relative path). */
  fileLabel: string;
  cancelled: boolean;
  sessions: SessionReport[];
  /** What the editor keeps with the run (its result document). */
  value: T;
}

export class RunHistory<T> {
  private readonly entries: HistoryEntry<T>[] = [];
  private nextId = 1;

  add(entry: Omit<HistoryEntry<T>, 'id'>): HistoryEntry<T> {
    const kept = { ...entry, id: this.nextId++ };
    this.entries.unshift(kept);
    if (this.entries.length > MAX_RUNS_KEPT) this.entries.length = MAX_RUNS_KEPT;
    return kept;
  }

  /** Newest first. */
  list(): readonly HistoryEntry<T>[] {
    return this.entries;
  }

  get(id: number): HistoryEntry<T> | undefined {
    return this.entries.find((entry) => entry.id === id);
  }
}

/** The quick pick row of a run: `$(pass) SMTP 5/5 · submission.smtp`, then its sessions and time. */
export function historyItemText(entry: HistoryEntry<unknown>): { label: string; description: string; detail: string } {
  const summary = summarize(entry.sessions);
  const names = entry.sessions.map((session) => sessionLabel(session.name, session.line));
  const shown = names.length > 3 ? [...names.slice(0, 3), `+${names.length - 3} more`] : names;
  return {
    label: `${summaryStatusText(summary, entry.cancelled)} · ${entry.fileLabel}`,
    description: entry.finishedAt.toLocaleTimeString(),
    detail: shown.join(', '),
  };
}
