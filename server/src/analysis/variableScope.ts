import type { Session, TranscriptFile, VariableDefinition, VariableReference } from '../transcript/ast';

/**
 * The variables visible at `line` of a session: the file's (defined before the
 * first `###`) and the session's own defined on an earlier line. A later
 * definition of the same name wins.
 */
export function visibleVariables(file: TranscriptFile, session: Session, line: number): Map<string, VariableDefinition> {
  const visible = new Map<string, VariableDefinition>();
  for (const definition of file.fileVariables) visible.set(definition.name.text, definition);
  for (const definition of session.variables) {
    if (definition.line >= line) break;
    visible.set(definition.name.text, definition);
  }
  return visible;
}

/** Every reference in a list, with the ones nested in arguments, outermost first. */
export function allReferences(references: readonly VariableReference[]): VariableReference[] {
  const found: VariableReference[] = [];
  const visit = (reference: VariableReference) => {
    found.push(reference);
    for (const arg of reference.args) if (arg.kind === 'reference') visit(arg.reference);
  };
  references.forEach(visit);
  return found;
}

/** The session that holds `line`, or null when the line is outside every session. */
export function sessionAt(file: TranscriptFile, line: number): Session | null {
  let found: Session | null = null;
  for (const session of file.sessions) {
    if (session.range.start.line > line) break;
    found = session;
  }
  return found;
}
