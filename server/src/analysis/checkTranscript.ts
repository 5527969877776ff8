import type { Problem, TranscriptFile } from '../transcript/ast';
import type { AnalysisOptions } from './analysisOptions';
import { analyzeSession } from './analyzeSession';
import { VariableScopes } from './variableScope';

/**
 * All diagnostics for a parsed file, in document order: the parser's problems
 * and what the dialogue analysis finds. The CLI's `check` and the language
 * server both call this, so they always report the same thing.
 */
export function checkTranscript(file: TranscriptFile, options: AnalysisOptions = {}): Problem[] {
  const problems = file.problems.slice();
  const scopes = new VariableScopes(file);
  // A loop, not push(...spread): a session can hold hundreds of thousands of problems, more than a call's arguments.
  for (const session of file.sessions) for (const problem of analyzeSession(file, session, options, scopes)) problems.push(problem);
  return problems.sort(byPosition);
}

function byPosition(a: Problem, b: Problem): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
