import type { Position, Range } from 'vscode-languageserver';
import { dialogueStateBefore, initialState, type DialogueState } from '../analysis/dialogueState';
import { sessionAt, visibleVariables } from '../analysis/variableScope';
import type { Body, CommandStep, Session, Step, TranscriptFile, VariableDefinition } from '../transcript/ast';

/** Everything a completion provider may ask about the place the cursor is at, worked out once per request. */
export interface CompletionContext {
  file: TranscriptFile;
  session: Session | null;
  lineText: string;
  position: Position;
  /** The line up to the cursor. */
  before: string;
  /** What a command written on this line would meet. */
  state: DialogueState;
  /** The message body (DATA or BDAT) the cursor line belongs to, if any: its lines are text, not dialogue. */
  body: Body | null;
  variables: Map<string, VariableDefinition>;
  /** The session is encrypted at this line: after an accepted STARTTLS, or with implicit TLS from the first byte. */
  tls: boolean;
  /** The step the parser made of the cursor line (it is parsed while being typed). */
  stepOnLine: Step | null;
}

export function completionContext(file: TranscriptFile, lineText: string, position: Position): CompletionContext {
  const line = position.line;
  const session = sessionAt(file, line);
  const state = session ? dialogueStateBefore(session, line) : initialState();
  const variables = session ? visibleVariables(file, session, line) : new Map(file.fileVariables.map((v) => [v.name.text, v]));
  return {
    file, session, lineText, position,
    before: lineText.slice(0, position.character),
    state,
    body: session ? bodyHolding(session, line) : null,
    variables,
    tls: state.tls || implicitTls(variables),
    stepOnLine: session?.steps.find((step) => step.line === line) ?? null,
  };
}

/** The body whose lines include `line`. The DATA or BDAT line itself is not part of it, though a chunk's range starts there. */
function bodyHolding(session: Session, line: number): Body | null {
  for (const step of session.steps) {
    if (step.kind !== 'command' || !step.body || step.line >= line) continue;
    const { start, end } = step.body.range;
    if (line >= start.line && line <= end.line) return step.body;
  }
  return null;
}

// `@tls = implicit`, or port 465 (RFC 8314 §3.3), means TLS from the first byte.
function implicitTls(variables: ReadonlyMap<string, VariableDefinition>): boolean {
  if (variables.get('tls')?.value.text.toLowerCase() === 'implicit') return true;
  return /:465$/.test(variables.get('server')?.value.text ?? '');
}

/** The commands of the session before `line`, in order. */
export function commandsBefore(session: Session | null, line: number): CommandStep[] {
  if (!session) return [];
  return session.steps.filter((step): step is CommandStep => step.kind === 'command' && step.line < line);
}

/** The range on `line` from `start` to the end of the run of characters after the cursor that `continues` accepts. */
export function rangeFrom(context: CompletionContext, start: number, continues: RegExp = /\S/): Range {
  const { lineText, position } = context;
  let end = position.character;
  while (end < lineText.length && continues.test(lineText[end])) end++;
  return { start: { line: position.line, character: start }, end: { line: position.line, character: end } };
}

/** True when nothing but spaces follows `range` on the line: the place where a snippet may add the rest of a line. */
export function lineEndsAfter(context: CompletionContext, range: Range): boolean {
  return context.lineText.slice(range.end.character).trim() === '';
}

/** Snippet syntax gives `$`, `}` and `\` a meaning; text taken from the file is escaped before it goes into one. */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (char) => `\\${char}`);
}

/** Sorts by tier first, then by the order within the tier. */
export function sortKey(tier: number, index: number): string {
  return `${tier}${String(index).padStart(3, '0')}`;
}

/** Makes VS Code open the suggestion list again, so that choosing `C: ` goes straight on to the verbs. */
export const SUGGEST_AGAIN = { title: 'Suggest', command: 'editor.action.triggerSuggest' };
