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

/**
 * visibleVariables for a walk through a file's sessions in line order, the
 * maps shared between the lines that see the same definitions (every line of
 * a session that defines nothing sees the file's): the analysis asks on each
 * line that holds a reference, and a map per line was most of what a
 * reference cost. The maps are shared, so read them only.
 */
export class VariableScopes {
  private fileScope: ReadonlyMap<string, VariableDefinition> | null = null;
  private session: Session | null = null;
  /** How many of the session's definitions come before the line asked last, and the map of those. */
  private visibleCount = 0;
  private lastLine = -1;
  private scope: ReadonlyMap<string, VariableDefinition> | null = null;

  constructor(private readonly file: TranscriptFile) {}

  at(session: Session, line: number): ReadonlyMap<string, VariableDefinition> {
    const definitions = session.variables;
    if (session !== this.session || line < this.lastLine) {
      this.session = session;
      this.visibleCount = 0;
      this.scope = null;
    }
    this.lastLine = line;
    let count = this.visibleCount;
    while (count < definitions.length && definitions[count].line < line) count++;
    if (count === 0) return (this.fileScope ??= visibleVariables(this.file, session, -1));
    if (count !== this.visibleCount || this.scope === null) {
      this.visibleCount = count;
      this.scope = visibleVariables(this.file, session, definitions[count - 1].line + 1);
    }
    return this.scope;
  }
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
