import type { TextEdit } from 'vscode-languageserver';
import { findCommand } from '../protocol/commands';
import type { Prefix, Step, TranscriptFile } from '../transcript/ast';

const CANONICAL_PREFIX = { c: 'C:', s: 'S:', client: 'Client:', server: 'Server:' } as const;

/**
 * Tidies what can change without changing what is sent: prefixes in their
 * usual case, a space after a prefix that has none, and known verbs in upper
 * case (RFC 5321 §2.4: verbs are case-insensitive). Argument text, extra spaces
 * after a prefix (they are sent), SASL responses and message bodies stay as
 * written.
 */
export function getFormattingEdits(file: TranscriptFile, lines: readonly string[]): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const session of file.sessions) for (const step of session.steps) formatStep(step, lines, edits);
  return edits;
}

function formatStep(step: Step, lines: readonly string[], edits: TextEdit[]): void {
  if (step.kind === 'command') {
    formatPrefix(step.prefix, lines, edits);
    if (step.verb.text !== step.verbName && findCommand(step.verbName)) edits.push({ range: step.verb.range, newText: step.verbName });
  } else if (step.kind === 'reply') {
    for (const line of step.lines) formatPrefix(line.prefix, lines, edits);
  } else if (step.kind === 'sasl') {
    formatPrefix(step.prefix, lines, edits);
  }
}

function formatPrefix(prefix: Prefix, lines: readonly string[], edits: TextEdit[]): void {
  const { range } = prefix;
  const line = lines[range.start.line] ?? '';
  const written = line.slice(range.start.character, range.end.character);
  const word = written.slice(0, -1).toLowerCase() as keyof typeof CANONICAL_PREFIX;
  const canonical = CANONICAL_PREFIX[word];
  const followedBySpace = line.charCodeAt(range.end.character) === 32 || range.end.character === line.length;
  // Only the one optional space after the prefix is not sent, so adding it is safe; removing more would change the command.
  const newText = followedBySpace ? canonical : `${canonical} `;
  if (newText !== written) edits.push({ range, newText });
}
