// The inbox's list: newest first, one entry per message id, never more than
// the limit. No `vscode` import, so it is tested without an editor.
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';

/** As many as the server keeps (ListCapturedMessagesCommand: the last 200). */
export const INBOX_LIMIT = 200;

export class CapturedMessageList {
  /** Newest first. */
  private messages: CapturedMessageSummary[] = [];
  /** Messages received up to this time were cleared by the user; a refresh does not bring them back. */
  private clearedUpTo = Number.NEGATIVE_INFINITY;

  constructor(private readonly limit = INBOX_LIMIT) {}

  get items(): readonly CapturedMessageSummary[] {
    return this.messages;
  }

  get size(): number {
    return this.messages.length;
  }

  find(id: string): CapturedMessageSummary | undefined {
    return this.messages.find((message) => message.id === id);
  }

  /** Adds messages (a notification, or a list from the server); returns whether the list changed. */
  add(...incoming: CapturedMessageSummary[]): boolean {
    let changed = false;
    for (const message of incoming) {
      if (receivedTime(message) <= this.clearedUpTo) continue;
      const index = this.messages.findIndex((known) => known.id === message.id);
      if (index >= 0) {
        if (sameSummary(this.messages[index], message)) continue;
        this.messages.splice(index, 1);
      }
      this.insertByTime(message);
      changed = true;
    }
    if (this.messages.length > this.limit) {
      this.messages.length = this.limit; // the oldest go
      changed = true;
    }
    return changed;
  }

  /** Empties the list and hides what was received until now; the messages and their files stay where they are. */
  clear(now = Date.now()): void {
    const newest = this.messages.reduce((latest, message) => Math.max(latest, receivedTime(message)), Number.NEGATIVE_INFINITY);
    this.clearedUpTo = Math.max(now, newest);
    this.messages = [];
  }

  private insertByTime(message: CapturedMessageSummary): void {
    const time = receivedTime(message);
    // Newest first; among equal times the later arrival goes first.
    const index = this.messages.findIndex((known) => receivedTime(known) <= time);
    if (index < 0) this.messages.push(message);
    else this.messages.splice(index, 0, message);
  }
}

/** Milliseconds since the epoch; a time the server did not send as ISO 8601 counts as now, so the message shows. */
function receivedTime(message: CapturedMessageSummary): number {
  const time = Date.parse(message.receivedAt);
  return Number.isNaN(time) ? Date.now() : time;
}

/** Equal for the view: a message announced again with the run that sent it (`sentBy`) is not. */
function sameSummary(a: CapturedMessageSummary, b: CapturedMessageSummary): boolean {
  return a.receivedAt === b.receivedAt && a.path === b.path && a.size === b.size && a.subject === b.subject && a.from === b.from && a.to.join('\n') === b.to.join('\n')
    && a.transcriptPath === b.transcriptPath && a.sentBy?.uri === b.sentBy?.uri && a.sentBy?.line === b.sentBy?.line;
}
