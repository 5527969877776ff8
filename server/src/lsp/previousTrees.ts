// Hover and completion on a large document without waiting for its newest
// version to be parsed and analysed. Each keystroke makes a new version; its
// analysis waits for the pause in typing (the validation delay) and then takes
// a while on a file of megabytes. A hover or a completion asked meanwhile is
// answered from the last version that was parsed — the way VS Code's own
// language servers answer from a stale model — when the line asked about has
// not been edited since: positions are mapped through the edits made since
// that version, and the ranges of the answer mapped back. On a line that was
// edited (or after an edit that replaced the whole text) the new version is
// parsed at once, as for a small document, where a parse costs little.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { DocumentCache, VersionedText } from '../features/documentCache';
import type { TranscriptFile } from '../transcript/ast';

/** Below this a parse costs a few milliseconds (a 120,000-character file parses in about 50 ms of CPU): answer from the newest text. */
export const PREVIOUS_TREE_MIN_CHARACTERS = 100_000;
/** Edits remembered per document since its last parse; past this (a long burst with no pause) positions are no longer mapped. */
const MAX_EDITS = 1_000;

/** One content change as lines: lines `startLine`–`endLine` of the text before it became `startLine`–`newEndLine`. */
export interface LineEdit {
  startLine: number;
  endLine: number;
  newEndLine: number;
}

interface Parsed {
  version: number;
  file: TranscriptFile;
  /** The edits made since `version`, in order; null once they cannot be followed (a whole-text change, too many). */
  edits: LineEdit[] | null;
}

/** A tree to answer from, the position as that tree sees it, and how to bring a line of the answer back to the current text. */
export interface TreeForPosition {
  file: TranscriptFile;
  position: Position;
  /** A line of `file` in the current text, or null when it was edited since. */
  toCurrent: (line: number) => number | null;
  /** The tree is an older version's. */
  previous: boolean;
}

/**
 * The document cache with the last parsed version of each document kept
 * aside, and the edits made since. Every parse goes through get(), so the
 * cache's interface is all it needs.
 */
export class PreviousTrees {
  private readonly parsed = new Map<string, Parsed>();

  constructor(private readonly cache: DocumentCache<TranscriptFile>, private readonly minCharacters = PREVIOUS_TREE_MIN_CHARACTERS) {}

  /** The tree of this version, parsed now if it was not yet (as the cache's get). */
  get(document: VersionedText): TranscriptFile {
    const file = this.cache.get(document);
    const known = this.parsed.get(document.uri);
    if (known?.version !== document.version) this.parsed.set(document.uri, { version: document.version, file, edits: [] });
    return file;
  }

  /** The document changed: call with its content changes, in order, before anything reads the new version. */
  changed(uri: string, changes: readonly TextDocumentContentChangeEvent[]): void {
    const known = this.parsed.get(uri);
    if (!known || known.edits === null) return;
    for (const change of changes) {
      if (!('range' in change) || known.edits.length >= MAX_EDITS) {
        known.edits = null;
        return;
      }
      const { start, end } = change.range;
      known.edits.push({ startLine: start.line, endLine: end.line, newEndLine: start.line + lineBreaks(change.text) });
    }
  }

  /**
   * The tree to answer at `position` from: this version's when it was parsed;
   * else, for a large document, the last parsed version's when the position's
   * line is untouched since; else this version's, parsed now.
   */
  forPosition(document: VersionedText, position: Position): TreeForPosition {
    const known = this.parsed.get(document.uri);
    if (known && known.version !== document.version && known.edits !== null && document.getText().length >= this.minCharacters) {
      const line = toPrevious(known.edits, position.line);
      if (line !== null) {
        const edits = known.edits;
        return { file: known.file, position: { line, character: position.character }, toCurrent: (old) => toCurrent(edits, old), previous: true };
      }
    }
    return { file: this.get(document), position, toCurrent: (line) => line, previous: false };
  }

  evict(uri: string): void {
    this.parsed.delete(uri);
    this.cache.evict(uri);
  }
}

/** A line of the current text in the text before `edits`, or null when an edit touched it. */
export function toPrevious(edits: readonly LineEdit[], line: number): number | null {
  let at = line;
  for (let i = edits.length - 1; i >= 0; i--) {
    const edit = edits[i];
    if (at < edit.startLine) continue;
    if (at <= edit.newEndLine) return null;
    at -= edit.newEndLine - edit.endLine;
  }
  return at;
}

/** A line of the text before `edits` in the current text, or null when an edit touched it. */
export function toCurrent(edits: readonly LineEdit[], line: number): number | null {
  let at = line;
  for (const edit of edits) {
    if (at < edit.startLine) continue;
    if (at <= edit.endLine) return null;
    at += edit.newEndLine - edit.endLine;
  }
  return at;
}

/**
 * `answer` with every range in it (a hover's, a completion's text edits)
 * moved to the current text; null when one of them is on an edited line, so
 * the caller answers from the current version instead.
 */
export function rangesToCurrent<T>(answer: T, toCurrentLine: (line: number) => number | null): T | null {
  let unmapped = false;
  const visit = (value: unknown): unknown => {
    if (unmapped || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(visit);
    if (isRange(value)) {
      const start = toCurrentLine(value.start.line);
      const end = toCurrentLine(value.end.line);
      if (start === null || end === null) {
        unmapped = true;
        return value;
      }
      return { start: { line: start, character: value.start.character }, end: { line: end, character: value.end.character } };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) copy[key] = visit(field);
    return copy;
  };
  const mapped = visit(answer) as T;
  return unmapped ? null : mapped;
}

function isRange(value: object): value is Range {
  const { start, end } = value as Partial<Range>;
  return typeof start?.line === 'number' && typeof start.character === 'number' && typeof end?.line === 'number' && typeof end.character === 'number';
}

/** Line breaks as LSP counts them: CRLF, LF or a lone CR. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}
