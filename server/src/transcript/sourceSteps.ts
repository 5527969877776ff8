// The tree's per-line nodes as views of the parser's line table
// (lineTable.ts): a step keeps the table and its line number, and a few
// fields the parser links (its reply, its group, its body). Tokens, ranges,
// prefixes, a command's parts and a line's {{references}} are built by getters
// when a rule or a feature reads them, and not kept. Body lines and the lines
// of a multi-line reply are no objects at all until read.
//
// The getters may return a new object on each read: compare what they hold
// (`.text`, `.range`), never the objects themselves.
import type {
  Body, BodyLine, CommandPath, CommandStep, Comment, DataEnd, Delivery, EsmtpParameter, Prefix, Range, Reply, ReplyGroup, ReplyLine, ReplyTarget, SaslResponse, Session, Step, Token,
  VariableDefinition, VariableReference,
} from './ast';
import { commandArgument, commandPath, commandVerb, commandWords } from './commandLine';
import { LineFlag, LineKind, type LineTable } from './lineTable';
import { linePrefix, range, token } from './lines';

/** Puts a step class's `kind` on its prototype, as a plain value read like a field. */
function stepKind(step: { prototype: object }, kind: string): void {
  Object.defineProperty(step.prototype, 'kind', { value: kind, enumerable: true });
}

/** A `C:` line: what it sends, split into verb, words, path and parameters when read. */
export class SourceCommand implements CommandStep {
  /** On the prototype (below): one field fewer on each of the tree's hundreds of thousands of steps. */
  declare readonly kind: 'command';
  body: Body | null = null;
  reply: Reply | null = null;
  group: ReplyGroup | null = null;
  deliveries: Delivery[] | null = null;

  constructor(private readonly table: LineTable, readonly line: number, readonly verbName: string) {}

  get variables(): VariableReference[] {
    return this.table.references(this.line);
  }

  get range(): Range {
    return this.table.prefixedRange(this.line);
  }

  get prefix(): Prefix {
    return clientPrefix(this.table, this.line);
  }

  get text(): Token {
    return token(this.table.content(this.line), this.line, this.table.contentStart[this.line]);
  }

  get verb(): Token {
    return commandVerb(this.table.content(this.line), this.line, this.table.contentStart[this.line]);
  }

  get argument(): Token | null {
    return commandArgument(this.table.content(this.line), this.line, this.table.contentStart[this.line]);
  }

  get words(): Token[] {
    const parts = this.table.parts(this.line);
    return (parts.words ??= commandWords(this.table.content(this.line), this.line, this.table.contentStart[this.line]));
  }

  get path(): CommandPath | null {
    return this.pathParts().path;
  }

  get parameters(): EsmtpParameter[] {
    return this.pathParts().parameters;
  }

  private pathParts(): { path: CommandPath | null; parameters: EsmtpParameter[] } {
    const parts = this.table.parts(this.line);
    return (parts.path ??= commandPath(this.table.content(this.line), this.verbName, this.line, this.table.contentStart[this.line]));
  }
}
stepKind(SourceCommand, 'command');

function clientPrefix(table: LineTable, line: number): Prefix {
  return linePrefix('client', line, table.prefixStart[line], table.prefixLength[line]);
}

/** A client line after a 334: a SASL response. */
export class SourceSaslResponse implements SaslResponse {
  /** On the prototype (below): one field fewer on each of the tree's hundreds of thousands of steps. */
  declare readonly kind: 'sasl';
  reply: Reply | null = null;
  group: ReplyGroup | null = null;

  constructor(private readonly table: LineTable, readonly line: number) {}

  get variables(): VariableReference[] {
    return this.table.references(this.line);
  }

  get range(): Range {
    return this.table.prefixedRange(this.line);
  }

  get prefix(): Prefix {
    return clientPrefix(this.table, this.line);
  }

  get text(): Token {
    return token(this.table.content(this.line), this.line, this.table.contentStart[this.line]);
  }
}
stepKind(SourceSaslResponse, 'sasl');

/** An `S:` line, read from its row of the table when asked. */
export class SourceReplyLine implements ReplyLine {
  constructor(private readonly table: LineTable, readonly line: number) {}

  get variables(): VariableReference[] {
    return this.table.references(this.line);
  }

  get range(): Range {
    return this.table.prefixedRange(this.line);
  }

  get prefix(): Prefix {
    return linePrefix('server', this.line, this.table.prefixStart[this.line], this.table.prefixLength[this.line]);
  }

  get separator(): ReplyLine['separator'] {
    return replySeparator(this.table, this.line);
  }

  get code(): Token | null {
    const start = this.table.contentStart[this.line];
    return this.table.has(this.line, LineFlag.HasCode) ? this.piece(start, start + 3) : null;
  }

  get enhanced(): Token | null {
    const start = this.table.contentStart[this.line] + 4;
    const length = this.table.enhancedLength[this.line];
    return length > 0 ? this.piece(start, start + length) : null;
  }

  get text(): Token {
    return this.piece(this.table.textStart[this.line], this.table.length(this.line));
  }

  private piece(start: number, end: number): Token {
    const at = this.table.starts[this.line];
    return token(this.table.text.slice(at + start, at + end), this.line, start);
  }
}

function replySeparator(table: LineTable, line: number): ReplyLine['separator'] {
  return table.has(line, LineFlag.SeparatorDash) ? '-' : table.has(line, LineFlag.SeparatorSpace) ? ' ' : '';
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
 * one. It keeps its first and last line numbers; the lines between that the
 * table marks as S: lines are its own (a reply's lines are only ever
 * interrupted by comments and blank lines), built when `lines` is read.
 */
export class SourceReply implements Reply {
  /** On the prototype (below): one field fewer on each of the tree's hundreds of thousands of steps. */
  declare readonly kind: 'reply';
  answers: ReplyTarget | null = null;
  recipient: CommandStep | null = null;
  /** The reply's last line read so far (the parser moves it as lines come). */
  last: number;

  constructor(
    private readonly table: LineTable,
    readonly line: number,
    /** The code of the reply's first line that has one, and the first enhanced code (the parser completes them as lines come). */
    public code: string | null,
    public enhanced: string | null,
  ) {
    this.last = line;
  }

  get lines(): ReplyLine[] {
    const lines: ReplyLine[] = [];
    for (let i = this.line; i <= this.last; i++) if (this.table.kind[i] === LineKind.Reply) lines.push(new SourceReplyLine(this.table, i));
    return lines;
  }

  /** The session's greeting: a flag in the table, as only one reply per session is. */
  get greeting(): boolean {
    return this.table.has(this.line, LineFlag.Greeting);
  }

  set greeting(greeting: boolean) {
    if (greeting) this.table.flags[this.line] |= LineFlag.Greeting;
    else this.table.flags[this.line] &= ~LineFlag.Greeting;
  }

  get lineCount(): number {
    let count = 0;
    for (let i = this.line; i <= this.last; i++) if (this.table.kind[i] === LineKind.Reply) count++;
    return count;
  }

  hasReferences(): boolean {
    for (let i = this.line; i <= this.last; i++) if (this.table.kind[i] === LineKind.Reply && this.table.has(i, LineFlag.HasReferences)) return true;
    return false;
  }

  get range(): Range {
    return { start: { line: this.line, character: this.table.prefixStart[this.line] }, end: { line: this.last, character: this.table.length(this.last) } };
  }
}
stepKind(SourceReply, 'reply');

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

/** A line of a DATA body or a BDAT chunk, read from its row of the table: what it sends is the line from its content's column on. */
export class SourceBodyLine implements BodyLine {
  constructor(private readonly table: LineTable, readonly line: number) {}

  get variables(): VariableReference[] {
    return this.table.references(this.line);
  }

  get range(): Range {
    return range(this.line, 0, this.table.length(this.line));
  }

  get prefix(): Prefix | null {
    return this.table.prefixLength[this.line] > 0 ? clientPrefix(this.table, this.line) : null;
  }

  get text(): Token {
    return token(this.table.content(this.line), this.line, this.table.contentStart[this.line]);
  }

  get withoutLineEnding(): boolean {
    return this.table.has(this.line, LineFlag.WithoutLineEnding);
  }
}

/**
 * A DATA body or BDAT chunk: its lines are the rows from `first` on, `lineCount`
 * of them (a body's lines follow each other in the file). `lines` builds them
 * when first read and keeps them; the analysis reads the rows (lineCount, sentOctets…).
 */
export class SourceBody implements Body {
  terminator: DataEnd | null = null;
  octets = 0;
  lineCount = 0;
  /** The line of the body's first line; -1 while it has none. */
  first = -1;
  /** Where the body's range ends (the parser sets it when the body stops growing); it starts at column 0 of `startLine`. */
  endLine: number;
  endCharacter = 0;
  private built: BodyLine[] | null = null;

  constructor(private readonly table: LineTable, readonly kind: Body['kind'], private readonly startLine: number, readonly declaredSize: number | null) {
    this.endLine = startLine;
  }

  get range(): Range {
    return { start: { line: this.startLine, character: 0 }, end: { line: this.endLine, character: this.endCharacter } };
  }

  /** The parser adds line i, the next line of the file, to the body. */
  add(i: number): void {
    if (this.first === -1) this.first = i;
    this.lineCount++;
  }

  get lines(): BodyLine[] {
    if (this.built === null || this.built.length !== this.lineCount) {
      this.built = [];
      for (let k = 0; k < this.lineCount; k++) this.built.push(this.line(k));
    }
    return this.built;
  }

  line(k: number): BodyLine {
    return new SourceBodyLine(this.table, this.first + k);
  }

  hasReferences(k: number): boolean {
    return this.table.has(this.first + k, LineFlag.HasReferences);
  }

  sentOctets(k: number): number {
    return this.table.contentOctets(this.first + k);
  }

  sentLength(k: number): number {
    const i = this.first + k;
    return this.table.length(i) - this.table.contentStart[i];
  }

  sentCharCode(k: number, at: number): number {
    return this.table.contentCharCode(this.first + k, at);
  }

  plainText(after = ''): string | null {
    const { table } = this;
    if (this.lineCount === 0) return null;
    const last = this.first + this.lineCount - 1;
    for (let i = this.first; i <= last; i++) {
      if (table.prefixLength[i] !== 0 || table.contentStart[i] !== 0 || table.flags[i] !== 0) return null;
    }
    // The rows follow each other in the file, so their text is one piece: from the first line's start to the
    // start of the line after the last (a body is always followed by a line: its "." or the next C:).
    const block = table.text.slice(table.starts[this.first], table.starts[last + 1]);
    let crs = 0;
    for (let at = block.indexOf('\r'); at !== -1; at = block.indexOf('\r', at + 1)) crs++;
    if (crs === 0) {
      // Split and joined: one flat string made at once (a replace builds a chain the socket would copy again).
      const lines = block.split('\n');
      lines[lines.length - 1] = after;
      return lines.join('\r\n');
    }
    // Line endings are LF or CRLF (a line's length leaves the CR of its CRLF out); a CR anywhere else is inside a line.
    let crlf = 0;
    for (let i = this.first; i <= last; i++) if (table.starts[i + 1] - table.starts[i] - table.length(i) === 2) crlf++;
    if (crs !== crlf) return null;
    return (crlf === this.lineCount ? block : block.replace(/\r?\n/g, '\r\n')) + after;
  }

}

/** The line that is exactly `.` after a DATA body: it waits for a reply like a command does. */
export class SourceDataEnd implements DataEnd {
  readonly kind = 'data-end' as const;
  reply: Reply | null = null;
  group: ReplyGroup | null = null;
  finalReply: Reply | null = null;

  constructor(
    private readonly table: LineTable,
    readonly line: number,
    readonly body: Body,
    readonly command: CommandStep,
    readonly perRecipient: DataEnd['perRecipient'],
    readonly deliveries: Delivery[] | null,
  ) {}

  get range(): Range {
    return range(this.line, 0, this.table.length(this.line));
  }

  get prefix(): Prefix | null {
    return this.table.prefixLength[this.line] > 0 ? clientPrefix(this.table, this.line) : null;
  }
}

/** A session: its steps as the parser links them; its range kept as the numbers of its first and last lines. */
export class SourceSession implements Session {
  name: string | null = null;
  steps: Step[] = [];
  variables: VariableDefinition[] = [];
  greeting: Reply | null = null;
  groups: ReplyGroup[] = [];
  /** The session's last line that holds content, and its length (the parser sets them when the session ends). */
  endLine: number;
  endCharacter = 0;

  constructor(readonly separator: Token | null, private readonly startLine: number) {
    this.endLine = startLine;
  }

  get range(): Range {
    return { start: { line: this.startLine, character: 0 }, end: { line: this.endLine, character: this.endCharacter } };
  }
}

/**
 * A group of one step, the common case (a command and its reply): one object
 * where a list and its holder were two; `steps` is built when read.
 */
export class SingleStepGroup implements ReplyGroup {
  constructor(private readonly step: ReplyTarget) {}

  get steps(): ReplyTarget[] {
    return [this.step];
  }

  get pipelined(): boolean {
    return false;
  }
}

export class SourceComment implements Comment {
  /** On the prototype (below): one field fewer on each of the tree's hundreds of thousands of steps. */
  declare readonly kind: 'comment';

  constructor(readonly line: number, private readonly length: number) {}

  get range(): Range {
    return range(this.line, 0, this.length);
  }
}
stepKind(SourceComment, 'comment');
