import type { Position } from 'vscode-languageserver';
import { findCommand } from '../protocol/commands';
import type { CommandStep, TranscriptFile } from '../transcript/ast';
import { matchBodyPrefix, matchPrefix } from '../transcript/lines';

/** A place to put the missing "." of a DATA body, and what to insert there. */
export interface DataEndPlacement {
  title: string;
  at: Position;
  newText: string;
  preferred: boolean;
}

/**
 * Where the "." that ends an unterminated DATA body can go. A body with no
 * "." runs to the end of the file, swallowing any dialogue after it; when a
 * body line looks like dialogue (an `S:` reply, a `###` separator, a `C:`
 * line with a known verb), the body most likely was meant to end just before
 * it, so that place is offered first. The other place is after the body's
 * last line that is not blank: trailing blank lines at the end of a file are
 * rarely meant as message text.
 */
export function dataEndPlacements(file: TranscriptFile, lines: readonly string[], dataLine: number): DataEndPlacement[] {
  const data = dataCommandAt(file, dataLine);
  if (!data) return [];
  const placements: DataEndPlacement[] = [];
  const dialogue = data.body?.lines.find((bodyLine) => looksLikeDialogue(lines[bodyLine.line] ?? '', bodyLine.line));
  if (dialogue) {
    placements.push({ title: `End the message before line ${dialogue.line + 1}`, at: { line: dialogue.line, character: 0 }, newText: '.\n', preferred: true });
  }
  const last = lastTextLine(lines, data.line);
  placements.push({ title: 'End the message after its last line', at: { line: last, character: lines[last].length }, newText: '\n.', preferred: !dialogue });
  return placements;
}

function dataCommandAt(file: TranscriptFile, line: number): CommandStep | null {
  for (const session of file.sessions) {
    for (const step of session.steps) {
      if (step.kind === 'command' && step.line === line && step.verbName === 'DATA') return step;
    }
  }
  return null;
}

function looksLikeDialogue(text: string, line: number): boolean {
  if (/^\s*###/.test(text)) return true;
  const prefix = matchPrefix(text, line);
  if (prefix?.prefix.side === 'server') return true;
  const client = matchBodyPrefix(text, line);
  if (!client) return false;
  const verb = text.slice(client.contentStart).split(/\s/)[0];
  // `C: QUIT` in a body is almost always dialogue; `C: Subject: hi` is a header sent with a prefix.
  return findCommand(verb) !== null && verb === verb.toUpperCase();
}

/** The last line that is not blank, from the DATA line on (the body runs to the end of the file). */
function lastTextLine(lines: readonly string[], from: number): number {
  let last = lines.length - 1;
  while (last > from && lines[last].trim() === '') last--;
  return last;
}
