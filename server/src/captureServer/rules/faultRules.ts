// The capture server's scripted faults: ordered rules asked at every point of
// every dialogue. A rule *matches* when its point and patterns fit; it *acts*
// when its count agrees too (the Nth match, every Nth, a full rate window).
// The first rule that acts with a reply or a disconnect decides; a rule that
// only waits adds its delay and lets the next rules be asked. Counts are kept
// for the whole server, so the same dialogues get the same answers in the
// same order: deterministic, whatever the clock says (except for `after`,
// whose window is time itself).
import type { FaultRule, RuleEvent, RuleReply } from './faultRule';
import { matchesRule } from './matchRule';
import { RateWindow } from './rateWindow';

export type RuleAction =
  | { kind: 'reply'; reply: RuleReply; rule: FaultRule }
  | { kind: 'disconnect'; rule: FaultRule };

export interface RuleDecision {
  /** Milliseconds to wait before acting (or before the usual reply). */
  delayMs: number;
  /** Null: the server answers as it would without rules. */
  action: RuleAction | null;
}

export const NO_DECISION: RuleDecision = { delayMs: 0, action: null };

export class FaultRules {
  private readonly matched: number[];
  private readonly windows: (RateWindow | null)[];

  constructor(
    readonly rules: readonly FaultRule[],
    private readonly now: () => number = Date.now,
  ) {
    this.matched = rules.map(() => 0);
    this.windows = rules.map((rule) => (rule.count?.kind === 'after' ? new RateWindow(rule.count.messages, rule.count.seconds * 1000) : null));
  }

  decide(event: RuleEvent): RuleDecision {
    if (this.rules.length === 0) return NO_DECISION;
    let delayMs = 0;
    for (const [index, rule] of this.rules.entries()) {
      if (!matchesRule(rule, event)) continue;
      this.matched[index]++;
      if (!this.counts(index)) continue;
      delayMs += rule.delayMs;
      if (rule.disconnect) return { delayMs, action: { kind: 'disconnect', rule } };
      if (rule.reply) return { delayMs, action: { kind: 'reply', reply: rule.reply, rule } };
    }
    return { delayMs, action: null };
  }

  /** A message was accepted (250 to its end of data): rate windows count it. */
  messageAccepted(): void {
    const now = this.now();
    for (const window of this.windows) window?.add(now);
  }

  private counts(index: number): boolean {
    const count = this.rules[index].count;
    const times = this.matched[index];
    if (count === null) return true;
    switch (count.kind) {
      case 'nth':
        return times === count.n;
      case 'every':
        return times % count.n === 0;
      case 'after':
        return this.windows[index]!.isFull(this.now());
    }
  }
}

/** The reply text with `{address}` filled in. */
export function replyText(reply: RuleReply, address: string | null): string {
  return reply.text.replaceAll('{address}', address ?? '');
}
