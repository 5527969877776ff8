// What the client sends, in order, and how it is cut into batches: one item
// at a time, or a whole pipelined group in one write when the server offered
// PIPELINING (RFC 2920) and the transcript wrote the group as one.

import { findCommand } from '../protocol/commands';
import { parseEhloReply } from '../protocol/ehloKeywords';
import type { CommandStep, DataEnd, Reply, ReplyGroup, SaslResponse, Session } from '../transcript/ast';

/** What the client sends, in order: commands, SASL responses, and DATA bodies (sent after their 354). */
export type Sendable =
  | { kind: 'command'; step: CommandStep; expected: Reply | null; group: ReplyGroup | null; line: number }
  | { kind: 'sasl'; step: SaslResponse; expected: Reply | null; group: ReplyGroup | null; line: number }
  | { kind: 'data'; end: DataEnd; expected: Reply | null; group: ReplyGroup | null; line: number };

export function sendables(session: Session): Sendable[] {
  const list: Sendable[] = [];
  const steps = session.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step.kind === 'command') {
      list.push({ kind: 'command', step, expected: step.reply, group: step.group, line: step.line + 1 });
      const end = step.body?.kind === 'data' ? step.body.terminator : null;
      if (end) list.push({ kind: 'data', end, expected: end.reply, group: end.group, line: end.line + 1 }); // the "." line: what the reply answers
    } else if (step.kind === 'sasl') {
      list.push({ kind: 'sasl', step, expected: step.reply, group: step.group, line: step.line + 1 });
    }
  }
  return list;
}

/**
 * The items played together from `start` on: the pipelined group they belong
 * to when the server offered PIPELINING, up to the command that must end a
 * group; otherwise the one item. A SASL response is never part of a group.
 */
export function nextBatch(items: readonly Sendable[], start: number, pipelining: boolean): Sendable[] {
  const first = items[start];
  const batch = [first];
  if (!pipelining || !first.group?.pipelined) return batch;
  while (!endsGroup(batch[batch.length - 1]) && start + batch.length < items.length) {
    const candidate = items[start + batch.length];
    if (candidate.group !== first.group || candidate.kind === 'sasl') break;
    batch.push(candidate);
  }
  return batch;
}

/** RFC 2920 §3.1: these may only be the last command of a pipelined group (unknown verbs are treated alike, to be safe). */
function endsGroup(item: Sendable): boolean {
  if (item.kind === 'data') return false;
  if (item.kind === 'sasl') return true;
  const verb = item.step.verbName;
  let ends = endsGroupByVerb.get(verb);
  if (ends === undefined) {
    ends = findCommand(verb)?.endsPipelineGroup ?? true;
    // Bounded: a file of made-up verbs does not grow it without end.
    if (endsGroupByVerb.size < 256) endsGroupByVerb.set(verb, ends);
  }
  return ends;
}

/** endsGroup's answer for each verb spelling met: asked per item of every batch, and findCommand normalises the verb each time. */
const endsGroupByVerb = new Map<string, boolean>();

/** What the server offered in its reply to the last EHLO (RFC 5321 §4.1.1.1), as far as the engine acts on it. */
export class ServerOffer {
  private keywords: Map<string, string[]> | null = null;

  learn(ehloReply: readonly string[]): void {
    this.keywords = parseEhloReply(ehloReply);
  }

  /** After STARTTLS nothing said before counts (RFC 3207 §4.2): the transcript's next EHLO asks again. */
  forget(): void {
    this.keywords = null;
  }

  get pipelining(): boolean {
    return this.keywords?.has('PIPELINING') ?? false;
  }
}
