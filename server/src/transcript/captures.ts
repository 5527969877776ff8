// Values taken from replies: `@name = {{$reply /REGEX/}}` after an S: line
// (docs/format.md, "Values from replies"). Which definitions are captures,
// and which reply each one reads, for the analysis and the engine alike.
import type { Reply, Session, VariableDefinition, VariableReference } from './ast';
import { findSystemFunction } from './systemFunctions';

/** A definition whose value reads the reply (`$reply`, `$reply.code`): it gets its value when the run reaches it. */
export function isCapture(definition: VariableDefinition): boolean {
  return readsReply(definition.variables);
}

function readsReply(references: readonly VariableReference[]): boolean {
  return references.some((reference) => (reference.system && (findSystemFunction(reference.name.text)?.name.startsWith('$reply') ?? false))
    || readsReply(reference.args.flatMap((arg) => (arg.kind === 'reference' ? [arg.reference] : []))));
}

/**
 * Each capture of the session under the expected reply it reads: the nearest
 * S: reply above it (a pipelined group's last one). Captures with no reply
 * above them are left out: the analysis reports them.
 */
export function capturesByReply(session: Session): Map<Reply, VariableDefinition[]> {
  const byReply = new Map<Reply, VariableDefinition[]>();
  let last: Reply | null = null;
  for (const step of session.steps) {
    if (step.kind === 'reply') last = step;
    else if (step.kind === 'variable' && last !== null && isCapture(step)) {
      const list = byReply.get(last);
      if (list) list.push(step);
      else byReply.set(last, [step]);
    }
  }
  return byReply;
}
