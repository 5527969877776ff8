// The tree that parseTranscript builds from a .smtp file. Positions are
// LSP-compatible (0-based lines, UTF-16 code-unit characters) so features can
// hand ranges straight to the protocol without conversion.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A piece of source text with its exact place. */
export interface Token {
  text: string;
  range: Range;
}

/** `{{name}}` or `{{$function arg …}}`; arguments may themselves be references. */
export interface VariableReference {
  range: Range;
  /** Variable name, or the system function's name including `$` (e.g. `$secret`). */
  name: Token;
  system: boolean;
  args: VariableArgument[];
}

export type VariableArgument =
  | { kind: 'literal'; token: Token }
  | { kind: 'reference'; reference: VariableReference };

/** The `C:`, `S:`, `Client:` or `Server:` marker at the start of a line. */
export interface Prefix {
  side: 'client' | 'server';
  range: Range;
}

/** Something that waits for a reply: a command, the end of a DATA body, a SASL response. */
export interface AwaitsReply {
  reply: Reply | null;
  /** The group this step was sent in (see ReplyGroup); null when no reply followed it at all. */
  group: ReplyGroup | null;
}

export interface CommandStep extends AwaitsReply {
  kind: 'command';
  line: number;
  range: Range;
  prefix: Prefix;
  /** Everything after the prefix and its one optional space: what is sent. */
  text: Token;
  /** First word, as written (may be empty for a bare `C:`). */
  verb: Token;
  /** Upper-cased verb for lookups. */
  verbName: string;
  /** Everything after the verb and the spaces that follow it; null when there is none. */
  argument: Token | null;
  /** The argument split on spaces. */
  words: Token[];
  /** For MAIL and RCPT: `FROM:` / `TO:` and the path after it. */
  path: CommandPath | null;
  /** ESMTP parameters (`KEY` or `KEY=VALUE`) after the path of MAIL/RCPT. */
  parameters: EsmtpParameter[];
  variables: VariableReference[];
  /** Present on DATA (when a body followed) and BDAT (its chunk). */
  body: Body | null;
  /**
   * LMTP: BDAT … LAST gets one reply per recipient accepted in the
   * transaction, in RCPT order, and none when none was (RFC 2033 §4.3); its
   * `reply` is the first. Null for every other command.
   */
  deliveries: Delivery[] | null;
}

export interface CommandPath {
  /** `FROM:` or `TO:` as written (may be misspelt; analysis checks it). */
  keyword: Token;
  /** The path, normally `<…>`; null when nothing follows the keyword. */
  address: Token | null;
}

export interface EsmtpParameter {
  range: Range;
  name: Token;
  value: Token | null;
}

export interface Body {
  kind: 'data' | 'bdat';
  range: Range;
  /** The body's lines, built when first read and kept from then on (features, the engine). */
  readonly lines: BodyLine[];
  /**
   * The lean reading, for rules that visit every line of every body: the
   * number of lines, and of line k (0-based) what it sends, without building
   * the line (sourceSteps.ts, lineTable.ts).
   */
  readonly lineCount: number;
  /** Line k of the body, built on each call. */
  line(k: number): BodyLine;
  /** Whether line k holds a `{{reference}}` (its `variables` are not empty). */
  hasReferences(k: number): boolean;
  /** UTF-8 octets line k sends, its CRLF not counted. */
  sentOctets(k: number): number;
  /** UTF-16 code units line k sends (at most a third of its octets). */
  sentLength(k: number): number;
  /** The UTF-16 code of character `at` of what line k sends; NaN past its end. */
  sentCharCode(k: number, at: number): number;
  /**
   * What the lines send, each with its CRLF, then `after` (the engine's end of data), read from the file in
   * one piece when they are plain: each sent whole (no prefix, no `{{`, not a chunk's last line without CRLF)
   * and no CR inside a line. Null otherwise (and for no lines): read them line by line. The engine sends a
   * body per transaction, thousands in a run; building each line was most of what sending a body cost.
   */
  plainText(after?: string): string | null;
  /**
   * DATA: the line that is exactly `.`; it waits for a reply like a command does.
   * Null when the terminator is missing, and always for BDAT (whose reply belongs to the command).
   */
  terminator: DataEnd | null;
  /** BDAT: the octet count the command declared. */
  declaredSize: number | null;
  /** Octets the lines hold as written (CRLF counted, except on a line sent without it). */
  octets: number;
}

export interface DataEnd extends AwaitsReply {
  kind: 'data-end';
  line: number;
  range: Range;
  prefix: Prefix | null;
  body: Body;
  command: CommandStep;
  /**
   * LMTP (a session opened with LHLO) or PRDR: the end of the data gets one
   * reply per recipient accepted in the transaction, in RCPT order (RFC 2033
   * §4.2), so it waits for one reply per entry here; `reply` is the first
   * reply it got. Null in SMTP, where it gets one reply for the message.
   */
  deliveries: Delivery[] | null;
  /**
   * Why the end of the data reports per recipient: LMTP (RFC 2033 §4.2), or
   * PRDR on the transaction's MAIL (draft-hall-prdr §4), where a 353 comes
   * first and a reply for the whole message last. Null in plain SMTP.
   */
  perRecipient: 'lmtp' | 'prdr' | null;
  /** PRDR: the reply for the whole message, after the per-recipient ones; null otherwise or when not recorded. */
  finalReply: Reply | null;
}

/** One accepted recipient of an LMTP transaction and the reply its delivery got after the data. */
export interface Delivery {
  recipient: CommandStep;
  reply: Reply | null;
}

export interface BodyLine {
  line: number;
  /** Whole line, including an optional `C:` prefix. */
  range: Range;
  prefix: Prefix | null;
  /** The text sent (wire form): the line without its prefix. */
  text: Token;
  variables: VariableReference[];
  /** BDAT only: this last line of a chunk is sent without CRLF so the size matches. */
  withoutLineEnding: boolean;
}

export interface ReplyLine {
  line: number;
  range: Range;
  prefix: Prefix;
  /** Three characters; digits or `x` wildcards (`2xx`, `25x`); null when the line has no code. */
  code: Token | null;
  /** `-` for a continuation line, ` ` or '' for the last line. */
  separator: '-' | ' ' | '';
  /** `4.7.1` style code at the start of the text (wildcards `5.1.x` allowed). */
  enhanced: Token | null;
  /** Text after the code, separator and enhanced code. */
  text: Token;
  variables: VariableReference[];
}

export interface Reply {
  kind: 'reply';
  /** The reply's first line. */
  line: number;
  range: Range;
  lines: ReplyLine[];
  /**
   * The lean reading, for rules that visit every reply: how many lines it
   * has, and whether any holds a `{{reference}}`, without building the lines.
   */
  readonly lineCount: number;
  hasReferences(): boolean;
  /** The code of the reply's first line that has one, as written (`250`, `2xx`). */
  code: string | null;
  /** The first enhanced status code found in the reply. */
  enhanced: string | null;
  greeting: boolean;
  /** The step it answers; null for the greeting and for orphans. */
  answers: ReplyTarget | null;
  /** LMTP or PRDR: the RCPT whose delivery this reply after the data reports (see DataEnd.deliveries); null otherwise. */
  recipient: CommandStep | null;
}

export type ReplyTarget = CommandStep | SaslResponse | DataEnd;

export interface SaslResponse extends AwaitsReply {
  kind: 'sasl';
  line: number;
  range: Range;
  prefix: Prefix;
  text: Token;
  variables: VariableReference[];
}

export interface Comment {
  kind: 'comment';
  line: number;
  range: Range;
}

export interface VariableDefinition {
  kind: 'variable';
  line: number;
  range: Range;
  name: Token;
  value: Token;
  variables: VariableReference[];
}

/** The pipelining unit: the steps sent since the previous run of replies. */
export interface ReplyGroup {
  steps: ReplyTarget[];
  /** Two or more of the group's steps have replies recorded after the whole group (RFC 2920). */
  pipelined: boolean;
}

export type Step = CommandStep | Reply | SaslResponse | Comment | VariableDefinition;

export interface Session {
  /** Text after `###`, trimmed; null for an unnamed session. */
  name: string | null;
  /** The `###` line; null for a session made of the lines before the first separator. */
  separator: Token | null;
  range: Range;
  /** Everything in order (bodies hang off their commands). */
  steps: Step[];
  /** Variables defined in this session (those before the first `###` live on the file). */
  variables: VariableDefinition[];
  greeting: Reply | null;
  groups: ReplyGroup[];
}

export type ProblemCode =
  | 'unprefixed-line'
  | 'invalid-reply'
  | 'inconsistent-multiline'
  | 'orphan-reply'
  | 'unterminated-data'
  | 'bdat-size-mismatch'
  | 'bare-line-ending'
  | 'invalid-variable'
  | 'unclosed-variable'
  | 'variable-nesting';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A diagnostic as plain data; features turn it into LSP, the CLI into text or JSON. */
export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
}

export interface TranscriptFile {
  /** Variables defined before the first `###`: visible in every session. */
  fileVariables: VariableDefinition[];
  sessions: Session[];
  problems: Problem[];
  lineCount: number;
}
