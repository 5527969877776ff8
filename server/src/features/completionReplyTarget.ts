import { findCommand } from '../protocol/commands';
import type { ReplyLine, ReplyTarget, Session } from '../transcript/ast';

/** What a reply line written at some line would answer. */
export type AwaitedReply =
  /** The line before is a `ddd-` continuation: this line goes on with the same code. */
  | { kind: 'continuation'; code: string }
  /** Nothing has been sent yet: the server's greeting. */
  | { kind: 'greeting' }
  | { kind: 'step'; step: ReplyTarget };

/**
 * The reply a line written at `line` would be: it cannot be read off the tree,
 * because the line being typed is already parsed as a reply and shifts the
 * matching. So the steps and replies before `line` are replayed here.
 *
 * Replies are written in order, so the next one answers the first step of the
 * group still without one (an RFC 2920 pipeline filled one reply at a time).
 * A group that holds a command which must end a pipeline (EHLO, DATA, a SASL
 * response…) before its last step is no pipeline: its earlier steps simply
 * recorded no reply (docs/format.md), and the new line answers the steps after
 * the last such command. Null when every step already has its reply.
 */
export function awaitedReply(session: Session | null, line: number): AwaitedReply | null {
  if (!session) return null;
  let waiting: ReplyTarget[] = [];
  let answered = 0;
  let sentAny = false;
  let greeted = false;
  let openLine: ReplyLine | null = null;
  for (const event of eventsBefore(session, line)) {
    if (event.kind !== 'reply') {
      if (answered > 0) {
        waiting = [];
        answered = 0;
      }
      waiting.push(event);
      sentAny = true;
      openLine = null;
      continue;
    }
    const lines = event.lines.filter((replyLine) => replyLine.line < line);
    openLine = lines[lines.length - 1] ?? null;
    if (!sentAny && !greeted) greeted = true;
    else answered++;
  }
  if (openLine?.separator === '-' && openLine.code) return { kind: 'continuation', code: openLine.code.text };
  if (!sentAny) return greeted ? null : { kind: 'greeting' };
  const pipeline = waiting.slice(lastGroupEnd(waiting) + 1);
  return answered < pipeline.length ? { kind: 'step', step: pipeline[answered] } : null;
}

type Event = ReplyTarget | Extract<Session['steps'][number], { kind: 'reply' }>;

/** Steps that send or answer before `line`, in line order, with each DATA body's closing "." among them. */
function eventsBefore(session: Session, line: number): Event[] {
  const events: Event[] = [];
  for (const step of session.steps) {
    if (step.line >= line) break;
    if (step.kind === 'command' || step.kind === 'sasl' || step.kind === 'reply') events.push(step);
    const end = step.kind === 'command' ? step.body?.terminator : null;
    if (end && end.line < line) events.push(end);
  }
  return events.sort((a, b) => a.line - b.line);
}

/** The index of the last step before the final one that a pipeline cannot go past; -1 when there is none. */
function lastGroupEnd(waiting: readonly ReplyTarget[]): number {
  for (let i = waiting.length - 2; i >= 0; i--) if (endsGroup(waiting[i])) return i;
  return -1;
}

// RFC 2920 §3.1: commands that change the state in ways the client must see end a group; so do
// the end of a body and a SASL response, which both wait for the server before anything follows.
function endsGroup(step: ReplyTarget): boolean {
  if (step.kind !== 'command') return true;
  return findCommand(step.verbName)?.endsPipelineGroup ?? true;
}
