// Plays one session of a transcript against a real server. The pieces, each
// its own file: pipelining.ts cuts the items into batches, lineEncoder.ts
// puts each on the wire (credentials.ts decides what must not be sent or
// shown), tlsUpgrade.ts does STARTTLS, sessionValues.ts resolves variables,
// and the events (playEvents.ts) go to the front end's onEvent and to
// observers such as the Recorder (recorder.ts). The Player here reads the
// replies, checks them and says what each changes.

import type { LookupFunction } from 'node:net';
import type { CommandStep, Reply, Session, TranscriptFile } from '../transcript/ast';
import { escapeForDisplay } from './displayText';
import { describeExpectation, expectationMet } from './expectations';
import { LineEncoder } from './lineEncoder';
import { monotonicMs } from './monotonicClock';
import { OutgoingBatch } from './outgoingBatch';
import type { PlayContext } from './playContext';
import type { PlayEvent, PlayObserver, SentItem } from './playEvents';
import { nextBatch, sendables, ServerOffer, type Sendable } from './pipelining';
import type { RecordedLine } from './recordTranscript';
import { Recorder } from './recorder';
import { Redactor } from './redaction';
import type { ServerReply } from './replyReader';
import type { SecretProvider } from './resolveVariables';
import { SessionError, type SessionErrorKind } from './sessionErrors';
import { sessionSettings, type SessionSettings, type SettingOverrides } from './sessionSettings';
import { SessionValues, type UnmetCapture } from './sessionValues';
import { SmtpConnection, type TlsDetails, type WaitDescription } from './smtpConnection';
import { timeoutFor, waitForVerb, type Wait } from './timeouts';
import { tlsOptions, upgradeToTls, warnIfUnverified } from './tlsUpgrade';

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
  /**
   * LMTP, or PRDR on MAIL: the recipient (its path as written) whose delivery
   * this reply after the message reports (RFC 2033 §4.2); such a step's line
   * is its `S:` expectation's, or the RCPT's when none is written — except
   * LMTP's first, which is the message's own step (its `.` line, or the last
   * BDAT's). Null (or absent) for every other step.
   */
  recipient?: string | null;
}

export interface SessionResult {
  name: string | null;
  /** 1-based line where the session starts. */
  line: number;
  server: string;
  ok: boolean;
  /** Why the session could not be played through; `kind` says what sort of failure (load counts errors by it). */
  error: { message: string; line: number | null; kind?: SessionErrorKind | 'internal' } | null;
  tls: TlsDetails | null;
  warnings: string[];
  steps: StepResult[];
  /**
   * The values taken from replies (`@name = {{$reply /…/}}`) in the order the
   * run reached them, secrets as ***; present when the session has such lines.
   */
  captures?: CapturedValue[];
  /**
   * The dialogue as it happened, as lines of a transcript (recordTranscript.ts
   * writes them out); present only when PlayOptions.record is set (a Recorder's
   * lines). Secrets are never in it: what carried one is recorded as the
   * references it came from, or as a placeholder.
   */
  recording?: RecordedLine[];
}

/** What a run read from this machine besides the transcript, for its summary: names and paths only, never values or content. */
export interface InputsRead {
  /** Environment variables `{{$env}}` read, by name, in order of first use. */
  environment: string[];
  /** Files `{{$file}}` streamed: relative to the workspace folder, or absolute when outside it (@allow-outside-files). */
  files: string[];
}

export interface CapturedValue {
  /** 1-based line of the `@name = …` line. */
  line: number;
  name: string;
  value: string;
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
  /** The folder `{{$file}}` must stay in (the workspace folder; run/workspaceRoot.ts). Default: the file's folder. */
  workspaceRoot?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Filled in as the session reads `{{$env}}` variables and `{{$file}}` files, each once (a run passes one for all its sessions). */
  inputsRead?: InputsRead;
  secrets: SecretProvider;
  signal?: AbortSignal;
  onEvent?: (event: SessionEvent) => void;
  /** Observers of every event, the engine's own included (playEvents.ts), e.g. a Recorder. */
  observers?: PlayObserver[];
  /** Certificates (PEM) to trust besides the system's, e.g. the embedded local server's. */
  trustedCertificates?: string[];
  /** Resolves host names (net.connect's `lookup`): a run passes one that asks once per host (engine/hostLookup.ts). */
  lookup?: LookupFunction;
  /**
   * Describe the dialogue in `result.recording` too: attaches a Recorder and puts its lines there. A shorthand
   * for callers that want the lines in the result; run/runTranscript.ts attaches its own Recorder instead.
   */
  record?: boolean;
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
  /** How many items were played through (from the player once it exists): the rest are reported as not played. */
  let next = 0;
  try {
    refuseBrokenSession(file, session);
    const settings = sessionSettings(file, session, options);
    const context: PlayContext = {
      file, session, settings, options, redactor, result, emit, warn,
      describesSentLines: observers.some((observer) => observer.describesSentLines === true),
      listening: observers.length > 0 || options.onEvent !== undefined,
    };
    result.server = formatServer(settings);
    // A session's own events are built only for someone to hear them (the CLI's sessions have no listener).
    if (context.listening) emit({ type: 'settings', settings });
    if (settings.allowRaw) warn('@allow-raw = true: lone CR or LF in bodies is sent as written, for deliberate protocol testing.');
    if (context.listening) emit({ type: 'connecting', server: result.server });
    connection = await SmtpConnection.open(settings.host, settings.port, timeoutFor('connect', settings.timeoutMs), settings.tls === 'implicit' ? tlsOptions(context) : null, options.signal, settings.socketPath, options.lookup);
    if (connection.isTls) {
      result.tls = connection.tlsDetails(settings.verifyTls);
      warnIfUnverified(context);
    }
    if (context.listening) emit({ type: 'connected', server: result.server, tls: result.tls });
    const playing = new Player(context, connection);
    player = playing;
    await playing.greeting();
    await playing.playItems(items);
  } catch (error) {
    result.error = describeError(error, redactor);
    emit({ type: 'error', error: result.error });
  } finally {
    if (player) next = player.played;
    const notPlayed: number[] = [];
    for (; next < items.length; next++) {
      if (!result.steps.some((step) => step.line === items[next].line && !step.skipped)) {
        const sentAs = player?.sentAs(items[next].line);
        // Sent but never answered (a pipelined group cut short) is not "skipped": the server got it (its batch's event says so).
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

/**
 * Plays the steps over one connection: writes each batch, reads and checks its replies, acts on them. Per
 * step it awaits only a reply that is not here yet: encoding, writing and checking are done at once unless
 * a line needs a value resolved, a file streamed or a slow socket drained.
 */
class Player implements WaitDescription {
  /** What the server offered in its last EHLO reply; forgotten after STARTTLS. */
  private readonly offer = new ServerOffer();
  /**
   * The reply to the last DATA command with a body, which needs its 354 (precondition). Only that one: a reply
   * kept for every command outlived its step, and thousands of them were most of what each garbage collection
   * copied. One slot: the body is the item right after its DATA, so no other DATA is answered in between.
   */
  private dataReply: { command: CommandStep; reply: ServerReply } | null = null;
  /** What is encoded and not yet written: a pipelined group goes out in one write. */
  private readonly outgoing = new OutgoingBatch();
  private readonly values: SessionValues;
  private readonly encoder: LineEncoder;
  finished = false;
  quitSent = false;
  /** Items played through, from the first: where the next batch starts. */
  played = 0;
  /** The session greeted with LHLO (RFC 2033): the end of each message is answered per accepted recipient. */
  private lmtp = false;
  /** The RCPTs the server accepted in the open transaction, in order: who the replies after the message are about. */
  private accepted: CommandStep[] = [];
  /**
   * The batch under way and what was written of it (as shown, redacted), item by item. A batch that fails or
   * ends the session is the last one played, so the lines sent without a reply are all here.
   */
  private sentBatch: readonly Sendable[] = [];
  private sentItems: readonly SentItem[] = [];
  /** The item whose reply is awaited, for a timeout's message (describeWait). */
  private waitingFor: Sendable | null = null;

  constructor(
    private readonly context: PlayContext,
    private readonly connection: SmtpConnection,
  ) {
    this.values = new SessionValues(context);
    this.encoder = new LineEncoder(context, connection, this.outgoing, this.values);
  }

  /** Part of a message body has been written but not its end: the server reads anything more as message text. */
  get inBody(): boolean {
    return this.outgoing.inBody;
  }

  /** The session's own timeout (@timeout or --timeout), if it set one. */
  get timeoutMs(): number | null {
    return this.context.settings.timeoutMs;
  }

  async greeting(): Promise<void> {
    const { session } = this.context;
    const started = monotonicMs();
    const reply = await this.read('greeting', 'the connection (the greeting)');
    this.values.lastReply = reply;
    const expected = await this.values.expectation(session.greeting);
    const unmetCapture = await this.values.capture(session.greeting);
    this.check((expected?.line ?? session.range.start.line) + 1, 'greeting', null, expected, reply, started, unmetCapture);
    if (reply.code === 421 || reply.code === 554) this.finished = true;
    // RFC 5321 §3.8: with 421 the server is closing the channel; after 554 the client still says QUIT (§3.1).
    if (reply.code === 421) this.quitSent = true;
  }

  /** What was sent for the item answered on `line` in the batch under way (as shown), or undefined when it was not written. */
  sentAs(line: number): string | undefined {
    for (let i = 0; i < this.sentItems.length; i++) if (this.sentBatch[i].line === line) return this.sentItems[i].display;
    return undefined;
  }

  describeWait(): string {
    return this.waitingFor ? describeItem(this.waitingFor) : 'the server';
  }

  /**
   * Plays the items batch by batch (one item, or a whole pipelined group: written at once, then its replies
   * read and checked) until they are all played or the session ends; `played` counts those played through.
   * One async frame for the whole session: a batch costs no promise of its own, only the replies that are
   * not here yet are awaited.
   */
  async playItems(items: Sendable[]): Promise<void> {
    const { context } = this;
    while (this.played < items.length && !this.finished) {
      this.sentBatch = [];
      this.sentItems = [];
      const batch = nextBatch(items, this.played, this.offer.pipelining);
      const first = batch[0];
      const skip = this.precondition(first);
      if (skip) {
        const skipped = skippedStep(first);
        skipped.mismatch = skip;
        context.result.steps.push(skipped);
        if (context.listening) context.emit({ type: 'step', step: skipped });
        this.played++;
        continue;
      }
      const started = monotonicMs();
      let sent: SentItem[] = [];
      try {
        // Written at once in the usual case; a promise only when a line needs a value resolved or the socket is slow.
        const writing = this.write(batch);
        sent = writing instanceof Promise ? await writing : writing;
        this.sentBatch = batch;
        this.sentItems = sent;
        let mismatch = false;
        let answered = batch.length;
        for (let i = 0; i < batch.length; i++) {
          const item = batch[i];
          if (this.lmtp && this.answeredByNothing(item, sent[i].display, started)) continue;
          // A reply already here (the rest of a pipelined group's) is taken without a promise.
          const reply = this.connection.bufferedReply() ?? await this.readFor(item);
          this.values.lastReply = reply;
          if (item.kind === 'command' && item.step.body?.kind === 'data') this.dataReply = { command: item.step, reply };
          // Awaited only when there are values to substitute or capture: one promise less per step otherwise.
          const expected = this.values.changesExpectation(item.expected) ? await this.values.expectation(item.expected) : item.expected;
          const unmetCapture = this.values.capturesFrom(item.expected) ? await this.values.capture(item.expected) : null;
          const step = this.check(item.line, item.kind === 'command' ? 'command' : item.kind, sent[i].display, expected, reply, started, unmetCapture, this.lmtp ? this.firstDelivery(item) : null);
          if (step.ok === false) mismatch = true;
          if (endsMessage(item)) {
            // Further replies after the message come only in LMTP, or with PRDR after a 353; each awaited then.
            if (this.lmtp || (item.kind === 'data' && item.end.perRecipient === 'prdr' && reply.code === 353)) {
              if (!(await this.perRecipientReplies(item, reply, started))) mismatch = true;
            } else {
              this.accepted = [];
            }
          }
          const upgrading = this.afterReply(item, reply);
          if (upgrading) await upgrading;
          if (this.finished) {
            answered = i + 1;
            break;
          }
        }
        if (mismatch && context.settings.stopOnMismatch) this.finished = true;
        this.played += answered;
      } finally {
        if (context.listening) context.emit({ type: 'batch-ended', sent });
      }
    }
  }

  /**
   * Everything is encoded (and checked) first, then written at once: one write per pipelined group, and a
   * refused line in a group leaves none of it sent. Returns a promise only when something had to wait.
   */
  private write(batch: Sendable[]): SentItem[] | Promise<SentItem[]> {
    const steps = this.context.result.steps;
    const encoded: SentItem[] = new Array(batch.length);
    try {
      for (let i = 0; i < batch.length; i++) {
        const sent = this.encoder.encode(batch[i], steps[steps.length - 1]?.reply?.lines);
        if (sent instanceof Promise) return this.writeWaiting(batch, i, sent, encoded);
        encoded[i] = sent;
      }
      const flushed = this.outgoing.flush(this.connection, this.context.options.signal);
      if (flushed) return flushed.then(() => encoded, (error: unknown) => this.writeFailed(error));
    } catch (error) {
      this.writeFailed(error);
    }
    return encoded;
  }

  /** write() from the item whose encoding must wait (`pending`) on. */
  private async writeWaiting(batch: Sendable[], from: number, pending: Promise<SentItem>, encoded: SentItem[]): Promise<SentItem[]> {
    const steps = this.context.result.steps;
    try {
      encoded[from] = await pending;
      for (let i = from + 1; i < batch.length; i++) encoded[i] = await this.encoder.encode(batch[i], steps[steps.length - 1]?.reply?.lines);
      await this.outgoing.flush(this.connection, this.context.options.signal);
    } catch (error) {
      this.writeFailed(error);
    }
    return encoded;
  }

  /** Nothing queued by a failed batch is written later. */
  private writeFailed(error: unknown): never {
    this.outgoing.discard();
    throw error;
  }

  /** A reason not to send this item at all: the server did not invite it. */
  private precondition(item: Sendable): string | null {
    if (item.kind === 'data') {
      const dataReply = this.dataReply?.command === item.end.command ? this.dataReply.reply : undefined;
      // Each end of data is looked at once, as the first item of its batch.
      this.dataReply = null;
      if (dataReply && Math.floor(dataReply.code / 100) !== 3) return `not sent: the server answered DATA with ${dataReply.code}, so it does not expect a message`;
    }
    if (item.kind === 'sasl') {
      const steps = this.context.result.steps;
      const last = steps[steps.length - 1];
      // Sending credentials to a server that did not ask (no 334) would turn them into a command line.
      if (last?.reply?.code !== 334) return 'not sent: the server did not ask for a SASL response (no 334)';
    }
    return null;
  }

  /**
   * LMTP's last BDAT when the server accepted no recipient: it answers with no
   * reply at all (RFC 2033 §4.3), so none is awaited; the step says why.
   */
  private answeredByNothing(item: Sendable, sent: string, started: number): boolean {
    if (!this.lmtp || item.kind !== 'command' || !isLastChunk(item.step) || this.accepted.length > 0) return false;
    const step: StepResult = { ...skippedStep(item), sent, skipped: false, ms: Math.round((monotonicMs() - started) * 10) / 10, mismatch: 'no reply: the server accepted no recipient, so LMTP answers the last chunk with none (RFC 2033 §4.3)' };
    this.context.result.steps.push(step);
    if (this.context.listening) this.context.emit({ type: 'step', step });
    return true;
  }

  /** LMTP: the end of a message (or its last BDAT) is answered first about the first recipient accepted (RFC 2033 §4.2). */
  private firstDelivery(item: Sendable): string | null {
    return endsMessage(item) && this.accepted.length > 0 ? addressOf(this.accepted[0]) : null;
  }

  /**
   * After the end of a message (or LMTP's last BDAT) the first reply is read
   * as the step's own; LMTP sends one more per further recipient the server
   * accepted (RFC 2033 §4.2, §4.3), and PRDR, after its 353, one per accepted
   * recipient and one for the message (draft-hall-prdr §4). Each becomes a
   * step of its own, checked against the transcript's expectation for that
   * recipient. Returns false when one did not meet its expectation.
   */
  private async perRecipientReplies(item: Sendable, first: ServerReply, started: number): Promise<boolean> {
    const end = item.kind === 'data' ? item.end : null;
    const recipients = this.accepted;
    this.accepted = [];
    const deliveries = end ? end.deliveries : item.kind === 'command' ? item.step.deliveries : null;
    let met = true;
    const deliver = async (recipient: CommandStep) => {
      const reply = await this.read('data-end', `the reply for ${addressOf(recipient)} after the end of the message (line ${item.line})`);
      this.values.lastReply = reply;
      const written = deliveries?.find((delivery) => delivery.recipient === recipient)?.reply ?? null;
      const expected = await this.values.expectation(written);
      const step = this.check((expected?.line ?? recipient.line) + 1, item.kind === 'data' ? 'data' : 'command', null, expected, reply, started, null, addressOf(recipient));
      if (step.ok === false) met = false;
      if (reply.code === 421) this.finished = true;
    };
    if (this.lmtp) {
      for (const recipient of recipients.slice(1)) if (!this.finished) await deliver(recipient);
    } else if (end?.perRecipient === 'prdr' && first.code === 353) {
      for (const recipient of recipients) if (!this.finished) await deliver(recipient);
      if (!this.finished) {
        const reply = await this.read('data-end', `the reply for the whole message after the per-recipient ones (line ${item.line})`);
        this.values.lastReply = reply;
        const expected = await this.values.expectation(end.finalReply);
        if (this.check((expected?.line ?? end.line) + 1, 'data', null, expected, reply, started).ok === false) met = false;
      }
    }
    return met;
  }

  /**
   * What a reply changes: the end of the session (421, QUIT), what the server offers (EHLO), TLS (STARTTLS).
   * Returns the TLS upgrade to wait for, the one change that is not immediate.
   */
  private afterReply(item: Sendable, reply: ServerReply): Promise<void> | null {
    if (reply.code === 421) {
      // RFC 5321 §3.8: the server is closing the channel; nothing more can be sent.
      this.finished = true;
      this.quitSent = true;
      return null;
    }
    if (item.kind !== 'command') return null;
    // One comparison chain per reply (a switch): most verbs change nothing, and each step asks.
    switch (item.step.verbName) {
      case 'DATA':
        // RFC 5321 §4.1.1.4: after 354 the server reads message text up to ".", so a
        // session that stops before the body (an unmet expectation earlier in a
        // pipelined group) must not send QUIT into it; sending the body clears this.
        if (reply.code >= 300 && reply.code < 400) this.outgoing.beginBody();
        return null;
      // Who the replies after the message will be about: the transaction's accepted RCPTs, in order.
      case 'MAIL':
      case 'RSET':
      case 'HELO':
        if (this.accepted.length > 0) this.accepted = [];
        return null;
      case 'RCPT':
        if (reply.code >= 200 && reply.code < 300) this.accepted.push(item.step);
        return null;
      case 'EHLO':
      case 'LHLO':
        // LHLO has EHLO's semantics (RFC 2033 §4.1): its reply says what the server offers.
        if (reply.code === 250) this.offer.learn(reply.lines);
        if (item.step.verbName === 'LHLO' && reply.code === 250) this.lmtp = true;
        if (this.accepted.length > 0) this.accepted = [];
        return null;
      case 'QUIT':
        this.quitSent = true;
        this.finished = true;
        return null;
      case 'STARTTLS':
        return reply.code === 220 ? upgradeToTls(this.connection, this.context, this.offer) : null;
      default:
        return null;
    }
  }


  private read(wait: Wait, what: string): Promise<ServerReply> {
    return this.connection.readReply(timeoutFor(wait, this.context.settings.timeoutMs), what, this.context.options.signal);
  }

  /** The reply to an item, waited for: its description is worked out only if the time runs out. */
  private readFor(item: Sendable): Promise<ServerReply> {
    this.waitingFor = item;
    return this.connection.readReply(timeoutFor(waitFor(item), this.context.settings.timeoutMs), this, this.context.options.signal);
  }

  /** The reply against its expectation (and the captures that read it), as a step of the result (and an event); `recipient` for a reply after the message about one. */
  private check(line: number, kind: StepResult['kind'], sent: string | null, expected: Reply | null, reply: ServerReply, started: number, unmetCapture: UnmetCapture | null = null, recipient: string | null = null): StepResult {
    const { redactor, settings, result } = this.context;
    let outcome = expected ? expectationMet(expected, reply, settings.strict) : null;
    // A capture that found nothing fails the step its reply answers, shown on the capture's own line (already redacted).
    const captureFailed = unmetCapture !== null && outcome?.ok !== false;
    if (captureFailed) outcome = { ok: false, reason: unmetCapture.message };
    // Written out, not `{ ...base, … }`: in Node 20's V8 a spread followed by more properties costs tens of
    // microseconds per object, which was the largest share of a step's time (npm run bench, smtp-sink rows).
    const step: StepResult = {
      line,
      kind,
      sent,
      reply: { code: reply.code, enhanced: reply.enhanced, lines: shownLines(reply.lines, redactor) },
      expected: expected ? describeExpectation(expected) : null,
      expectedLine: captureFailed ? unmetCapture.line : expected ? expected.line + 1 : null,
      ok: outcome ? outcome.ok : null,
      mismatch: outcome?.reason ? redactor.redact(escapeForDisplay(outcome.reason)) : null,
      skipped: false,
      ms: Math.round((monotonicMs() - started) * 10) / 10,
      recipient,
    };
    if (reply.bareLineFeeds) this.context.warn(`line ${line}: the server ended a reply line with a bare LF instead of CRLF (RFC 5321 §2.3.8).`);
    result.steps.push(step);
    if (this.context.listening) this.context.emit({ type: 'step', step });
    return step;
  }
}

/**
 * A reply's lines as results show them (escaped, secrets as ***). Most lines show as they came: then the
 * reply's own list is shown, not a copy (nothing changes either list afterwards).
 */
function shownLines(lines: string[], redactor: Redactor): string[] {
  let shown: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = redactor.redact(escapeForDisplay(lines[i]));
    if (shown === null && line !== lines[i]) shown = lines.slice(0, i);
    if (shown !== null) shown.push(line);
  }
  return shown ?? lines;
}

function waitFor(item: Sendable): Wait {
  if (item.kind === 'data') return 'data-end';
  if (item.kind === 'sasl') return 'command';
  return waitForVerb(item.step.verbName);
}

/** The item a reply is awaited for, as a timeout's message names it. */
function describeItem(item: Sendable): string {
  if (item.kind === 'data') return `the end of the message (line ${item.end.line + 1})`;
  if (item.kind === 'sasl') return `the SASL response on line ${item.line}`;
  return `${item.step.verbName || 'the command'} on line ${item.line}`;
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
  return { line: item.line, kind: item.kind === 'command' ? 'command' : item.kind, sent: null, reply: null, expected: item.expected ? describeExpectation(item.expected) : null, expectedLine: item.expected ? item.expected.line + 1 : null, ok: null, mismatch: null, skipped: true, ms: 0, recipient: null };
}

/** The end of a message: a DATA body's "." or LMTP's last BDAT, after which replies may come per recipient. */
function endsMessage(item: Sendable): boolean {
  return item.kind === 'data' || (item.kind === 'command' && isLastChunk(item.step));
}

function isLastChunk(step: CommandStep): boolean {
  return step.verbName === 'BDAT' && step.words.some((word) => word.text.toUpperCase() === 'LAST');
}

/** A RCPT's path as written (`<bob@example.org>`), for the steps that report its delivery. */
function addressOf(recipient: CommandStep): string {
  return recipient.path?.address?.text ?? recipient.text.text;
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
  if (settings.socketPath !== null) return `unix:${settings.socketPath}`;
  return settings.host.includes(':') ? `[${settings.host}]:${settings.port}` : `${settings.host}:${settings.port}`;
}

function describeError(error: unknown, redactor: Redactor): NonNullable<SessionResult['error']> {
  if (error instanceof SessionError) return { message: redactor.redact(escapeForDisplay(error.message)), line: error.line, kind: error.kind };
  const message = error instanceof Error ? error.message : String(error);
  return { message: redactor.redact(escapeForDisplay(`Internal error: ${message}. Please report it with the .smtp file.`)), line: null, kind: 'internal' };
}
