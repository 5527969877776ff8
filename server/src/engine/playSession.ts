import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { findCommand } from '../protocol/commands';
import { isLoopbackHost } from '../protocol/loopbackHosts';
import { findSaslMechanism, parseEhloReply } from '../protocol/ehloKeywords';
import type { Body, BodyLine, CommandStep, DataEnd, Reply, ReplyGroup, ReplyLine, SaslResponse, Session, TranscriptFile } from '../transcript/ast';
import { visibleVariables } from '../analysis/variableScope';
import { escapeForDisplay } from './displayText';
import { describeExpectation, expectationMet } from './expectations';
import type { PlayEvent, PlayObserver, SentBodyLine, SentItem, SentText } from './playEvents';
import { recordableLine, type LineSource, type RecordableLine, type RecordableOptions, type RecordedLine } from './recordTranscript';
import { Recorder } from './recorder';
import { Redactor } from './redaction';
import type { ServerReply } from './replyReader';
import { resolveReferences, variableValues, type SecretProvider } from './resolveVariables';
import { abortable } from './abortable';
import { atLine, SessionError } from './sessionErrors';
import { sessionSettings, type SessionSettings, type SettingOverrides } from './sessionSettings';
import { SmtpConnection, type TlsDetails } from './smtpConnection';
import { OutgoingBatch } from './outgoingBatch';
import { timeoutFor, waitForVerb, type Wait } from './timeouts';
import { checkBodyLine, DATA_TERMINATOR, encodeBdatChunk, encodeBodyLines, encodeCommandLine, encodeFileAsBody } from './wireEncoding';

export interface StepResult {
  /** 1-based line of the step in the file. */
  line: number;
  kind: 'greeting' | 'command' | 'data' | 'sasl';
  /** What was sent, with secrets as *** (null for the greeting and for skipped steps). */
  sent: string | null;
  reply: { code: number; enhanced: string | null; lines: string[] } | null;
  expected: string | null;
  /** 1-based line of the `S:` expectation (its first line), where an editor shows an unmet one; null when there is none. */
  expectedLine: number | null;
  /** Whether the reply met the expectation; null when the transcript records none. */
  ok: boolean | null;
  /** Why it did not, for people. */
  mismatch: string | null;
  /** Not played: an earlier step failed, or the server ended the session. */
  skipped: boolean;
  ms: number;
}

export interface SessionResult {
  name: string | null;
  /** 1-based line where the session starts. */
  line: number;
  server: string;
  ok: boolean;
  error: { message: string; line: number | null } | null;
  tls: TlsDetails | null;
  warnings: string[];
  steps: StepResult[];
  /**
   * The dialogue as it happened, as lines of a transcript (recordTranscript.ts
   * writes them out); present only when PlayOptions.record is set (a Recorder's
   * lines). Secrets are never in it: what carried one is recorded as the
   * references it came from, or as a placeholder.
   */
  recording?: RecordedLine[];
}

export type SessionEvent =
  | { type: 'connecting'; server: string }
  | { type: 'connected'; server: string; tls: TlsDetails | null }
  | { type: 'tls'; tls: TlsDetails }
  | { type: 'step'; step: StepResult }
  | { type: 'warning'; message: string };

export interface PlayOptions extends SettingOverrides {
  /** The .smtp file's path: `{{$file}}` paths are relative to its folder. */
  filePath: string;
  env?: NodeJS.ProcessEnv;
  secrets: SecretProvider;
  signal?: AbortSignal;
  onEvent?: (event: SessionEvent) => void;
  /** Observers of every event, the engine's own included (playEvents.ts), e.g. a Recorder. */
  observers?: PlayObserver[];
  /** Certificates (PEM) to trust besides the system's, e.g. the embedded local server's. */
  trustedCertificates?: string[];
  /** Describe the dialogue in `result.recording` too: attaches a Recorder and puts its lines there. */
  record?: boolean;
}

/** What the client sends, in order: commands, SASL responses, and DATA bodies (sent after their 354). */
type Sendable =
  | { kind: 'command'; step: CommandStep; expected: Reply | null; group: ReplyGroup | null; line: number }
  | { kind: 'sasl'; step: SaslResponse; expected: Reply | null; group: ReplyGroup | null; line: number }
  | { kind: 'data'; end: DataEnd; expected: Reply | null; group: ReplyGroup | null; line: number };

function sendables(session: Session): Sendable[] {
  const list: Sendable[] = [];
  for (const step of session.steps) {
    if (step.kind === 'command') {
      list.push({ kind: 'command', step, expected: step.reply, group: step.group, line: step.line + 1 });
      const end = step.body?.kind === 'data' ? step.body.terminator : null;
      if (end) list.push({ kind: 'data', end, expected: end.reply, group: end.group, line: end.line + 1 }); // the "." line: what the reply answers
    } else if (step.kind === 'sasl') {
      list.push({ kind: 'sasl', step, expected: step.reply, group: step.group, line: step.line + 1 });
    }
  }
  return list;
}

/** RFC 2920 §3.1: these may only be the last command of a pipelined group (unknown verbs are treated alike, to be safe). */
function endsGroup(item: Sendable): boolean {
  if (item.kind === 'data') return false;
  if (item.kind === 'sasl') return true;
  return findCommand(item.step.verbName)?.endsPipelineGroup ?? true;
}

/**
 * Plays one session against a real server: connects, sends each `C:` line,
 * reads each reply within its RFC 5321 timeout, checks it against the `S:`
 * lines, and reports every step as an event and in the result. Never throws:
 * every failure ends up in `result.error` with the line it concerns.
 */
export async function playSession(file: TranscriptFile, session: Session, options: PlayOptions): Promise<SessionResult> {
  const result: SessionResult = {
    name: session.name, line: session.range.start.line + 1, server: '', ok: false, error: null, tls: null, warnings: [], steps: [],
  };
  const observers = options.observers ? [...options.observers] : [];
  if (options.record) {
    const recorder = new Recorder();
    observers.push(recorder);
    result.recording = recorder.lines;
  }
  const redactor = new Redactor();
  const emit = dispatcher(options.onEvent, observers);
  const warn = (message: string) => {
    result.warnings.push(message);
    emit({ type: 'warning', message });
  };
  let connection: SmtpConnection | null = null;
  let player: Player | null = null;
  const items = sendables(session);
  let next = 0;
  try {
    refuseBrokenSession(file, session);
    const settings = sessionSettings(file, session, options);
    result.server = formatServer(settings);
    emit({ type: 'settings', settings });
    if (settings.allowRaw) warn('@allow-raw = true: lone CR or LF in bodies is sent as written, for deliberate protocol testing.');
    player = new Player(file, session, settings, options, redactor, result, emit, warn, observers.some((observer) => observer.describesSentLines === true));
    emit({ type: 'connecting', server: result.server });
    const tls = settings.tls === 'implicit' ? { verify: settings.verifyTls, host: settings.host, ca: options.trustedCertificates } : null;
    connection = await SmtpConnection.open(settings.host, settings.port, timeoutFor('connect', settings.timeoutMs), tls, options.signal);
    player.connection = connection;
    if (connection.isTls) {
      result.tls = connection.tlsDetails(settings.verifyTls);
      player.tlsEstablished();
    }
    emit({ type: 'connected', server: result.server, tls: result.tls });
    const playing = player;
    await playing.greeting();
    while (next < items.length && !playing.finished) {
      next += await playing.playBatch(items, next);
    }
  } catch (error) {
    result.error = describeError(error, redactor);
    emit({ type: 'error', error: result.error });
  } finally {
    const notPlayed: number[] = [];
    for (; next < items.length; next++) {
      if (!result.steps.some((step) => step.line === items[next].line && !step.skipped)) {
        const sentAs = player?.sentLines.get(items[next].line);
        // Sent but never answered (a pipelined group cut short) is not "skipped": the server got it. It is in the recording already.
        if (sentAs !== undefined) {
          result.steps.push(unansweredStep(items[next], sentAs));
        } else {
          result.steps.push(skippedStep(items[next]));
          notPlayed.push(items[next].line);
        }
      }
    }
    if (notPlayed.length > 0) emit({ type: 'not-played', lines: notPlayed });
    if (connection) {
      const cancelled = options.signal?.aborted === true;
      // QUIT cannot follow a message body cut short (it would be message text), nor a 421 or a QUIT already sent.
      const quit = !(player?.quitSent ?? false) && !(player?.inBody ?? false);
      // A cancelled run ends promptly: QUIT is sent, but its reply is not waited for long.
      const waitMs = cancelled ? CANCELLED_QUIT_TIMEOUT_MS : Math.min(QUIT_TIMEOUT_MS, player?.timeoutMs ?? QUIT_TIMEOUT_MS);
      await quitPolitely(connection, quit, waitMs, cancelled, redactor, emit);
    }
  }
  const metEverything = result.steps.every((step) => step.ok !== false && !step.skipped);
  result.ok = result.error === null && metEverything;
  return result;
}

/**
 * Passes each event to the observers, and the SessionEvents to onEvent. Made once per session: the
 * engine's own events cost one check each when only a front end listens.
 */
function dispatcher(onEvent: ((event: SessionEvent) => void) | undefined, observers: PlayObserver[]): (event: PlayEvent) => void {
  return (event) => {
    for (const observer of observers) observer.observe(event);
    if (onEvent && isSessionEvent(event)) onEvent(event);
  };
}

function isSessionEvent(event: PlayEvent): event is SessionEvent {
  switch (event.type) {
    case 'connecting':
    case 'connected':
    case 'tls':
    case 'step':
    case 'warning':
      return true;
    default:
      return false;
  }
}

/** A DATA body resolved and checked before DATA is sent: text lines as sent, and `{{$file}}` lines as paths. */
type PreparedBody = ({ text: string; source: BodyLine } | { file: string; source: BodyLine })[];

/** Plays the steps; one instance per session run. */
class Player {
  connection: SmtpConnection | null = null;
  /** PIPELINING was in the reply to the last EHLO (forgotten after STARTTLS). */
  private advertised: Map<string, string[]> | null = null;
  /**
   * Replies to DATA commands with a body, which needs its 354 (precondition). Only those: a reply kept for
   * every command outlived its step, and thousands of them were most of what each garbage collection copied.
   */
  private readonly commandReplies = new Map<CommandStep, ServerReply>();
  /** Bodies whose DATA command went out: resolved and checked beforehand, so a refusal comes before DATA. */
  private readonly preparedBodies = new Map<Body, PreparedBody>();
  /** What is encoded and not yet written: a pipelined group goes out in one write. */
  private readonly outgoing = new OutgoingBatch();
  finished = false;
  quitSent = false;
  /**
   * Each line of the batch under way that was written to the server, with what was sent as shown (redacted).
   * A batch that fails or ends the session is the last one played, so the lines sent without a reply are all
   * here; earlier batches' entries are dropped when the next begins, not kept for the whole session.
   */
  readonly sentLines = new Map<number, string>();

  /** Part of a message body has been written but not its end: the server reads anything more as message text. */
  get inBody(): boolean {
    return this.outgoing.inBody;
  }

  /** The session's own timeout (@timeout or --timeout), if it set one. */
  get timeoutMs(): number | null {
    return this.settings.timeoutMs;
  }

  constructor(
    private readonly file: TranscriptFile,
    private readonly session: Session,
    private readonly settings: SessionSettings,
    private readonly options: PlayOptions,
    private readonly redactor: Redactor,
    private readonly result: SessionResult,
    private readonly emit: (event: PlayEvent) => void,
    private readonly warn: (message: string) => void,
    describesSentLines: boolean,
  ) {
    // Chosen once: describing each line costs more than encoding it, and only some observers want it.
    this.describeSent = describesSentLines ? (sent, source, kind) => this.describeLine(sent, source, kind) : () => null;
  }

  /** Each client line as events may show it (SentText), or null when no observer asked. */
  private readonly describeSent: (sent: string, source: CommandStep | SaslResponse | BodyLine, kind: RecordableOptions['kind']) => SentText;

  /** Said once TLS is up: a warning when the certificate was not verified. */
  tlsEstablished(): void {
    if (this.settings.verifyTls) return;
    const reason = this.result.tls?.verificationError;
    this.warn(`TLS certificate verification is off (@tls-verify = false or --insecure): the server's identity was not checked${reason ? `, and the certificate would have failed: ${reason}` : ''}.`);
  }

  async greeting(): Promise<void> {
    const started = performance.now();
    const reply = await this.read('greeting', 'the connection (the greeting)');
    const expected = await this.withValues(this.session.greeting);
    this.record({ line: (expected?.line ?? this.session.range.start.line) + 1, kind: 'greeting', sent: null }, expected, reply, started);
    if (reply.code === 421 || reply.code === 554) this.finished = true;
    // RFC 5321 §3.8: with 421 the server is closing the channel; after 554 the client still says QUIT (§3.1).
    if (reply.code === 421) this.quitSent = true;
  }

  /** Sends one item, or a whole pipelined group, and reads the replies; returns how many items it played. */
  async playBatch(items: Sendable[], start: number): Promise<number> {
    this.sentLines.clear();
    const first = items[start];
    const batch = [first];
    const pipelining = this.advertised?.has('PIPELINING') ?? false;
    if (pipelining && first.group?.pipelined) {
      while (!endsGroup(batch[batch.length - 1]) && start + batch.length < items.length) {
        const candidate = items[start + batch.length];
        if (candidate.group !== first.group || candidate.kind === 'sasl') break;
        batch.push(candidate);
      }
    }
    const skip = this.precondition(first);
    if (skip) {
      const skipped = skippedStep(first);
      skipped.mismatch = skip;
      this.result.steps.push(skipped);
      this.emit({ type: 'step', step: skipped });
      return 1;
    }
    const started = performance.now();
    const sent: SentItem[] = [];
    try {
      // Everything is encoded (and checked) first, then written at once: one write per pipelined group, and a
      // refused line in a group leaves none of it sent.
      const encoded: SentItem[] = [];
      try {
        for (const item of batch) encoded.push(await this.send(item));
        await this.outgoing.flush(this.connection!, this.options.signal);
      } catch (error) {
        this.outgoing.discard();
        throw error;
      }
      for (let i = 0; i < batch.length; i++) {
        sent.push(encoded[i]);
        this.sentLines.set(batch[i].line, encoded[i].display);
      }
      let mismatch = false;
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i];
        const reply = await this.read(this.waitFor(item), this.describe(item));
        if (item.kind === 'command' && item.step.body?.kind === 'data') this.commandReplies.set(item.step, reply);
        // Awaited only when there are values to substitute: one promise less per step otherwise.
        const expected = this.needsValues(item.expected) ? await this.withValues(item.expected) : item.expected;
        const step = this.record({ line: item.line, kind: item.kind === 'command' ? 'command' : item.kind, sent: sent[i].display }, expected, reply, started);
        if (step.ok === false) mismatch = true;
        await this.afterReply(item, reply);
        if (this.finished) return i + 1;
      }
      if (mismatch && this.settings.stopOnMismatch) this.finished = true;
      return batch.length;
    } finally {
      this.emit({ type: 'batch-ended', sent });
    }
  }

  /** A reason not to send this item at all: the server did not invite it. */
  private precondition(item: Sendable): string | null {
    if (item.kind === 'data') {
      const dataReply = this.commandReplies.get(item.end.command);
      // Each end of data is looked at once, as the first item of its batch.
      this.commandReplies.delete(item.end.command);
      if (dataReply && Math.floor(dataReply.code / 100) !== 3) return `not sent: the server answered DATA with ${dataReply.code}, so it does not expect a message`;
    }
    if (item.kind === 'sasl') {
      const last = this.result.steps[this.result.steps.length - 1];
      // Sending credentials to a server that did not ask (no 334) would turn them into a command line.
      if (last?.reply?.code !== 334) return 'not sent: the server did not ask for a SASL response (no 334)';
    }
    return null;
  }

  /** Encodes one item into the outgoing batch (a streamed file body is written as it is read). */
  private async send(item: Sendable): Promise<SentItem> {
    if (item.kind === 'data') return this.sendBody(item.end, item.line);
    if (item.kind === 'sasl') {
      const response = item.step;
      const resolved = await this.resolve(response.text.text, response.variables, response.text.range.start.character, response.line);
      this.outgoing.add(encodeCommandLine(resolved.text, response.line + 1, resolved.variablesUsed), this.writeTimeout('command'));
      // A SASL response is a credential, whatever it is made of: never shown, not even when the server echoes it.
      const challenge = this.result.steps[this.result.steps.length - 1]?.reply?.lines[0]?.slice(4) ?? '';
      this.protectCredential(resolved.text, fromBase64(challenge));
      return { kind: 'sasl', line: item.line, display: '***', text: this.describeSent(resolved.text, response, 'sasl') };
    }
    const step = item.step;
    if (step.verbName === 'AUTH') this.refuseClearTextCredentials(step);
    // Most command lines hold no reference: they skip the resolver, its promise, and the Range of their text.
    const resolved = step.variables.length === 0 ? literalText(step.text.text) : await this.resolve(step.text.text, step.variables, step.text.range.start.character, step.line);
    const line = encodeCommandLine(resolved.text, step.line + 1, resolved.variablesUsed);
    if (step.verbName === 'BDAT' && step.body) return this.sendChunk(item.line, step, resolved.text, resolved.variablesUsed, line);
    // The body is resolved and checked before DATA goes out: a refusal then leaves a connection that can still QUIT.
    if (step.verbName === 'DATA' && step.body?.kind === 'data' && step.body.terminator) this.preparedBodies.set(step.body, await this.prepareBody(step.body));
    this.outgoing.add(line, this.writeTimeout('command'));
    const initialResponse = /^AUTH[ \t]+\S+[ \t]+(\S.*)$/i.exec(resolved.text)?.[1];
    if (initialResponse !== undefined) this.protectCredential(initialResponse, null);
    return { kind: 'command', line: item.line, display: this.displayCommand(resolved.text), text: this.describeSent(resolved.text, step, 'command') };
  }

  private async sendChunk(answeredAt: number, step: CommandStep, text: string, variablesUsed: string[], line: Buffer): Promise<SentItem> {
    const chunkLines: { text: string; withoutLineEnding: boolean; source: BodyLine }[] = [];
    for (const bodyLine of step.body!.lines) {
      const resolved = await this.resolve(bodyLine.text.text, bodyLine.variables, bodyLine.text.range.start.character, bodyLine.line);
      chunkLines.push({ text: resolved.text, withoutLineEnding: bodyLine.withoutLineEnding, source: bodyLine });
    }
    const chunk = encodeBdatChunk(chunkLines, { allowRaw: this.settings.allowRaw, line: step.line + 1 });
    // RFC 3030 §2: the octets follow the command line directly, and the size sent is the size of what follows
    // (variables may have changed it from what the transcript declares).
    const declared = Number(step.words[0]?.text);
    const command = chunk.length === declared ? line : encodeCommandLine(text.replace(/^(\S+\s+)\d+/, `$1${chunk.length}`), step.line + 1, variablesUsed);
    this.outgoing.add(command, this.writeTimeout('data-block'));
    this.outgoing.add(chunk, this.writeTimeout('data-block'));
    for (const chunkLine of chunkLines) this.warnIfRaw(chunkLine.text, chunkLine.source);
    const display = `${this.display(command)} <chunk: ${chunk.length} octets>`;
    const shared = chunkLines.map((chunkLine) => ({ text: this.describeSent(chunkLine.text, chunkLine.source, 'chunk'), withoutLineEnding: chunkLine.withoutLineEnding }));
    const [, verb, rest] = /^(\S+)\s+\d+(.*)$/.exec(text) ?? [, 'BDAT', ''];
    return { kind: 'chunk', line: answeredAt, display, verb, rest, chunk: shared };
  }

  /**
   * Readable credentials never cross an unencrypted link to another host unless the file says so: RFC 4954 §4
   * asks servers not to accept plaintext password mechanisms without STARTTLS, and RFC 8314 §4.1 deprecates
   * cleartext authentication. Loopback is exempt (nobody is on that path).
   */
  private refuseClearTextCredentials(step: CommandStep): void {
    const mechanism = findSaslMechanism(step.words[0]?.text ?? '');
    if (!mechanism?.sendsSecretInClear || this.connection!.isTls || this.settings.allowPlaintextAuth || isLoopbackHost(this.settings.host)) return;
    throw new SessionError('refused-input', `line ${step.line + 1}: AUTH ${mechanism.name} would send the credentials unencrypted to ${this.settings.host}; nothing was sent. Add "C: STARTTLS" (and a new EHLO) before it, use "@tls = implicit", or set "@allow-plaintext-auth = true" if you really mean it.`, step.line + 1);
  }

  /**
   * Resolves every line of a DATA body and checks it the way it will be sent:
   * a lone CR or LF, or a line that became ".", is refused naming its line;
   * a `{{$file}}` that cannot be read is refused too. Nothing is sent here.
   */
  private async prepareBody(body: Body): Promise<PreparedBody> {
    const base = dirname(this.options.filePath);
    const prepared: PreparedBody = [];
    for (const line of body.lines) {
      const file = fileReference(line.text.text, line.variables);
      if (file !== null) {
        const path = resolvePath(base, file);
        await checkReadableFile(path, line.line + 1);
        prepared.push({ file: path, source: line });
        continue;
      }
      // Most body lines hold no variable: they skip the resolver (and its promise) altogether.
      const text = line.variables.length === 0 ? line.text.text : (await this.resolve(line.text.text, line.variables, line.text.range.start.character, line.line)).text;
      checkBodyLine(text, { allowRaw: this.settings.allowRaw, line: line.line + 1 });
      prepared.push({ text, source: line });
    }
    return prepared;
  }

  private async sendBody(end: DataEnd, answeredAt: number): Promise<SentItem> {
    const connection = this.connection!;
    const body = end.body;
    // Prepared when DATA was sent; the fallback only guards against a body whose DATA was never played.
    const prepared = this.preparedBodies.get(body) ?? await this.prepareBody(body);
    this.preparedBodies.delete(body);
    const timeout = this.writeTimeout('data-block');
    const signal = this.options.signal;
    const shared: SentBodyLine[] = [];
    let octets = 0;
    let pending: string[] = [];
    const encodePending = () => {
      if (pending.length === 0) return;
      const bytes = encodeBodyLines(pending, { allowRaw: this.settings.allowRaw, line: end.command.line + 1 });
      octets += bytes.length;
      this.outgoing.addBody(bytes, timeout, false);
      pending = [];
    };
    for (const piece of prepared) {
      if ('file' in piece) {
        encodePending();
        await this.outgoing.flush(connection, signal);
        this.outgoing.beginBody();
        // Streamed, never loaded whole: a 50 MB attachment costs a few chunks of memory.
        for await (const chunk of encodeFileAsBody(piece.file, { allowRaw: this.settings.allowRaw, line: piece.source.line + 1 })) {
          octets += chunk.length;
          this.outgoing.addBody(chunk, timeout, false);
          await this.outgoing.flush(connection, signal);
        }
        shared.push({ file: piece.file });
        continue;
      }
      pending.push(piece.text);
      this.warnIfRaw(piece.text, piece.source);
      shared.push(this.describeSent(piece.text, piece.source, 'body'));
      if (pending.length >= 512) {
        encodePending();
        // A long body goes out in pieces of bounded size, not held whole.
        if (this.outgoing.queuedOctets >= BODY_WRITE_OCTETS) await this.outgoing.flush(connection, signal);
      }
    }
    encodePending();
    // The end of data goes with the last lines: the playBatch that called this writes them.
    this.outgoing.addBody(DATA_TERMINATOR, timeout, true);
    const lines = body.lines.length;
    return { kind: 'body', line: answeredAt, display: `<message: ${lines} line${lines === 1 ? '' : 's'}, ${octets} octets>`, lines: shared };
  }

  /** With @allow-raw, each line that really carries a lone CR or LF is named in the result. */
  private warnIfRaw(text: string, source: BodyLine): void {
    if (!this.settings.allowRaw) return;
    const lone = /\r(?!\n)|(?<!\r)\n/.exec(text);
    if (lone) this.warn(`line ${source.line + 1}: sent with a lone ${lone[0] === '\r' ? 'CR' : 'LF'} in it, as written (@allow-raw = true).`);
  }

  /** What a reply changes: the end of the session (421, QUIT), what the server offers (EHLO), TLS (STARTTLS). */
  private async afterReply(item: Sendable, reply: ServerReply): Promise<void> {
    if (reply.code === 421) {
      // RFC 5321 §3.8: the server is closing the channel; nothing more can be sent.
      this.finished = true;
      this.quitSent = true;
      return;
    }
    if (item.kind !== 'command') return;
    const verb = item.step.verbName;
    // RFC 5321 §4.1.1.4: after 354 the server reads message text up to ".", so a
    // session that stops before the body (an unmet expectation earlier in a
    // pipelined group) must not send QUIT into it; sending the body clears this.
    if (verb === 'DATA' && reply.code >= 300 && reply.code < 400) this.outgoing.beginBody();
    if (verb === 'EHLO' && reply.code === 250) this.advertised = parseEhloReply(reply.lines);
    if (verb === 'QUIT') {
      this.quitSent = true;
      this.finished = true;
    }
    if (verb === 'STARTTLS' && reply.code === 220) {
      await this.connection!.startTls({ verify: this.settings.verifyTls, host: this.settings.host, ca: this.options.trustedCertificates }, timeoutFor('tls-handshake', this.settings.timeoutMs), this.options.signal);
      // RFC 3207 §4.2: everything learnt before TLS is void.
      this.advertised = null;
      const tls = this.connection!.tlsDetails(this.settings.verifyTls);
      this.result.tls = tls;
      if (tls) this.emit({ type: 'tls', tls });
      this.tlsEstablished();
    }
  }

  private waitFor(item: Sendable): Wait {
    if (item.kind === 'data') return 'data-end';
    if (item.kind === 'sasl') return 'command';
    return waitForVerb(item.step.verbName);
  }

  private writeTimeout(wait: Wait): number {
    return timeoutFor(wait, this.settings.timeoutMs);
  }

  private describe(item: Sendable): string {
    if (item.kind === 'data') return `the end of the message (line ${item.end.line + 1})`;
    if (item.kind === 'sasl') return `the SASL response on line ${item.line}`;
    return `${item.step.verbName || 'the command'} on line ${item.line}`;
  }

  private read(wait: Wait, what: string): Promise<ServerReply> {
    return this.connection!.readReply(timeoutFor(wait, this.settings.timeoutMs), what, this.options.signal);
  }

  /**
   * The expectation as compared: with @strict the text counts, and a
   * `{{name}}` in an S: line stands for its value there too (docs/format.md,
   * "Variables"); without @strict only codes count, and they hold no variables.
   */
  private async withValues(expected: Reply | null): Promise<Reply | null> {
    if (!this.needsValues(expected)) return expected;
    const lines: ReplyLine[] = [];
    for (const line of expected.lines) {
      const start = line.text.range.start.character;
      const references = line.variables.filter((reference) => reference.range.start.character >= start);
      if (references.length === 0) {
        lines.push(line);
        continue;
      }
      const text = (await this.resolve(line.text.text, references, start, line.line)).text;
      lines.push({ ...line, text: { text, range: line.text.range } });
    }
    return { ...expected, lines };
  }

  /** Whether withValues would change the expectation: only with @strict, and only when an S: line holds a reference. */
  private needsValues(expected: Reply | null): expected is Reply {
    return expected !== null && this.settings.strict && expected.lines.some((line) => line.variables.length > 0);
  }

  private record(base: Pick<StepResult, 'line' | 'kind' | 'sent'>, expected: Reply | null, reply: ServerReply, started: number): StepResult {
    const outcome = expected ? expectationMet(expected, reply, this.settings.strict) : null;
    // Written out, not `{ ...base, … }`: in Node 20's V8 a spread followed by more properties costs tens of
    // microseconds per object, which was the largest share of a step's time (npm run bench, smtp-sink rows).
    const step: StepResult = {
      line: base.line,
      kind: base.kind,
      sent: base.sent,
      reply: { code: reply.code, enhanced: reply.enhanced, lines: reply.lines.map((line) => this.redactor.redact(escapeForDisplay(line))) },
      expected: expected ? describeExpectation(expected) : null,
      expectedLine: expected ? expected.line + 1 : null,
      ok: outcome ? outcome.ok : null,
      mismatch: outcome?.reason ? this.redactor.redact(escapeForDisplay(outcome.reason)) : null,
      skipped: false,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (reply.bareLineFeeds) this.warn(`line ${base.line}: the server ended a reply line with a bare LF instead of CRLF (RFC 5321 §2.3.8).`);
    this.result.steps.push(step);
    this.emit({ type: 'step', step });
    return step;
  }

  private async resolve(text: string, references: CommandStep['variables'], startColumn: number, line: number): Promise<ResolvedText> {
    if (references.length === 0) return literalText(text);
    const own = variableValues(visibleVariables(this.file, this.session, line));
    // The environment's values sit under the file's own: an @name line wins.
    const scope = this.options.variables ? new Map([...Object.entries(this.options.variables), ...own]) : own;
    // A prompt or a secret store may wait on a person: cancelling does not wait for them.
    const resolved = await abortable(resolveReferences(text, references, startColumn, scope, this.options.env ?? process.env, this.options.secrets), this.options.signal);
    for (const secret of resolved.secrets) this.redactor.add(secret);
    return resolved;
  }

  /** A line sent, as events may show it: no secret value, only the references it came from (recordTranscript.ts). */
  private describeLine(sent: string, source: CommandStep | SaslResponse | BodyLine, kind: RecordableOptions['kind']): RecordableLine {
    const lineSource: LineSource = { line: source.line + 1, text: source.text.text, startColumn: source.text.range.start.character, references: source.variables };
    return recordableLine(sent, lineSource, { kind, redact: (text) => this.redactor.redact(text) });
  }

  /**
   * A credential sent (a SASL response, an AUTH initial response) joins the
   * secrets, whether or not it came from $secret, so a server that echoes it
   * shows `***`. So does the password inside it: the last part of AUTH
   * PLAIN's `authzid\0user\0password` (RFC 4616), or the decoded response
   * itself unless the server asked for a user name (AUTH LOGIN's first step:
   * hiding the user everywhere would hide the sender too).
   */
  private protectCredential(credential: string, challenge: string | null): void {
    this.redactor.add(credential);
    const decoded = fromBase64(credential);
    if (decoded === null) return;
    const parts = decoded.split('\0');
    if (parts.length === 3) {
      this.redactor.add(decoded);
      this.redactor.add(parts[2]);
    } else if (!/user|name|login/i.test(challenge ?? '')) {
      this.redactor.add(decoded);
    }
  }

  private displayCommand(sent: string): string {
    // Credentials in AUTH's initial response are never shown, whatever they are made of — judged on what was
    // sent, since a variable may hold the mechanism and the response together.
    const auth = /^(AUTH[ \t]+\S+)[ \t]+\S/i.exec(sent);
    if (auth) return `${this.display(auth[1])} ***`;
    return this.display(sent);
  }

  private display(text: string | Buffer): string {
    const plain = typeof text === 'string' ? text : text.toString('utf8').replace(/\r\n$/, '');
    return this.redactor.redact(escapeForDisplay(plain));
  }
}

/** A line's text after substitution, with the secrets and variable names it took. */
interface ResolvedText {
  text: string;
  secrets: string[];
  variablesUsed: string[];
}

/** What resolving a line without references gives: the text as it is, no secrets, no variables. */
function literalText(text: string): ResolvedText {
  return { text, secrets: [], variablesUsed: [] };
}

/** The text a base64 string stands for, or null when it is not base64 (RFC 4648 §4). */
function fromBase64(text: string): string | null {
  if (text === '' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}

/** A `{{$file PATH}}` that is the whole body line: the file's content replaces the line. */
function fileReference(text: string, references: CommandStep['variables']): string | null {
  if (references.length !== 1 || references[0].name.text !== '$file') return null;
  const trimmed = text.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return null;
  const arg = references[0].args[0];
  return arg?.kind === 'literal' ? arg.token.text : null;
}

/** Before DATA goes out: a `{{$file}}` that cannot be read would otherwise cut the message off halfway. */
async function checkReadableFile(path: string, line: number): Promise<void> {
  try {
    await access(path, fsConstants.R_OK);
    if (!(await stat(path)).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reasons: Record<string, string> = { ENOENT: 'it does not exist', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is not a file' };
    throw new SessionError('usage', `${atLine(line)}{{$file}} cannot read "${path}": ${reasons[code] ?? (error as Error).message}. Check the path (it is relative to the .smtp file); nothing of the message was sent.`, line);
  }
}

function unansweredStep(item: Sendable, sent: string): StepResult {
  return {
    ...skippedStep(item),
    sent,
    skipped: false,
    mismatch: 'sent, but the session ended before the server answered it',
  };
}

function skippedStep(item: Sendable): StepResult {
  return { line: item.line, kind: item.kind === 'command' ? 'command' : item.kind, sent: null, reply: null, expected: item.expected ? describeExpectation(item.expected) : null, expectedLine: item.expected ? item.expected.line + 1 : null, ok: null, mismatch: null, skipped: true, ms: 0 };
}

/** Parser errors make the dialogue ambiguous: refuse to run rather than send something unintended. */
function refuseBrokenSession(file: TranscriptFile, session: Session): void {
  const { start, end } = session.range;
  const problem = file.problems.find((p) => p.severity === 'error' && p.range.start.line >= start.line && p.range.start.line <= end.line);
  if (problem) {
    const line = problem.range.start.line + 1;
    throw new SessionError('usage', `line ${line}: ${problem.code}: ${problem.message} Fix it before running the session (smtp-session check shows every problem).`, line);
  }
}

/** Queued body bytes beyond this are written before more lines are encoded. */
const BODY_WRITE_OCTETS = 256 * 1024;

// A polite QUIT at the end should not keep a finished session waiting long, and a cancelled one even less.
const QUIT_TIMEOUT_MS = 5_000;
const CANCELLED_QUIT_TIMEOUT_MS = 1_000;

/** Ends with QUIT when the transcript did not and the connection is still sound (RFC 5321 §4.1.1.10). */
async function quitPolitely(connection: SmtpConnection, send: boolean, waitMs: number, cancelled: boolean, redactor: Redactor, emit: (event: PlayEvent) => void): Promise<void> {
  // The session is over either way; the result already says why, so a failure here only ends the dialogue.
  if (send && connection.usable && await written(connection, 'QUIT\r\n', waitMs)) {
    let reply: string[] | null = null;
    try {
      reply = (await connection.readReply(waitMs, 'QUIT')).lines.map((line) => redactor.redact(escapeForDisplay(line)));
    } catch {
      // No reply: the QUIT was sent all the same.
    }
    emit({ type: 'quit', reply, cancelled });
  }
  connection.close();
}

async function written(connection: SmtpConnection, text: string, timeoutMs: number): Promise<boolean> {
  try {
    await connection.write(text, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

function formatServer(settings: SessionSettings): string {
  return settings.host.includes(':') ? `[${settings.host}]:${settings.port}` : `${settings.host}:${settings.port}`;
}

function describeError(error: unknown, redactor: Redactor): { message: string; line: number | null } {
  if (error instanceof SessionError) return { message: redactor.redact(escapeForDisplay(error.message)), line: error.line };
  const message = error instanceof Error ? error.message : String(error);
  return { message: redactor.redact(escapeForDisplay(`Internal error: ${message}. Please report it with the .smtp file.`)), line: null };
}
