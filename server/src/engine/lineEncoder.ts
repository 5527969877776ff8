// What goes on the wire for each item of a session: a command line, a SASL
// response, a BDAT command and its chunk, a DATA body and its end. Each is
// resolved (variables, secrets), checked and encoded into the outgoing batch;
// the player writes the batch. What was sent comes back as a SentItem: as
// results show it (redacted) and, for observers that ask, each line as it may
// be shown (playEvents.ts).

import { dirname } from 'node:path';
import type { Body, BodyLine, CommandStep, DataEnd, SaslResponse } from '../transcript/ast';
import { displayCommand, fromBase64, initialResponse, protectCredential, refuseClearTextCredentials } from './credentials';
import { escapeForDisplay } from './displayText';
import type { OutgoingBatch } from './outgoingBatch';
import type { PlayContext } from './playContext';
import type { SentBodyLine, SentItem, SentText } from './playEvents';
import type { Sendable } from './pipelining';
import { recordableLine, type LineSource, type RecordableLine, type RecordableOptions } from './recordTranscript';
import { confineFile, openConfinedFile, type FileAccess } from './confineFile';
import { addOnce, literalText, type SessionValues } from './sessionValues';
import type { SmtpConnection } from './smtpConnection';
import { timeoutFor, type Wait } from './timeouts';
import { checkBodyLine, commandLineText, DATA_TERMINATOR, encodeBdatChunk, encodeBodyLines, encodeCommandLine, encodeFileAsBody } from './wireEncoding';

/** A DATA body resolved and checked before DATA is sent: text lines as sent, and `{{$file}}` lines as paths. */
interface PreparedBody {
  body: Body;
  /**
   * Each line of the body as sent, by its index in `body.lines` (null for a `{{$file}}` line, see `files`),
   * then "." and "": joined with CRLF, the whole body with its end of data. Null when `wire` holds it already.
   */
  texts: (string | null)[] | null;
  /** A plain body (SourceBodyLine.plainText): the whole of it in wire form with its end of data, read in one piece. */
  wire: string | null;
  /** The `{{$file}}` lines' files by line index (their real path, and the path as written); null when there is none. */
  files: Map<number, { file: string; written: string }> | null;
}

/** Queued body bytes beyond this are written before more lines are encoded. */
const BODY_WRITE_OCTETS = 256 * 1024;

/** The lines of a body sent when no one observes the session: no one reads them (SentItem). */
const UNOBSERVED_LINES: SentBodyLine[] = Object.freeze([]) as unknown as SentBodyLine[];

const NO_VARIABLES: string[] = Object.freeze([]) as unknown as string[];

export class LineEncoder {
  /**
   * The body of the DATA command sent last: resolved and checked beforehand, so a refusal comes before DATA.
   * One at a time: a body is the item right after its DATA (pipelining.ts), so no other DATA comes between.
   */
  private prepared: PreparedBody | null = null;
  /** Each client line as events may show it, or null when no observer asked: chosen once, as describing costs more than encoding. */
  private readonly describeSent: (sent: string, source: CommandStep | SaslResponse | BodyLine, kind: RecordableOptions['kind']) => SentText;
  /** The write timeout of a command line: the session's settings do not change while it plays, so worked out once. */
  private readonly commandTimeout: number;

  constructor(
    private readonly context: PlayContext,
    private readonly connection: SmtpConnection,
    private readonly outgoing: OutgoingBatch,
    private readonly values: SessionValues,
  ) {
    this.describeSent = context.describesSentLines ? (sent, source, kind) => this.describeLine(sent, source, kind) : () => null;
    this.commandTimeout = this.writeTimeout('command');
  }

  /**
   * Encodes one item into the outgoing batch (a streamed file body is written as it is read).
   * `lastReply` is the reply before it: a SASL response answers its challenge. Not async itself: each
   * async layer costs every item a few more promise jobs.
   */
  encode(item: Sendable, lastReply: readonly string[] | undefined): SentItem | Promise<SentItem> {
    if (item.kind === 'data') return this.encodeBody(item.end, item.line);
    if (item.kind === 'sasl') return this.encodeSaslResponse(item.step, item.line, lastReply);
    const step = item.step;
    // Most commands hold no reference (DATA's body may, checked apart): encoded at once, without a promise
    // (the caller awaits only a promise). A BDAT's chunk is resolved and encoded with it.
    if (step.variables.length > 0 || (step.verbName === 'BDAT' && step.body)) return this.encodeCommand(step, item.line);
    if (step.verbName === 'AUTH') this.refuseLiteralAuth(step);
    const text = step.text.text;
    const line = commandLineText(text, step.line + 1, NO_VARIABLES);
    const body = step.body;
    // The body is resolved and checked before DATA goes out: a refusal then leaves a connection that can still QUIT.
    if (step.verbName === 'DATA' && body?.kind === 'data' && body.terminator) {
      const prepared = this.prepareBody(body);
      if (prepared instanceof Promise) {
        return prepared.then((ready) => {
          this.prepared = ready;
          return this.queueCommand(step, item.line, text, line);
        });
      }
      this.prepared = prepared;
    }
    return this.queueCommand(step, item.line, text, line);
  }

  private async encodeCommand(step: CommandStep, answeredAt: number): Promise<SentItem> {
    this.refuseLiteralAuth(step);
    // Most command lines hold no reference: they skip the resolver, its promise, and the Range of their text.
    const resolved = step.variables.length === 0 ? literalText(step.text.text) : await this.values.resolve(step.text.text, step.variables, step.text.range.start.character, step.line);
    // And on the line as it will be sent: a variable may hold the mechanism, or the verb.
    if (step.variables.length > 0) refuseClearTextCredentials(resolved.text, step, this.connection.isTls, this.context.settings);
    if (step.verbName === 'BDAT' && step.body) return this.encodeChunk(answeredAt, step, resolved.text, resolved.variablesUsed, encodeCommandLine(resolved.text, step.line + 1, resolved.variablesUsed));
    const line = commandLineText(resolved.text, step.line + 1, resolved.variablesUsed);
    // The body is resolved and checked before DATA goes out: a refusal then leaves a connection that can still QUIT.
    if (step.verbName === 'DATA' && step.body?.kind === 'data' && step.body.terminator) this.prepared = await this.prepareBody(step.body);
    return this.queueCommand(step, answeredAt, resolved.text, line);
  }

  /** Judged before substituting too, when the line says AUTH PLAIN outright: no secret is asked for a line refused anyway. */
  private refuseLiteralAuth(step: CommandStep): void {
    if (step.verbName === 'AUTH' && !(step.words[0]?.text ?? '').includes('{{')) {
      refuseClearTextCredentials(`AUTH ${step.words[0]?.text ?? ''}`, step, this.connection.isTls, this.context.settings);
    }
  }

  /** Queues a command line (`text` as resolved, `line` it and its CRLF) and says what was sent. */
  private queueCommand(step: CommandStep, answeredAt: number, text: string, line: string): SentItem {
    this.outgoing.add(line, this.commandTimeout);
    // Only a line that starts with "A" can be AUTH with an initial response: the others skip two patterns.
    const mayBeAuth = (text.charCodeAt(0) | 0x20) === 0x61;
    const credential = mayBeAuth ? initialResponse(text) : undefined;
    if (credential !== undefined) protectCredential(this.context.redactor, credential, null);
    const display = mayBeAuth ? displayCommand(text, (shown) => this.display(shown)) : this.context.redactor.redact(escapeForDisplay(text));
    return { kind: 'command', line: answeredAt, display, text: this.describeSent(text, step, 'command') };
  }

  private async encodeSaslResponse(response: SaslResponse, answeredAt: number, lastReply: readonly string[] | undefined): Promise<SentItem> {
    const resolved = await this.values.resolve(response.text.text, response.variables, response.text.range.start.character, response.line);
    this.outgoing.add(encodeCommandLine(resolved.text, response.line + 1, resolved.variablesUsed), this.commandTimeout);
    // A SASL response is a credential, whatever it is made of: never shown, not even when the server echoes it.
    const challenge = lastReply?.[0]?.slice(4) ?? '';
    protectCredential(this.context.redactor, resolved.text, fromBase64(challenge));
    return { kind: 'sasl', line: answeredAt, display: '***', text: this.describeSent(resolved.text, response, 'sasl') };
  }

  private async encodeChunk(answeredAt: number, step: CommandStep, text: string, variablesUsed: string[], line: Buffer): Promise<SentItem> {
    const chunkLines: { text: string; withoutLineEnding: boolean; source: BodyLine }[] = [];
    for (const bodyLine of step.body!.lines) {
      const resolved = await this.values.resolve(bodyLine.text.text, bodyLine.variables, bodyLine.text.range.start.character, bodyLine.line);
      chunkLines.push({ text: resolved.text, withoutLineEnding: bodyLine.withoutLineEnding, source: bodyLine });
    }
    const chunk = encodeBdatChunk(chunkLines, { allowRaw: this.context.settings.allowRaw, line: step.line + 1 });
    // RFC 3030 §2: the octets follow the command line directly, and the size sent is the size of what follows
    // (variables may have changed it from what the transcript declares).
    const declared = Number(step.words[0]?.text);
    const command = chunk.length === declared ? line : encodeCommandLine(text.replace(/^(\S+\s+)\d+/, `$1${chunk.length}`), step.line + 1, variablesUsed);
    this.outgoing.add(command, this.writeTimeout('data-block'));
    this.outgoing.add(chunk, this.writeTimeout('data-block'));
    for (const chunkLine of chunkLines) this.warnIfRaw(chunkLine.text, chunkLine.source);
    const display = `${this.display(command)} <chunk: ${chunk.length} octets>`;
    const described = chunkLines.map((chunkLine) => ({ text: this.describeSent(chunkLine.text, chunkLine.source, 'chunk'), withoutLineEnding: chunkLine.withoutLineEnding }));
    const [, verb, rest] = /^(\S+)\s+\d+(.*)$/.exec(text) ?? [, 'BDAT', ''];
    return { kind: 'chunk', line: answeredAt, display, verb, rest, chunk: described };
  }

  /**
   * Resolves every line of a DATA body and checks it the way it will be sent:
   * a lone CR or LF, or a line that became ".", is refused naming its line;
   * a `{{$file}}` that cannot be read is refused too. Nothing is sent here.
   * A body without references, the usual one, is checked at once: no promise.
   */
  private prepareBody(body: Body): PreparedBody | Promise<PreparedBody> {
    const wire = this.plainWire(body);
    if (wire !== null) return { body, texts: null, wire, files: null };
    // Indexed loops here and in encodeBody: until V8 optimises them, for…of makes an iterator and a result per line.
    const lines = body.lines;
    for (let i = 0; i < lines.length; i++) if (lines[i].variables.length > 0) return this.resolveBody(body);
    const texts: (string | null)[] = new Array(lines.length + 2);
    const check = { allowRaw: this.context.settings.allowRaw, line: 0 };
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i].text.text;
      check.line = lines[i].line + 1;
      checkBodyLine(text, check);
      texts[i] = text;
    }
    texts[lines.length] = '.';
    texts[lines.length + 1] = '';
    return { body, texts, wire: null, files: null };
  }

  /**
   * The usual body, written plainly in the file and short enough for one write (Body.plainText):
   * its wire form and end of data as one string, with no string or token per line. Such lines hold no
   * reference, no CR and no LF; a line that is just "." (which would end the message early) is left to the
   * line-by-line check, which refuses it naming its line. Null for every other body, and with @allow-raw
   * (whose warnings go line by line).
   */
  private plainWire(body: Body): string | null {
    if (this.context.settings.allowRaw || body.octets > BODY_WRITE_OCTETS) return null;
    const wire = body.plainText('.\r\n');
    // The one "." line must be the end of data (the text is flat: these scan it, nothing is copied).
    if (wire === null || wire.startsWith('.\r\n') || wire.indexOf('\r\n.\r\n') !== wire.length - 5) return null;
    return wire;
  }

  private async resolveBody(body: Body): Promise<PreparedBody> {
    const texts: (string | null)[] = [];
    let files: PreparedBody['files'] = null;
    for (let i = 0; i < body.lines.length; i++) {
      const line = body.lines[i];
      const file = fileReference(line.text.text, line.variables);
      if (file !== null) {
        (files ??= new Map()).set(i, { file: await this.confine(file, line.line + 1), written: file });
        texts.push(null);
        continue;
      }
      // Most body lines hold no variable: they skip the resolver (and its promise) altogether.
      const text = line.variables.length === 0 ? line.text.text : (await this.values.resolve(line.text.text, line.variables, line.text.range.start.character, line.line)).text;
      checkBodyLine(text, { allowRaw: this.context.settings.allowRaw, line: line.line + 1 });
      texts.push(text);
    }
    texts.push('.', '');
    return { body, texts, wire: null, files };
  }

  /** The prepared body, taken once; prepared here when its DATA was never encoded (a guard: it always is). */
  private takePrepared(body: Body): PreparedBody | Promise<PreparedBody> {
    const prepared = this.prepared;
    this.prepared = null;
    return prepared !== null && prepared.body === body ? prepared : this.prepareBody(body);
  }

  /** The real path of a `{{$file}}`, refused when it leaves the workspace folder (confineFile.ts); named in the run's inputs. */
  private async confine(written: string, line: number): Promise<string> {
    const { options } = this.context;
    const file = await confineFile(written, this.fileAccess(), line);
    // Escaped: a file name may hold any character, bidirectional controls included.
    if (file.outside) this.context.warn(escapeForDisplay(`line ${line}: {{$file ${written}}} reads ${file.path}, outside the workspace folder (@allow-outside-files = true).`));
    if (options.inputsRead) addOnce(options.inputsRead.files, file.shown);
    return file.path;
  }

  private fileAccess(): FileAccess {
    const { options, settings } = this.context;
    const base = dirname(options.filePath);
    return { base, root: options.workspaceRoot ?? base, allowOutside: settings.allowOutsideFiles };
  }

  /**
   * The message body after DATA's 354, and its end of data (RFC 5321 §4.1.1.4), dot-stuffed. A body of
   * text lines that fits one write is queued at once, as one string with its end of data; a longer one, or
   * one with a `{{$file}}`, is written in bounded pieces as it is encoded.
   */
  private encodeBody(end: DataEnd, answeredAt: number): SentItem | Promise<SentItem> {
    const prepared = this.takePrepared(end.body);
    if (prepared instanceof Promise || prepared.files !== null || end.body.octets > BODY_WRITE_OCTETS) return this.encodeBodyInPieces(end, answeredAt, prepared);
    const { texts } = prepared;
    const described = this.context.listening ? [] as SentBodyLine[] : UNOBSERVED_LINES;
    if (this.context.settings.allowRaw || described !== UNOBSERVED_LINES) {
      // Built only here: a plain body sent with no one listening never builds its lines.
      const lines = end.body.lines;
      for (let i = 0; i < lines.length; i++) {
        const text = texts ? texts[i]! : lines[i].text.text;
        this.warnIfRaw(text, lines[i]);
        if (described !== UNOBSERVED_LINES) described.push(this.describeSent(text, lines[i], 'body'));
      }
    }
    // The lines (checked when prepared, before DATA went out) and the end of data, joined into one flat string:
    // counted and written without copying it again.
    const wire = prepared.wire ?? texts!.join('\r\n');
    this.outgoing.startBody(end.line + 1);
    // The end of data goes with the last lines: the player writes them with its batch.
    this.outgoing.addBody(wire, this.writeTimeout('data-block'), true);
    // A plain body's octets are what the parser counted (each line's UTF-8 and its CRLF): not counted again.
    const octets = prepared.wire !== null ? end.body.octets : Buffer.byteLength(wire, 'utf8') - DATA_TERMINATOR.length;
    return bodySent(answeredAt, end.body.lineCount, octets, described);
  }

  private async encodeBodyInPieces(end: DataEnd, answeredAt: number, preparing: PreparedBody | Promise<PreparedBody>): Promise<SentItem> {
    const { connection, outgoing } = this;
    const allowRaw = this.context.settings.allowRaw;
    const body = end.body;
    const prepared = await preparing;
    const texts = prepared.texts ?? body.lines.map((line) => line.text.text);
    const timeout = this.writeTimeout('data-block');
    const signal = this.context.options.signal;
    outgoing.startBody(end.line + 1);
    const described: SentBodyLine[] = [];
    let octets = 0;
    let pending: string[] = [];
    const encodePending = () => {
      if (pending.length === 0) return;
      const bytes = encodeBodyLines(pending, { allowRaw, line: end.command.line + 1 });
      octets += bytes.length;
      outgoing.addBody(bytes, timeout, false);
      pending = [];
    };
    for (let i = 0; i < body.lines.length; i++) {
      const source = body.lines[i];
      const piece = prepared.files?.get(i);
      if (piece !== undefined) {
        encodePending();
        await outgoing.flush(connection, signal);
        outgoing.beginBody();
        // Opened and checked again as it is read, from the descriptor checked: a link swapped in since DATA is refused, not followed.
        const { handle } = await openConfinedFile(piece.written, this.fileAccess(), source.line + 1, { inBody: true });
        // Streamed, never loaded whole: a 50 MB attachment costs a few chunks of memory.
        for await (const chunk of encodeFileAsBody(piece.file, { allowRaw, line: source.line + 1, handle })) {
          octets += chunk.length;
          outgoing.addBody(chunk, timeout, false);
          await outgoing.flush(connection, signal);
        }
        described.push({ file: piece.file });
        continue;
      }
      const text = texts[i]!;
      pending.push(text);
      this.warnIfRaw(text, source);
      described.push(this.describeSent(text, source, 'body'));
      if (pending.length >= 512) {
        encodePending();
        // A long body goes out in pieces of bounded size, not held whole.
        if (outgoing.queuedOctets >= BODY_WRITE_OCTETS) await outgoing.flush(connection, signal);
      }
    }
    encodePending();
    // The end of data goes with the last lines: the player writes them with its batch.
    outgoing.addBody(DATA_TERMINATOR, timeout, true);
    return bodySent(answeredAt, body.lines.length, octets, described);
  }

  /** With @allow-raw, each line that really carries a lone CR or LF is named in the result. */
  private warnIfRaw(text: string, source: BodyLine): void {
    if (!this.context.settings.allowRaw) return;
    const lone = /\r(?!\n)|(?<!\r)\n/.exec(text);
    if (lone) this.context.warn(`line ${source.line + 1}: sent with a lone ${lone[0] === '\r' ? 'CR' : 'LF'} in it, as written (@allow-raw = true).`);
  }

  /** A line sent, as events may show it: no secret value, only the references it came from (recordTranscript.ts). */
  private describeLine(sent: string, source: CommandStep | SaslResponse | BodyLine, kind: RecordableOptions['kind']): RecordableLine {
    const lineSource: LineSource = { line: source.line + 1, text: source.text.text, startColumn: source.text.range.start.character, references: source.variables };
    return recordableLine(sent, lineSource, { kind, redact: (text) => this.context.redactor.redact(text) });
  }

  private writeTimeout(wait: Wait): number {
    return timeoutFor(wait, this.context.settings.timeoutMs);
  }

  private display(text: string | Buffer): string {
    const plain = typeof text === 'string' ? text : text.toString('utf8').replace(/\r\n$/, '');
    return this.context.redactor.redact(escapeForDisplay(plain));
  }
}

function bodySent(answeredAt: number, lines: number, octets: number, described: SentBodyLine[]): SentItem {
  return { kind: 'body', line: answeredAt, display: `<message: ${lines} line${lines === 1 ? '' : 's'}, ${octets} octets>`, lines: described };
}

/** A `{{$file PATH}}` that is the whole body line: the file's content replaces the line. */
function fileReference(text: string, references: CommandStep['variables']): string | null {
  if (references.length !== 1 || references[0].name.text !== '$file') return null;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return null;
  const arg = references[0].args[0];
  return arg?.kind === 'literal' ? arg.token.text : null;
}
