import type { Problem, TranscriptFile } from '../transcript/ast';

/**
 * All diagnostics for a parsed file, in document order. The CLI's `check` and
 * the language server both call this, so they always report the same thing.
 */
export function checkTranscript(file: TranscriptFile): Problem[] {
  return [...file.problems].sort(byPosition);
}

function byPosition(a: Problem, b: Problem): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
