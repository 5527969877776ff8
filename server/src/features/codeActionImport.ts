import { importTranscript } from '../import/importTranscript';
import { detectSourceFormat, type SourceFormatName } from '../import/sourceFormats';
import { matchPrefix } from '../transcript/lines';

/**
 * The pasted blocks the quick fix converts, by what the title calls them.
 * Only formats whose every line carries a marker (swaks's hints, ">>> "): a
 * block of bare reply lines and typed commands is too easily something else
 * for a one-click conversion; the Import Transcript command reads those.
 */
const QUICK_FIX_FORMATS: Partial<Record<SourceFormatName, string>> = {
  swaks: 'swaks output',
  arrows: '>>>/<<< log',
};

export interface ImportBlockFix {
  title: string;
  /** First and last line of the block (0-based, inclusive). */
  startLine: number;
  endLine: number;
  /** What replaces the block's lines. */
  newText: string;
}

/**
 * "Convert this swaks output to C:/S: lines" for the pasted block around
 * `line`: the run of lines with no C:/S: prefix that are not comments,
 * variables or separators (blank lines inside it included), read by the one
 * converter that `smtp-session import` uses, written without a header and
 * with connections as comments, since the file has its own settings.
 * Null when the block is not recognisably one of QUICK_FIX_FORMATS.
 */
export function importBlockFix(lines: readonly string[], line: number): ImportBlockFix | null {
  if (!isForeign(lines, line)) return null;
  let start = line;
  while (start > 0 && (isForeign(lines, start - 1) || (isBlank(lines[start - 1]) && start > 1 && isForeign(lines, start - 2)))) start--;
  let end = line;
  while (end + 1 < lines.length && (isForeign(lines, end + 1) || (isBlank(lines[end + 1]) && end + 2 < lines.length && isForeign(lines, end + 2)))) end++;
  const block = lines.slice(start, end + 1);
  const format = detectSourceFormat(block);
  const label = format ? QUICK_FIX_FORMATS[format.name] : undefined;
  if (!format || !label) return null;
  const result = importTranscript(block.join('\n'), { from: format.name, standalone: false });
  if (!result.ok) return null;
  return { title: `Convert this ${label} to C:/S: lines`, startLine: start, endLine: end, newText: result.text.replace(/\n$/, '') };
}

function isBlank(text: string | undefined): boolean {
  return text !== undefined && text.trim() === '';
}

/** A line the parser reports as unprefixed: not blank, no prefix, not a comment, variable or separator. */
function isForeign(lines: readonly string[], index: number): boolean {
  const text = lines[index];
  if (text === undefined || text.trim() === '') return false;
  return matchPrefix(text, index) === null && !/^\s*(?:#|\/\/|@)/.test(text);
}
