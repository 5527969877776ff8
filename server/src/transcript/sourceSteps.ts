// The tree's per-line nodes as the parser keeps them: the file's text, where
// the line starts in it, a few columns and small integers. Tokens, ranges,
// prefixes, a command's parts and a line's {{references}} are built by getters
// when a rule or a feature reads them, and not kept. A 10 MB file has some
// 470,000 lines; with a token object (and its string) per word kept for the
// life of the tree, collecting the garbage and moving the live tree between
// heap spaces was over half of parse + analysis, and a string per line (the
// file split into lines) was a third of the objects the tree still kept.
//
// The getters may return a new object on each read: compare what they hold
// (`.text`, `.range`), never the objects themselves.
import type {
  Body, BodyLine, CommandPath, CommandStep, Comment, Delivery, EsmtpParameter, Prefix, Range, Reply, ReplyGroup, ReplyLine, ReplyTarget, SaslResponse, Token,
  VariableReference,
} from './ast';
import { commandArgument, commandPath, commandVerb, commandWords } from './commandLine';
import { linePrefix, range, token } from './lines';
import type { ReplyFields } from './replyLine';
import { scanVariableReferences } from './variableReferences';

/** Most lines hold no reference; they all share this one empty, frozen list. */
export const NO_REFERENCES = Object.freeze([]) as unknown as VariableReference[];

/**
 * The references of a line, scanned again when read: the parser scanned them
 * once to report their problems and kept only whether there are any (most
 * lines hold none). `text` is the file, the line starts at `at` and is
 * `length` long; the references' columns count from the line's start. The
 * last lines read keep theirs in `cache`: a feature reads one line's again
 * and again (hover, completion, then semantic tokens), and a line of 400,000
 * `{{` must not be scanned for each read.
 */
function referencesOf(owner: object, cache: LinePartsCache, text: string, at: number, length: number, line: number, from: number): VariableReference[] {
  const entry = cache.entryFor(owner);
  return (entry.references ??= scanVariableReferences(text.slice(at, at + length), line, from).references);
}

/** Where the prefix and the content of a prefixed line are (lines.ts, PrefixMatch). */
export interface LineLayout {
  /** Column of the prefix, after indentation. */
  start: number;
  /** Characters of the prefix, its colon included. */
  length: number;
  /** Column where the content starts. */
  contentStart: number;
}

/** A line's parts, each split when first read: a command's words, path and parameters, any line's references. */
interface LineParts {
  owner: object;
  words: Token[] | null;
  path: { path: CommandPath | null; parameters: EsmtpParameter[] } | null;
  references: VariableReference[] | null;
}

/**
 * The parts of the lines read last, shared by the lines of one tree: a rule
 * or a feature reads several parts of one command in a row (the path, then
 * the parameters; a RCPT's and its MAIL's), and a hover asks for the same
 * line's again, so splitting a long line on every read would multiply its
 * cost. A few entries only: the tree keeps no parts of the lines read before.
 */
export class LinePartsCache {
  private readonly entries: LineParts[] = [];
  private next = 0;

  entryFor(owner: object): LineParts {
    for (const entry of this.entries) if (entry.owner === owner) return entry;
    const entry: LineParts = { owner, words: null, path: null, references: null };
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % 4;
    return entry;
  }
}

/** A `C:` line: what it sends, split into verb, words, path and parameters when read. */
export class SourceCommand implements CommandStep {
  readonly kind = 'command' as const;
  body: Body | null = null;
  reply: Reply | null = null;
  group: ReplyGroup | null = null;
  deliveries: Delivery[] | null = null;
  private readonly prefixStart: number;
  private readonly prefixLength: number;
  private readonly contentStart: number;

  constructor(
    readonly line: number,
    /** The file's text; the line starts at `at` and is `length` characters long. */
    private readonly source: string,
    private readonly at: number,
    private readonly length: number,
    layout: LineLayout,
    readonly verbName: string,
    /** The line holds a `{{` after the prefix: `variables` scans it when read. */
    private readonly hasReferences: boolean,
    private readonly partsCache: LinePartsCache,
  ) {
    this.prefixStart = layout.start;
    this.prefixLength = layout.length;
    this.contentStart = layout.contentStart;
  }

  get variables(): VariableReference[] {
    return this.hasReferences ? referencesOf(this, this.partsCache, this.source, this.at, this.length, this.line, this.contentStart) : NO_REFERENCES;
  }

  get range(): Range {
    return range(this.line, this.prefixStart, this.length);
  }

  get prefix(): Prefix {
    return linePrefix('client', this.line, this.prefixStart, this.prefixLength);
  }

  get text(): Token {
    return token(this.content(), this.line, this.contentStart);
  }

  get verb(): Token {
    return commandVerb(this.content(), this.line, this.contentStart);
  }

  get argument(): Token | null {
    return commandArgument(this.content(), this.line, this.contentStart);
  }

  get words(): Token[] {
    const parts = this.partsCache.entryFor(this);
    return (parts.words ??= commandWords(this.content(), this.line, this.contentStart));
  }

  get path(): CommandPath | null {
    return this.pathParts().path;
  }

  get parameters(): EsmtpParameter[] {
    return this.pathParts().parameters;
  }

  private pathParts(): { path: CommandPath | null; parameters: EsmtpParameter[] } {
    const parts = this.partsCache.entryFor(this);
    return (parts.path ??= commandPath(this.content(), this.verbName, this.line, this.contentStart));
  }

  private content(): string {
    return this.source.slice(this.at + this.contentStart, this.at + this.length);
  }
}

/** A client line after a 334: a SASL response. */
export class SourceSaslResponse implements SaslResponse {
  readonly kind = 'sasl' as const;
  reply: Reply | null = null;
  group: ReplyGroup | null = null;
  private readonly prefixStart: number;
  private readonly prefixLength: number;
  private readonly contentStart: number;

  /** `source` is the file's text; the line starts at `at` and is `length` characters long. */
  constructor(
    readonly line: number,
    private readonly source: string,
    private readonly at: number,
    private readonly length: number,
    layout: LineLayout,
    /** Null when the line holds no `{{` after the prefix; else where `variables` keeps what it scans. */
    private readonly references: LinePartsCache | null,
  ) {
    this.prefixStart = layout.start;
    this.prefixLength = layout.length;
    this.contentStart = layout.contentStart;
  }

  get variables(): VariableReference[] {
    return this.references ? referencesOf(this, this.references, this.source, this.at, this.length, this.line, this.contentStart) : NO_REFERENCES;
  }

  get range(): Range {
    return range(this.line, this.prefixStart, this.length);
  }

  get prefix(): Prefix {
    return linePrefix('client', this.line, this.prefixStart, this.prefixLength);
  }

  get text(): Token {
    return token(this.source.slice(this.at + this.contentStart, this.at + this.length), this.line, this.contentStart);
  }
}

/**
 * An `S:` line. `source` holds the line from column `base` on (the parser
 * passes the file's text and minus the line's offset in it); the code, the
 * enhanced code and the text are read from it when asked.
 */
export class SourceReplyLine implements ReplyLine {
  /** Set by the parser when the line holds a `{{` after the prefix: where `variables` keeps what it scans. */
  references: LinePartsCache | null = null;
  /** What the references are kept under: the line, or the reply that holds it as its first (SourceReply). */
  owner: object = this;

  constructor(
    readonly line: number,
    private readonly source: string,
    private readonly base: number,
    private readonly prefixStart: number,
    private readonly prefixLength: number,
    /** Column where the content (the code) starts. */
    private readonly contentStart: number,
    /** Column where the line ends. */
    private readonly end: number,
    readonly separator: ReplyLine['separator'],
    private readonly hasCode: boolean,
    /** Characters of the enhanced code, 0 when there is none; it starts after the code and separator. */
    private readonly enhancedLength: number,
    /** Column where the text after the code, separator and enhanced code starts. */
    private readonly textStart: number,
  ) {}

  get variables(): VariableReference[] {
    if (!this.references) return NO_REFERENCES;
    // Columns count from the line's start; a source that starts later (base > 0) is padded to keep them.
    const text = this.base <= 0 ? this.source : ' '.repeat(this.base) + this.source;
    const at = this.base <= 0 ? -this.base : 0;
    return referencesOf(this.owner, this.references, text, at, this.end, this.line, this.contentStart);
  }

  get range(): Range {
    return range(this.line, this.prefixStart, this.end);
  }

  get prefix(): Prefix {
    return linePrefix('server', this.line, this.prefixStart, this.prefixLength);
  }

  get code(): Token | null {
    return this.hasCode ? this.piece(this.contentStart, this.contentStart + 3) : null;
  }

  get enhanced(): Token | null {
    const start = this.contentStart + 4;
    return this.enhancedLength > 0 ? this.piece(start, start + this.enhancedLength) : null;
  }

  get text(): Token {
    return this.piece(this.textStart, this.end);
  }

  private piece(start: number, end: number): Token {
    return token(this.source.slice(start - this.base, end - this.base), this.line, start);
  }
}

/** A copy of a reply line with other text (a substituted one), every part read out into a plain object. */
export function replyLineWithText(line: ReplyLine, text: string): ReplyLine {
  return {
    line: line.line, range: line.range, prefix: line.prefix, code: line.code, separator: line.separator, enhanced: line.enhanced,
    text: { text, range: line.text.range }, variables: line.variables,
  };
}

/**
 * A reply: its lines, and the code and enhanced code of the first that has
 * one. Most replies are one line: the reply keeps that line's columns itself
 * (one object where there were two) and no list of lines; `lines` makes the
 * line and the list when read.
 */
export class SourceReply implements Reply {
  readonly kind = 'reply' as const;
  greeting = false;
  answers: ReplyTarget | null = null;
  recipient: CommandStep | null = null;
  /** The lines of a reply of more than one; null for one line. */
  private more: ReplyLine[] | null = null;
  /** The code of the reply's first line that has one, and the first enhanced code (the parser completes them as lines come). */
  code: string | null;
  enhanced: string | null;
  // The first line's columns (SourceReplyLine).
  private readonly source: string;
  private readonly base: number;
  private readonly prefixStart: number;
  private readonly prefixLength: number;
  private readonly contentStart: number;
  private readonly end: number;
  private readonly separator: ReplyLine['separator'];
  private readonly hasCode: boolean;
  private readonly enhancedLength: number;
  private readonly textStart: number;
  private readonly references: LinePartsCache | null;

  /**
   * The reply's first line: `source` holds it from column `base` on, its
   * prefix is at `prefix`, it ends at column `end` and holds `fields`
   * (replyLine.ts); `references` as SourceReplyLine keeps them.
   */
  constructor(readonly line: number, source: string, base: number, prefix: LineLayout, end: number, fields: ReplyFields, references: LinePartsCache | null) {
    this.source = source;
    this.base = base;
    this.prefixStart = prefix.start;
    this.prefixLength = prefix.length;
    this.contentStart = prefix.contentStart;
    this.end = end;
    this.separator = fields.separator;
    this.hasCode = fields.hasCode;
    this.enhancedLength = fields.enhancedLength;
    this.textStart = fields.textStart;
    this.references = references;
    this.code = fields.code;
    this.enhanced = fields.enhanced;
  }

  private firstLine(): SourceReplyLine {
    const line = new SourceReplyLine(this.line, this.source, this.base, this.prefixStart, this.prefixLength, this.contentStart, this.end, this.separator, this.hasCode, this.enhancedLength, this.textStart);
    line.references = this.references;
    line.owner = this;
    return line;
  }

  get lines(): ReplyLine[] {
    return this.more ?? [this.firstLine()];
  }

  get lastLine(): ReplyLine {
    return this.more === null ? this.firstLine() : this.more[this.more.length - 1];
  }

  addLine(line: ReplyLine): void {
    if (this.more === null) this.more = [this.firstLine()];
    this.more.push(line);
  }

  get range(): Range {
    const end = this.more === null ? { line: this.line, character: this.end } : this.more[this.more.length - 1].range.end;
    return { start: { line: this.line, character: this.prefixStart }, end };
  }
}

/**
 * One string for each spelling met (verbs, reply codes, enhanced codes), so
 * the thousands of steps that hold "250" share one. Bounded: a file of
 * made-up verbs keeps its own strings past the limit.
 */
export class Interned {
  private readonly strings = new Map<string, string>();

  intern(text: string): string {
    const known = this.strings.get(text);
    if (known !== undefined) return known;
    if (this.strings.size < 1024) this.strings.set(text, text);
    return text;
  }
}

/** A line of a DATA body or a BDAT chunk: what it sends is the line from `contentStart` on. */
export class SourceBodyLine implements BodyLine {
  constructor(
    readonly line: number,
    /** The file's text; the line starts at `at` and is `length` characters long. */
    private readonly source: string,
    private readonly at: number,
    private readonly length: number,
    private readonly prefixStart: number,
    /** 0 when the line has no prefix. */
    private readonly prefixLength: number,
    private readonly contentStart: number,
    /** Null when the line holds no `{{`; else where `variables` keeps what it scans. */
    private readonly references: LinePartsCache | null,
    readonly withoutLineEnding: boolean,
  ) {}

  get variables(): VariableReference[] {
    return this.references ? referencesOf(this, this.references, this.source, this.at, this.length, this.line, this.contentStart) : NO_REFERENCES;
  }

  get range(): Range {
    return range(this.line, 0, this.length);
  }

  get prefix(): Prefix | null {
    return this.prefixLength > 0 ? linePrefix('client', this.line, this.prefixStart, this.prefixLength) : null;
  }

  get text(): Token {
    return token(this.source.slice(this.at + this.contentStart, this.at + this.length), this.line, this.contentStart);
  }
}

export class SourceComment implements Comment {
  readonly kind = 'comment' as const;

  constructor(readonly line: number, private readonly length: number) {}

  get range(): Range {
    return range(this.line, 0, this.length);
  }
}
