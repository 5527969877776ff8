import type {
  Body, CommandStep, DataEnd, Delivery, Problem, Range, Reply, ReplyGroup,
  ReplyTarget, SaslResponse, Session, TranscriptFile, VariableDefinition, VariableReference,
} from './ast';
import { verbNameAt } from './commandLine';
import { LineFlag, LineKind, LineTable, NO_REFERENCES } from './lineTable';
import { emptyPrefixLayout, isSpace, lineStarts, range, readBodyPrefix, readPrefix, skipSpaces, token, utf8Length, type PrefixLayout } from './lines';
import { emptyReplyFields, readReplyFields } from './replyLine';
import { Interned, SingleStepGroup, SourceBody, SourceComment, SourceCommand, SourceDataEnd, SourceReply, SourceSaslResponse, SourceSession } from './sourceSteps';
import { countReferences, ReferenceCount, scanVariableReferences } from './variableReferences';

/**
 * Parses a .smtp file (docs/format.md) into sessions of steps with exact ranges.
 * It never throws: whatever the input, it returns a tree and the problems it met.
 */
export function parseTranscript(text: string): TranscriptFile {
  return new TranscriptParser(text).parse();
}

type Mode = 'dialogue' | 'after-data' | 'body' | 'chunk';

interface OpenSession {
  session: SourceSession;
  /** Steps sent since the last run of replies, still waiting for one. */
  waiting: ReplyTarget[];
  /** Replies of the current run of `S:` lines, not matched yet. */
  run: Reply[];
  /** A reply whose last line was a `ddd-` continuation. */
  openReply: SourceReply | null;
  /** The last step got a 334: the next client line is a SASL response. */
  saslNext: boolean;
  sentAny: boolean;
  hasDialogue: boolean;
  lastContentLine: number;
  /** The first command was LHLO: an LMTP session (RFC 2033), whose end of data gets a reply per accepted recipient. */
  lmtp: boolean;
  /** The RCPT commands of the open transaction, from its MAIL on. */
  recipients: CommandStep[];
  /** The MAIL of the open transaction, for its PRDR parameter. */
  mail: CommandStep | null;
  /** LMTP: each BDAT … LAST waiting for its replies, with the RCPTs of its transaction (made at the first). */
  lastChunks: Map<CommandStep, CommandStep[]> | null;
}

/** A place for one reply: a step, and for a per-recipient end of data which reply of it this is. */
interface ReplySlot {
  target: ReplyTarget;
  delivery: Delivery | null;
  /** PRDR's reply for the whole message, after the per-recipient ones. */
  final: boolean;
}

/**
 * The replies the waiting steps expect, in order. LMTP's end of data expects
 * one per accepted recipient (none accepted: the server sends none, and a
 * reply written there is read as SMTP's would be). PRDR's expects a 353, one
 * per accepted recipient and one for the message — when the run holds the
 * 353; a server may answer the whole message at once instead (draft-hall-prdr).
 */
function replySlots(waiting: readonly ReplyTarget[], run: readonly Reply[]): ReplySlot[] {
  const slots: ReplySlot[] = [];
  for (const target of waiting) {
    const deliveries = target.kind === 'data-end' ? target.deliveries : null;
    const mode = target.kind === 'data-end' ? target.perRecipient : null;
    if (mode === 'lmtp' && deliveries && deliveries.length > 0) {
      for (const delivery of deliveries) slots.push({ target, delivery, final: false });
    } else if (target.kind === 'command' && target.deliveries) {
      // LMTP's BDAT LAST: a reply per accepted recipient, none when none was.
      for (const delivery of target.deliveries) slots.push({ target, delivery, final: false });
    } else if (mode === 'prdr' && deliveries && run.some((reply) => reply.code === '353')) {
      slots.push({ target, delivery: null, final: false });
      for (const delivery of deliveries) slots.push({ target, delivery, final: false });
      slots.push({ target, delivery: null, final: true });
    } else {
      slots.push({ target, delivery: null, final: false });
    }
  }
  return slots;
}

/** Sets where a body ends: line `line`, `length` characters long. */
function endBodyRange(body: SourceBody, line: number, length: number): void {
  body.endLine = line;
  body.endCharacter = length;
}

const VARIABLE_NAME = /[A-Za-z_][\w.-]*/y;
const PRDR = /prdr/i;
/** The end of data of a plain SMTP transaction: no reply per recipient. */
const NO_DELIVERIES = { perRecipient: null, deliveries: null } as const;
// What `.` in a regular expression would not match: such a value is not one line.
const NOT_IN_VALUE = /[\r\u2028\u2029]/;

/**
 * `@name = value` with optional spaces or tabs around each part, scanned by
 * hand: a regular expression with a lazy value before trailing blanks took
 * quadratic time on a value with a long run of spaces inside.
 */
function scanVariableDefinition(line: string): { nameStart: number; name: string; valueStart: number; value: string } | null {
  const nameStart = skipSpaces(line, 0) + 1;
  VARIABLE_NAME.lastIndex = nameStart;
  const name = VARIABLE_NAME.exec(line)?.[0];
  if (name === undefined) return null;
  const equals = skipSpaces(line, nameStart + name.length);
  if (line.charCodeAt(equals) !== 61 /* = */) return null;
  const valueStart = skipSpaces(line, equals + 1);
  let valueEnd = line.length;
  while (valueEnd > valueStart && isSpace(line.charCodeAt(valueEnd - 1))) valueEnd--;
  const value = line.slice(valueStart, valueEnd);
  return NOT_IN_VALUE.test(value) ? null : { nameStart, name, valueStart, value };
}

/** One string per verb spelling, shared by every command that uses it. */
const VERB_NAMES = new Interned();
/** The upper-cased verbs of up to six letters, by their letters' numbers (A = 1): found without slicing the line. */
const SHORT_VERBS = new Map<number, string>();

/** The upper-cased first word at column `start`, as a string shared with every command that spells it so. */
function verbNameOf(line: string, start: number): string {
  let key = 0;
  let i = start;
  for (; i < line.length && i < start + 7; i++) {
    const code = line.charCodeAt(i);
    if (isSpace(code)) break;
    const lower = code | 0x20;
    if (lower < 0x61 || lower > 0x7a) return VERB_NAMES.intern(verbNameAt(line, start));
    key = key * 32 + (lower - 0x60);
  }
  if (i === start + 7) return VERB_NAMES.intern(verbNameAt(line, start));
  let name = SHORT_VERBS.get(key);
  if (name === undefined) {
    name = verbNameAt(line, start);
    if (SHORT_VERBS.size < 1024) SHORT_VERBS.set(key, name);
  }
  return name;
}

class TranscriptParser {
  private readonly problems: Problem[] = [];
  private readonly fileVariables: VariableDefinition[] = [];
  private readonly sessions: Session[] = [];
  private current: OpenSession;
  private inPreamble = true;
  private mode: Mode = 'dialogue';
  /** The DATA or BDAT command whose body is being read. */
  private bodyOwner: CommandStep | null = null;
  /** Column of the body owner's prefix: body lines may carry a prefix there (lines.ts, matchBodyPrefix). */
  private bodyIndent = 0;
  /** nextContentLine's last answer: every line from skippedFrom on has skippedTo as its answer. */
  private skippedFrom = -1;
  private skippedTo = -1;
  /**
   * Where the text next holds `{{` and a CR, from the line being read on: one
   * search through the text for each, not one per line (most lines hold neither).
   */
  private readonly nextBraces = { at: -1 };
  private readonly nextCarriageReturn = { at: -1 };
  /** What the parser read of each line (lineTable.ts): the tree's lines are its rows. */
  private readonly table: LineTable;
  /** Where each line starts in the text (lineStarts). */
  private readonly starts: Int32Array;
  private readonly lineCount: number;
  /** The line read last, as a string: made once per line and not kept by the tree. */
  private cachedIndex = -1;
  private cachedLine = '';
  /** The prefix of the line being read, and of a line looked at ahead: written in place, never allocated. */
  private readonly layout = emptyPrefixLayout();
  private readonly peek = emptyPrefixLayout();
  /** What the S: line being read holds (replyLine.ts), written in place. */
  private readonly replyFields = emptyReplyFields();

  constructor(private readonly text: string) {
    this.table = new LineTable(text, lineStarts(text));

    this.starts = this.table.starts;
    this.lineCount = this.table.count;
    this.current = this.openSession(0, null);
  }

  parse(): TranscriptFile {
    for (let i = 0; i < this.lineCount; i++) this.handleLine(i);
    this.closeSession();
    return { fileVariables: this.fileVariables, sessions: this.sessions, problems: this.problems, lineCount: this.lineCount };
  }

  /** Line i's text, without its line ending. */
  private line(i: number): string {
    if (i !== this.cachedIndex) {
      const start = this.starts[i];
      this.cachedLine = this.text.slice(start, start + this.table.length(i));
      this.cachedIndex = i;
    }
    return this.cachedLine;
  }

  private handleLine(i: number): void {
    switch (this.mode) {
      case 'body':
        return this.bodyLine(i);
      case 'chunk':
        return this.chunkLine(i);
      case 'after-data': {
        const layout = this.layout;
        if (readPrefix(this.line(i), layout) && layout.side === 'server') return this.replyLine(i, layout);
        // A comment or blank line between two S: lines does not end the run
        // (docs/format.md, Replies) unless DATA already has its 354: the last
        // reply of a run answers DATA, so until the run ends in a 3xx, more
        // replies to the group are still due and the body has not begun.
        if (this.insideReplyRun(i)) return this.dialogueLine(i);
        this.closeRun();
        const dataReply = this.bodyOwner?.reply?.code;
        this.mode = 'dialogue';
        // RFC 5321 §4.1.1.4: only a 354 (any 3xx here) invites the body; after a refusal the dialogue goes on.
        if (dataReply && dataReply[0] !== '3') return this.dialogueLine(i);
        this.startBody(i, 'data', null);
        return this.bodyLine(i);
      }
      case 'dialogue':
        return this.dialogueLine(i);
    }
  }

  /** After DATA: is line i a comment or blank line with more replies of the same run after it? */
  private insideReplyRun(i: number): boolean {
    const run = this.current.run;
    const last = run[run.length - 1];
    if (!last || (last.code?.[0] === '3' && !this.current.openReply)) return false;
    const decidingLine = this.nextContentLine(i);
    // The line itself must be a comment or blank; the first other line decides.
    return decidingLine > i && decidingLine < this.lineCount && readPrefix(this.line(decidingLine), this.peek) && this.peek.side === 'server';
  }

  /**
   * The first line from i on that is neither blank nor a comment (a `###`
   * separator counts as content), or the line count. Remembered for the lines
   * it skipped: asked for each of 100,000 comment lines, it scans them once.
   */
  private nextContentLine(i: number): number {
    if (i >= this.skippedFrom && i <= this.skippedTo) return this.skippedTo;
    let j = i;
    for (; j < this.lineCount; j++) {
      const line = this.line(j);
      const first = skipSpaces(line, 0);
      if (first === line.length) continue;
      if (line.startsWith('###', first)) break;
      if (line.startsWith('#', first) || line.startsWith('//', first)) continue;
      break;
    }
    this.skippedFrom = i;
    this.skippedTo = j;
    return j;
  }

  private dialogueLine(i: number): void {
    const line = this.line(i);
    const first = skipSpaces(line, 0);
    if (first === line.length) return;
    const char = line.charCodeAt(first);
    if (char === 35 /* # */ && line.startsWith('###', first)) return this.startSession(i);
    this.current.lastContentLine = i;
    if (char === 35 || (char === 47 /* / */ && line.charCodeAt(first + 1) === 47)) {
      this.table.kind[i] = LineKind.Comment;
      this.current.session.steps.push(new SourceComment(i, line.length));
      return;
    }
    if (char === 64 /* @ */) return this.variableLine(i);
    const prefix = this.layout;
    if (!readPrefix(line, prefix)) {
      this.problem('unprefixed-line', 'error', range(i, 0, line.length),
        'This line has no "C:" or "S:" prefix. Start lines the client sends with "C: " and expected replies with "S: "; use "#" for a comment.');
      return;
    }
    this.current.hasDialogue = true;
    if (prefix.side === 'server') return this.replyLine(i, prefix);
    this.closeRun();
    if (this.current.saslNext) return this.saslLine(i, prefix);
    this.commandLine(i, prefix);
  }

  private variableLine(i: number): void {
    const line = this.line(i);
    const match = scanVariableDefinition(line);
    if (!match) {
      this.problem('invalid-variable', 'error', range(i, 0, line.length),
        'A variable line must read "@name = value", with a name of letters, digits, "_", "-" or "." that starts with a letter or "_".');
      return;
    }
    const { nameStart, valueStart } = match;
    const definition: VariableDefinition = {
      kind: 'variable', line: i, range: range(i, 0, line.length),
      name: token(match.name, i, nameStart), value: token(match.value, i, valueStart),
      variables: this.scannedReferences(line, i, valueStart),
    };
    this.current.session.steps.push(definition);
    (this.inPreamble ? this.fileVariables : this.current.session.variables).push(definition);
  }

  private replyLine(i: number, prefix: PrefixLayout): void {
    const open = this.current;
    open.lastContentLine = i;
    const line = this.line(i);
    const base = -this.starts[i];
    const read = this.replyFields;
    readReplyFields(this.text, base, i, prefix.contentStart, line.length, read);
    if (read.problem) this.problems.push(read.problem);
    const table = this.table;
    this.row(i, LineKind.Reply, prefix, this.hasReferences(line, i, prefix.contentStart));
    table.flags[i] |= (read.hasCode ? LineFlag.HasCode : 0) | (read.separator === '-' ? LineFlag.SeparatorDash : read.separator === ' ' ? LineFlag.SeparatorSpace : 0);
    table.enhancedLength[i] = read.enhancedLength;
    table.textStart[i] = read.textStart;
    this.checkBareCarriageReturn(line, i);
    const reply = open.openReply;
    if (reply) {
      this.continueReply(reply, i, prefix.contentStart, read.code, read.enhanced, read.separator);
    } else {
      const started = new SourceReply(table, i, read.code, read.enhanced);
      open.run.push(started);
      open.session.steps.push(started);
      open.openReply = read.separator === '-' ? started : null;
    }
  }

  /** Writes line i's row: its kind, where its prefix and content are, whether it holds references. */
  private row(i: number, kind: LineKind, prefix: PrefixLayout | null, hasReferences: boolean): void {
    const table = this.table;
    table.kind[i] = kind;
    if (prefix) {
      table.prefixStart[i] = prefix.start;
      table.prefixLength[i] = prefix.length;
      table.contentStart[i] = prefix.contentStart;
    }
    if (hasReferences) table.flags[i] = LineFlag.HasReferences;
  }

  private continueReply(reply: SourceReply, i: number, codeStart: number, code: string | null, enhanced: string | null, separator: string): void {
    const first = reply.code;
    if (code && first && code.toLowerCase() !== first.toLowerCase()) {
      this.problem('inconsistent-multiline', 'error', range(i, codeStart, codeStart + 3),
        `This line continues a ${first} reply but carries code ${code}: every line of a multi-line reply must use the same code (RFC 5321 §4.2.1).`);
    }
    reply.last = i;
    reply.code ??= code;
    reply.enhanced ??= enhanced;
    // A line without a code cannot end the reply: keep reading until a proper last line.
    if (code && separator !== '-') this.current.openReply = null;
  }

  private commandLine(i: number, prefix: PrefixLayout): void {
    const line = this.line(i);
    const verbName = verbNameOf(line, prefix.contentStart);
    this.row(i, LineKind.Command, prefix, this.hasReferences(line, i, prefix.contentStart));
    const command = new SourceCommand(this.table, i, verbName);
    this.checkBareCarriageReturn(line, i);
    this.trackTransaction(command);
    this.sent(command);
    this.bodyIndent = prefix.start;
    if (verbName === 'DATA') {
      this.bodyOwner = command;
      this.mode = 'after-data';
    } else if (verbName === 'BDAT') {
      this.startChunk(i, command);
    }
  }

  /** What the parser needs to know of transactions: LMTP's end of data waits for a reply per accepted RCPT. */
  private trackTransaction(command: CommandStep): void {
    const open = this.current;
    if (!open.sentAny) open.lmtp = command.verbName === 'LHLO';
    switch (command.verbName) {
      case 'MAIL':
        open.recipients = [];
        open.mail = command;
        return;
      case 'RSET':
      case 'LHLO':
      case 'EHLO':
      case 'HELO':
        open.recipients = [];
        open.mail = null;
        return;
      case 'RCPT':
        open.recipients.push(command);
        return;
      case 'BDAT':
        // RFC 2033 §4.3: in LMTP the last chunk is answered per recipient. Its RCPTs' replies may follow it in the same run, so the count waits for closeRun.
        if (open.lmtp && command.words.some((word) => word.text.toUpperCase() === 'LAST')) {
          (open.lastChunks ??= new Map()).set(command, open.recipients);
          open.recipients = [];
          open.mail = null;
        }
    }
  }

  /**
   * LMTP, or PRDR on an accepted MAIL: the end of the data reports on the
   * recipients accepted so far (RFC 2033 §4.2). A RCPT or MAIL with no
   * recorded reply counts as accepted, as everywhere in a script. The
   * transaction ends with its data.
   */
  private perRecipient(): { perRecipient: DataEnd['perRecipient']; deliveries: Delivery[] | null } {
    const open = this.current;
    const mail = open.mail;
    // The parameters are split only for a MAIL line that names PRDR at all.
    const prdr = mail !== null && (mail.reply?.code == null || mail.reply.code[0] === '2') && PRDR.test(this.table.content(mail.line))
      && mail.parameters.some((parameter) => parameter.name.text.toUpperCase() === 'PRDR');
    const recipients = open.recipients;
    open.recipients = [];
    open.mail = null;
    const mode = open.lmtp ? 'lmtp' : prdr ? 'prdr' : null;
    if (mode === null) return NO_DELIVERIES;
    const accepted = recipients.filter((rcpt) => rcpt.reply?.code == null || rcpt.reply.code[0] === '2');
    return { perRecipient: mode, deliveries: accepted.map((recipient) => ({ recipient, reply: null })) };
  }

  private saslLine(i: number, prefix: PrefixLayout): void {
    const line = this.line(i);
    this.row(i, LineKind.Sasl, prefix, this.hasReferences(line, i, prefix.contentStart));
    const response: SaslResponse = new SourceSaslResponse(this.table, i);
    this.checkBareCarriageReturn(line, i);
    this.sent(response);
  }

  private sent(step: CommandStep | SaslResponse): void {
    const open = this.current;
    open.session.steps.push(step);
    open.waiting.push(step);
    open.sentAny = true;
    open.saslNext = false;
  }

  /**
   * Matches the run of replies just read to the last steps waiting for one
   * (docs/format.md, "Which reply answers which command"). Each step waits
   * for one reply, except LMTP's end of data, which waits for one per
   * accepted recipient: the run is matched to these slots.
   */
  private closeRun(): void {
    const open = this.current;
    if (open.openReply) {
      const last = open.openReply.last;
      this.problem('inconsistent-multiline', 'error', this.table.prefixedRange(last),
        `This ${open.openReply.code ?? ''} reply continues ("-" after the code) but no last line follows; end it with a line like "${open.openReply.code ?? '250'} text" (RFC 5321 §4.2.1).`);
      open.openReply = null;
    }
    const run = open.run;
    if (run.length === 0) return;
    const waiting = open.waiting;
    if (this.oneReplyEach(waiting)) return this.closeSimpleRun(open, waiting, run);
    const slots = this.slotsForRun(waiting, run);
    const excess = Math.max(0, run.length - slots.length);
    this.excessReplies(open, run, excess, slots.length);
    const matched = run.length - excess;
    if (waiting.length > 0) {
      const first = slots.length - matched;
      const answered = new Set<ReplyTarget>();
      for (let r = 0; r < matched; r++) {
        const { target, delivery, final } = slots[first + r];
        const reply = run[excess + r];
        if (!target.reply) target.reply = reply;
        if (final && target.kind === 'data-end') target.finalReply = reply;
        reply.answers = target;
        answered.add(target);
        if (delivery) {
          delivery.reply = reply;
          reply.recipient = delivery.recipient;
        }
      }
      this.closeGroup(open, waiting, answered.size >= 2);
    }
    this.startNextRun(open);
  }

  /**
   * The common run: each waiting step expects one reply (no LMTP or PRDR end
   * of data, no LMTP last chunk). The last replies answer the last steps, in
   * order, and no slot list is built.
   */
  private closeSimpleRun(open: OpenSession, waiting: ReplyTarget[], run: Reply[]): void {
    const excess = Math.max(0, run.length - waiting.length);
    this.excessReplies(open, run, excess, waiting.length);
    const matched = run.length - excess;
    if (waiting.length > 0) {
      const first = waiting.length - matched;
      for (let r = 0; r < matched; r++) {
        const target = waiting[first + r];
        const reply = run[excess + r];
        if (!target.reply) target.reply = reply;
        reply.answers = target;
      }
      this.closeGroup(open, waiting, matched >= 2);
    }
    this.startNextRun(open);
  }

  /** The next run starts with no step waiting and no reply read. */
  private startNextRun(open: OpenSession): void {
    // New lists rather than length = 0, which V8 makes a call into its runtime; the group keeps its own copy.
    open.waiting = [];
    open.run = [];
  }

  /** Does each waiting step expect exactly one reply (see replySlots)? */
  private oneReplyEach(waiting: readonly ReplyTarget[]): boolean {
    if (this.current.lastChunks !== null && this.current.lastChunks.size > 0) return false;
    for (const target of waiting) {
      if (target.kind === 'data-end' ? target.perRecipient !== null : target.kind === 'command' && target.deliveries !== null) return false;
    }
    return true;
  }

  /** The first replies of a run that no slot takes: the greeting, or orphans. */
  private excessReplies(open: OpenSession, run: readonly Reply[], excess: number, slotCount: number): void {
    for (let r = 0; r < excess; r++) {
      const reply = run[r];
      if (r === 0 && !open.sentAny && !open.session.greeting) {
        reply.greeting = true;
        open.session.greeting = reply;
      } else {
        this.problem('orphan-reply', 'error', this.table.prefixedRange(reply.line), slotCount === 0 && open.sentAny
          ? 'No command is waiting for this reply: every step before it already has one. Remove it, or add the command it answers.'
          : 'More replies than steps waiting for one: the extra reply answers nothing. Remove it, or add the command it answers.');
      }
    }
  }

  /** The waiting steps become a group: a copy sized to fit, as the waiting list is reused. */
  private closeGroup(open: OpenSession, waiting: ReplyTarget[], pipelined: boolean): void {
    const group: ReplyGroup = waiting.length === 1 ? new SingleStepGroup(waiting[0]) : { steps: waiting.slice(), pipelined };
    open.session.groups.push(group);
    for (const step of waiting) step.group = group;
    const last = waiting[waiting.length - 1];
    open.saslNext = last.reply?.code === '334';
  }

  /**
   * The slots of a run (replySlots), once LMTP's last chunks know their
   * recipients. The RCPTs answered in this same run decide how many replies
   * the chunk gets, and the number decides which reply each RCPT gets: the
   * run is matched again until the refusals it finds are the ones it
   * assumed (a few rounds at most; bounded by the group's size).
   */
  private slotsForRun(waiting: readonly ReplyTarget[], run: readonly Reply[]): ReplySlot[] {
    const lastChunks = this.current.lastChunks;
    const chunks = lastChunks === null ? [] : waiting.filter((target): target is CommandStep => target.kind === 'command' && lastChunks.has(target));
    if (chunks.length === 0) return replySlots(waiting, run);
    // Start with every RCPT of the run accepted; match; count as refused the ones the matching refuses; again, until that holds.
    let refused = new Set<CommandStep>();
    let slots: ReplySlot[] = [];
    for (let attempt = 0; attempt <= waiting.length; attempt++) {
      for (const chunk of chunks) {
        const recipients = lastChunks!.get(chunk)!;
        chunk.deliveries = recipients.filter((rcpt) => !refused.has(rcpt) && (rcpt.reply?.code == null || rcpt.reply.code[0] === '2')).map((recipient) => ({ recipient, reply: null }));
      }
      slots = replySlots(waiting, run);
      const first = slots.length - Math.min(run.length, slots.length);
      const excess = Math.max(0, run.length - slots.length);
      const found = new Set(slots.slice(first).flatMap(({ target }, r) => {
        const code = run[excess + r].code;
        return target.kind === 'command' && target.verbName === 'RCPT' && code !== null && code[0] !== '2' ? [target] : [];
      }));
      if (found.size === refused.size && [...found].every((rcpt) => refused.has(rcpt))) break;
      refused = found;
    }
    for (const chunk of chunks) lastChunks!.delete(chunk);
    return slots;
  }

  private startBody(i: number, kind: Body['kind'], declaredSize: number | null): SourceBody {
    const owner = this.bodyOwner!;
    const body = new SourceBody(this.table, kind, i, declaredSize);
    owner.body = body;
    this.mode = kind === 'data' ? 'body' : 'chunk';
    return body;
  }

  private bodyLine(i: number): void {
    const owner = this.bodyOwner!;
    const body = owner.body as SourceBody;
    const line = this.line(i);
    const prefix = readBodyPrefix(line, this.bodyIndent, this.layout) ? this.layout : null;
    const start = prefix ? prefix.contentStart : 0;
    this.current.lastContentLine = i;
    if (line.length === start + 1 && line.charCodeAt(start) === 46 /* . */) {
      this.row(i, LineKind.DataEnd, prefix, false);
      endBodyRange(body, i, line.length);
      const { perRecipient, deliveries } = this.perRecipient();
      const end = new SourceDataEnd(this.table, i, body, owner, perRecipient, deliveries);
      body.terminator = end;
      this.current.waiting.push(end);
      this.mode = 'dialogue';
      this.bodyOwner = null;
      return;
    }
    this.addBodyLine(body, i, prefix, false);
    body.octets += utf8Length(this.text, this.starts[i] + start, this.starts[i] + line.length) + 2;
  }

  /**
   * The body's range reaches its last line read so far. Set when the body
   * stops growing (its end of data, its declared size, the end of the
   * session) rather than on every line: two objects per body line that were
   * garbage at once.
   */
  private closeBodyRange(): void {
    const body = this.bodyOwner?.body as SourceBody | undefined;
    if (!body || body.lineCount === 0) return;
    const last = body.first + body.lineCount - 1;
    endBodyRange(body, last, this.table.length(last));
  }

  private startChunk(i: number, command: CommandStep): void {
    const sizeWord = command.words[0]?.text;
    // Without a size there is no chunk to read; the analyzer reports the missing size.
    if (sizeWord === undefined || !/^\d+$/.test(sizeWord)) return;
    this.bodyOwner = command;
    const body = this.startBody(i, 'bdat', Number(sizeWord));
    if (body.declaredSize === 0) this.finishChunk();
  }

  private chunkLine(i: number): void {
    const owner = this.bodyOwner!;
    const body = owner.body as SourceBody;
    const size = body.declaredSize!;
    const line = this.line(i);
    const prefix = readBodyPrefix(line, this.bodyIndent, this.layout) ? this.layout : null;
    const octets = utf8Length(this.text, this.starts[i] + (prefix ? prefix.contentStart : 0), this.starts[i] + line.length);
    this.current.lastContentLine = i;
    const withoutLineEnding = body.octets + octets === size;
    this.addBodyLine(body, i, prefix, withoutLineEnding);
    body.octets += withoutLineEnding ? octets : octets + 2;
    if (body.octets < size) return;
    if (body.octets > size) this.bdatMismatch(owner, `its lines hold ${body.octets} octets up to line ${i + 1}`);
    this.finishChunk();
  }

  private finishChunk(): void {
    this.closeBodyRange();
    this.mode = 'dialogue';
    this.bodyOwner = null;
  }

  private bdatMismatch(command: CommandStep, what: string): void {
    const size = command.words[0];
    this.problem('bdat-size-mismatch', 'error', size.range,
      `BDAT declares ${size.text} octets but ${what} (each line counts its UTF-8 octets plus 2 for CRLF; a last line may go without CRLF). Change the size or the chunk's lines.`);
  }

  /** Line i is the body's next line: its row, and no object. */
  private addBodyLine(body: SourceBody, i: number, prefix: PrefixLayout | null, withoutLineEnding: boolean): void {
    const line = this.line(i);
    this.checkBareCarriageReturn(line, i);
    this.row(i, LineKind.Body, prefix, this.hasReferences(line, i, prefix ? prefix.contentStart : 0));
    if (withoutLineEnding) this.table.flags[i] |= LineFlag.WithoutLineEnding;
    body.add(i);
  }

  private scannedReferences(line: string, i: number, from: number): VariableReference[] {
    if (line.indexOf('{{', from) === -1) return NO_REFERENCES;
    const scanned = scanVariableReferences(line, i, from);
    for (const problem of scanned.problems) this.problems.push(problem);
    return scanned.references;
  }

  /**
   * Reports the problems of the line's references and says whether it has
   * any: the steps keep only that, and scan their references again when read
   * (sourceSteps.ts). A line of `{{` that never close has none to scan again.
   */
  private hasReferences(line: string, i: number, from: number): boolean {
    if (!this.holds('{{', i, from, this.nextBraces)) return false;
    // Most lines with references have none to report: counted without building them.
    const count = countReferences(line, from);
    if (count !== ReferenceCount.Problems) return count === ReferenceCount.Clean;
    const scanned = scanVariableReferences(line, i, from);
    for (const problem of scanned.problems) this.problems.push(problem);
    return scanned.references.length > 0;
  }

  /** Does line i hold `what` from column `from` on? `next` is where the text held it last (see nextBraces). */
  private holds(what: string, i: number, from: number, next: { at: number }): boolean {
    const start = this.starts[i] + from;
    if (next.at !== -2 && next.at < start) next.at = this.text.indexOf(what, start);
    if (next.at === -1) next.at = -2;
    return next.at >= 0 && next.at + what.length <= this.starts[i] + this.table.length(i);
  }

  private checkBareCarriageReturn(line: string, i: number): void {
    if (!this.holds('\r', i, 0, this.nextCarriageReturn)) return;
    const at = line.indexOf('\r');
    if (at === -1) return;
    this.problem('bare-line-ending', 'error', range(i, at, at + 1),
      'A lone carriage return (CR) inside a line: SMTP lines end only with CRLF, and a bare CR or LF is what SMTP smuggling exploits. Remove the CR character.');
  }

  private startSession(i: number): void {
    this.closeSession();
    this.inPreamble = false;
    const line = this.line(i);
    const hashes = line.indexOf('###');
    const name = line.slice(hashes + 3).trim();
    this.current = this.openSession(i, token(line.slice(hashes), i, hashes));
    this.current.session.name = name === '' ? null : name;
  }

  private openSession(line: number, separator: Session['separator']): OpenSession {
    const session = new SourceSession(separator, line);
    return { session, waiting: [], run: [], openReply: null, saslNext: false, sentAny: false, hasDialogue: false, lastContentLine: line, lmtp: false, recipients: [], mail: null, lastChunks: null };
  }

  private closeSession(): void {
    const open = this.current;
    this.closeRun();
    if (this.mode === 'after-data') {
      // DATA was the last line: unless refused, a body was due and is missing.
      const code = this.bodyOwner!.reply?.code;
      if (code && code[0] !== '3') this.mode = 'dialogue';
      else this.startBody(this.bodyOwner!.line, 'data', null);
    }
    if (this.mode === 'body') this.unterminatedData();
    if (this.mode === 'chunk') {
      const owner = this.bodyOwner!;
      this.bdatMismatch(owner, `the file ends after ${owner.body!.octets} octets`);
      this.finishChunk();
    }
    const session = open.session;
    const last = open.lastContentLine;
    session.endLine = last;
    session.endCharacter = last < this.lineCount ? this.table.length(last) : 0;
    // Arrays grown by push keep room for more; the tree keeps them sized to fit.
    session.steps = session.steps.slice();
    session.groups = session.groups.slice();
    // Lines before the first `###` make a session only when they hold dialogue; variables there are file-wide anyway.
    if (session.separator || open.hasDialogue) this.sessions.push(session);
  }

  private unterminatedData(): void {
    this.closeBodyRange();
    const owner = this.bodyOwner!;
    this.problem('unterminated-data', 'error', owner.verb.range,
      `The message body after this DATA has no line that is exactly ".", so everything to the end of the file is part of it. Add a line with a single "." where the message ends (RFC 5321 §4.1.1.4).`);
    this.mode = 'dialogue';
    this.bodyOwner = null;
  }

  private problem(code: string, severity: Problem['severity'], where: Range, message: string): void {
    this.problems.push({ code, severity, message, range: where });
  }
}
