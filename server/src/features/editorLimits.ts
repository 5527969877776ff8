import type { Problem, TranscriptFile } from '../transcript/ast';
import { range } from '../transcript/lines';

/**
 * How much of a document the language server parses and analyses per version.
 * Past it, the editor would wait on every keystroke for work nobody reads:
 * the rest of the file is left out, and one diagnostic says where and why.
 * 2,000,000 characters parse and analyse in well under a second.
 */
export const MAX_ANALYZED_CHARACTERS = 2_000_000;

/** True when the editor analyses all of `text`. */
export function withinEditorLimit(text: string, limit = MAX_ANALYZED_CHARACTERS): boolean {
  return text.length <= limit;
}

/**
 * `parse` as the language server runs it: on the first MAX_ANALYZED_CHARACTERS
 * (cut at a line end), and never throwing. A parser failure becomes a file with
 * no sessions and one problem saying so, so hover, completion and diagnostics
 * still answer.
 */
export function parseForEditor(parse: (text: string) => TranscriptFile, limit = MAX_ANALYZED_CHARACTERS): (text: string) => TranscriptFile {
  return (text) => {
    const whole = withinEditorLimit(text, limit);
    const lineEnd = whole ? -1 : text.lastIndexOf('\n', limit);
    const analyzed = whole ? text : text.slice(0, lineEnd > 0 ? lineEnd : limit);
    let file: TranscriptFile;
    try {
      file = parse(analyzed);
    } catch (error) {
      return { fileVariables: [], sessions: [], problems: [internalError('parsing', error)], lineCount: 0 };
    }
    // On the first line left out; on the line cut in two when the first line alone is over the limit.
    if (analyzed.length < text.length) file.problems.push(notAnalyzed(lineEnd > 0 ? file.lineCount : file.lineCount - 1, text.length, limit));
    return file;
  };
}

function notAnalyzed(line: number, length: number, limit: number): Problem {
  return {
    code: 'file-too-large', severity: 'warning', range: range(line, 0, 0),
    message: `This file has ${length.toLocaleString('en-US')} characters: the editor checks the first ${limit.toLocaleString('en-US')} and nothing from here on (no diagnostics, hover or completion below). \`smtp-session check\` checks the whole file.`,
  };
}

/** A diagnostic in place of what an internal error prevented, at the top of the file; the error itself goes to the log. */
export function internalError(what: 'parsing' | 'analysing', error: unknown): Problem {
  const name = error instanceof Error ? error.name : 'error';
  return {
    code: 'internal-error', severity: 'error', range: range(0, 0, 0),
    message: `An internal error (${name}) stopped the language server while ${what} this file, so its diagnostics may be incomplete; the SMTP output channel has the details. Please report it with the file.`,
  };
}
