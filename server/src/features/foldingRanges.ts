import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { Session, TranscriptFile } from '../transcript/ast';

/** Sessions, message bodies, multi-line replies and runs of comments fold. */
export function getFoldingRanges(file: TranscriptFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const session of file.sessions) {
    add(ranges, session.range.start.line, session.range.end.line);
    addSteps(ranges, session);
  }
  return ranges;
}

function addSteps(ranges: FoldingRange[], session: Session): void {
  let commentStart = -1;
  let commentEnd = -1;
  for (const step of session.steps) {
    if (step.kind === 'comment') {
      if (commentStart === -1 || step.line !== commentEnd + 1) {
        add(ranges, commentStart, commentEnd, FoldingRangeKind.Comment);
        commentStart = step.line;
      }
      commentEnd = step.line;
      continue;
    }
    if (step.kind === 'reply') add(ranges, step.range.start.line, step.range.end.line);
    if (step.kind === 'command' && step.body) add(ranges, step.line, step.body.range.end.line);
  }
  add(ranges, commentStart, commentEnd, FoldingRangeKind.Comment);
}

function add(ranges: FoldingRange[], startLine: number, endLine: number, kind?: FoldingRangeKind): void {
  if (startLine < 0 || endLine <= startLine) return;
  ranges.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
}
