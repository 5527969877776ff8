// The parser's line table: per line of the file, what the parser read, as
// integers in typed arrays (one array a column). The tree's C:, S: and body
// lines are rows of this table, not objects: a step keeps the table and its
// line number, and its tokens, ranges and references are built from the row
// when a rule or a feature reads them (sourceSteps.ts). A 10 MB file has some
// 470,000 lines; an object per line, copied by the young generation and
// promoted, made the garbage collector a third of parse + analysis. The
// arrays' memory lies outside the JS heap, so the collector never copies it.
import type { CommandPath, EsmtpParameter, Range, Token, VariableReference } from './ast';
import { range, utf8Length } from './lines';
import { scanVariableReferences } from './variableReferences';

/** What a line is, as the parser read it. */
export const enum LineKind {
  /** Blank, a `###` separator, a variable, an unprefixed line or one the parser skips. */
  Other = 0,
  Command = 1,
  Sasl = 2,
  Reply = 3,
  Body = 4,
  DataEnd = 5,
  Comment = 6,
}

/** Bits of the `flags` column. */
export const enum LineFlag {
  /** The content holds a `{{reference}}` that parses: `references` scans it when read. */
  HasReferences = 1,
  /** S: lines: a three-character code starts the content. */
  HasCode = 2,
  /** S: lines: `-` after the code (a continuation). */
  SeparatorDash = 4,
  /** S: lines: a space after the code. */
  SeparatorSpace = 8,
  /** BDAT body lines: this last line of the chunk is sent without CRLF so the size matches. */
  WithoutLineEnding = 16,
  /** S: lines: the first line of the session's greeting. */
  Greeting = 32,
}

/** A line's parts, each split when first read: a command's words, path and parameters, any line's references. */
interface LineParts {
  line: number;
  words: Token[] | null;
  path: { path: CommandPath | null; parameters: EsmtpParameter[] } | null;
  references: VariableReference[] | null;
}

/** How many lines keep their parts (LineTable.parts): a few, read again and again by one rule or feature. */
const KEPT_PARTS = 4;

export class LineTable {
  /** Number of lines (an empty file has one, empty). */
  readonly count: number;
  /** Where each line starts in the text, and one past the end as the last entry (lines.ts, lineStarts). */
  readonly starts: Int32Array;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  /** Column of the line's prefix, after indentation (0 without one). */
  readonly prefixStart: Int32Array;
  /** Characters of the prefix, its colon included; 0 when the line has none. */
  readonly prefixLength: Uint8Array;
  /** Column where the content starts: after the prefix and its one optional space. */
  readonly contentStart: Int32Array;
  /** S: lines: column where the text after the code, separator and enhanced code starts. */
  readonly textStart: Int32Array;
  /** S: lines: characters of the enhanced code (0 without one); it starts after the code and separator. */
  readonly enhancedLength: Uint8Array;
  private readonly kept: LineParts[] = [];
  private nextKept = 0;

  constructor(readonly text: string, starts: Int32Array) {
    this.starts = starts;
    this.count = starts.length - 1;
    const count = this.count;
    this.kind = new Uint8Array(count);
    this.flags = new Uint8Array(count);
    this.prefixStart = new Int32Array(count);
    this.prefixLength = new Uint8Array(count);
    this.contentStart = new Int32Array(count);
    this.textStart = new Int32Array(count);
    this.enhancedLength = new Uint8Array(count);
  }

  /** Line i's length, without its line ending (LF, or CRLF). */
  length(i: number): number {
    const start = this.starts[i];
    let end = this.starts[i + 1] - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return end - start;
  }

  /** Line i's text from column `from` on, without its line ending. */
  slice(i: number, from: number): string {
    const start = this.starts[i];
    return this.text.slice(start + from, start + this.length(i));
  }

  /** A prefixed line's range: from its prefix to its end (a C:, S: or SASL line's own range). */
  prefixedRange(i: number): Range {
    return range(i, this.prefixStart[i], this.length(i));
  }

  /** What line i sends: its text from its content's column on. */
  content(i: number): string {
    return this.slice(i, this.contentStart[i]);
  }

  /** UTF-8 octets of what line i sends (its content), without building the string. */
  contentOctets(i: number): number {
    const start = this.starts[i];
    return utf8Length(this.text, start + this.contentStart[i], start + this.length(i));
  }

  /** The UTF-16 code of character `at` of line i's content; NaN past its end. */
  contentCharCode(i: number, at: number): number {
    const column = this.contentStart[i] + at;
    return column < this.length(i) ? this.text.charCodeAt(this.starts[i] + column) : NaN;
  }

  has(i: number, flag: LineFlag): boolean {
    return (this.flags[i] & flag) !== 0;
  }

  /**
   * Line i's references, scanned when read: the parser only counted them
   * (countReferences; scanned in full a line with problems to report) and
   * kept whether there are any.
   */
  references(i: number): VariableReference[] {
    if (!this.has(i, LineFlag.HasReferences)) return NO_REFERENCES;
    const parts = this.parts(i);
    return (parts.references ??= scanVariableReferences(this.slice(i, 0), i, this.contentStart[i]).references);
  }

  /**
   * The parts of the last lines read: a rule or a feature reads several
   * parts of one line in a row (a command's path, then its parameters; a
   * hover, then completion), and a line of 400,000 `{{` must not be split
   * for each read. A few entries only: the table keeps no parts of the lines
   * read before.
   */
  parts(i: number): LineParts {
    for (const entry of this.kept) if (entry.line === i) return entry;
    const entry: LineParts = { line: i, words: null, path: null, references: null };
    this.kept[this.nextKept] = entry;
    this.nextKept = (this.nextKept + 1) % KEPT_PARTS;
    return entry;
  }
}

/** Most lines hold no reference; they all share this one empty, frozen list. */
export const NO_REFERENCES = Object.freeze([]) as unknown as VariableReference[];
