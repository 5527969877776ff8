import { dirname, resolve as resolvePath } from 'node:path';
import { findCommand } from '../protocol/commands';
import { findSaslMechanism, parseEhloReply } from '../protocol/ehloKeywords';
import { isIP } from 'node:net';
import type { CommandStep, DataEnd, Reply, ReplyGroup, SaslResponse, Session, TranscriptFile } from '../transcript/ast';
import { visibleVariables } from '../analysis/variableScope';
import { escapeForDisplay } from './displayText';
import { describeExpectation, expectationMet } from './expectations';
import { Redactor } from './redaction';
import type { ServerReply } from './replyReader';
import { resolveReferences, variableValues, type SecretProvider } from './resolveVariables';
import { SessionError } from './sessionErrors';
import { sessionSettings, type SessionSettings, type SettingOverrides } from './sessionSettings';
import { SmtpConnection, type TlsDetails } from './smtpConnection';
import { timeoutFor, waitForVerb, type Wait } from './timeouts';
import { DATA_TERMINATOR, encodeBdatChunk, encodeBodyLines, encodeCommandLine, encodeFileAsBody } from './wireEncoding';

export interface StepResult {
  /** 1-based line of the step in the file. */
  line: number;
  kind: 'greeting' | 'command' | 'data' | 'sasl';
  /** What was sent, with secrets as *** (null for the greeting and for skipped steps). */
  sent: string | null;
  reply: { code: number; enhanced: string | null; lines: string[] } | null;
  expected: string | null;
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
}

export type SessionEvent =
  | { type: 'connecting'; server: string }
  | { type: 'connected'; server: string; tls: TlsDetails | null }
  | { type: 'tls'; tls: TlsDetails }
  | { type: 'step'; step: StepResult }
  | { type: 'warning'; message: string };

export interface RunOptions extends SettingOverrides {
  /** The .smtp file's path: `{{$file}}` paths are relative to its folder. */
  filePath: string;
  env?: NodeJS.ProcessEnv;
  secrets: SecretProvider;
  signal?: AbortSignal;
  onEvent?: (event: SessionEvent) => void;
  /** Certificates (PEM) to trust besides the system's, e.g. the embedded local server's. */
  trustedCertificates?: string[];
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
      if (end) list.push({ kind: 'data', end, expected: end.reply, group: end.group, line: step.line + 2 });
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
export async function runSession(file: TranscriptFile, session: Session, options: RunOptions): Promise<SessionResult> {
  const result: SessionResult = {
    name: session.name, line: session.range.start.line + 1, server: '', ok: false, error: null, tls: null, warnings: [], steps: [],
  };
  const redactor = new Redactor();
  const emit = (event: SessionEvent) => options.onEvent?.(event);
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
    if (settings.allowRaw) warn('@allow-raw = true: lone CR or LF in bodies is sent as written, for deliberate protocol testing.');
    player = new Player(file, session, settings, options, redactor, result, emit, warn);
    emit({ type: 'connecting', server: result.server });
    connection = await abortable(
      SmtpConnection.open(settings.host, settings.port, timeoutFor('connect', settings.timeoutMs), settings.tls === 'implicit' ? { verify: settings.verifyTls, servername: settings.host, ca: options.trustedCertificates } : null),
      options.signal,
    );
    player.connection = connection;
    if (connection.isTls) {
      result.tls = connection.tlsDetails(settings.verifyTls);
      player.warnIfUnverified();
    }
    emit({ type: 'connected', server: result.server, tls: result.tls });
    const playing = player;
    await playing.greeting();
    while (next < items.length && !playing.finished) {
      next += await playing.playBatch(items, next);
    }
  } catch (error) {
    result.error = describeError(error, redactor);
  } finally {
    for (; next < items.length; next++) {
      if (!result.steps.some((step) => step.line === items[next].line && !step.skipped)) result.steps.push(skippedStep(items[next]));
    }
    if (connection) await quitPolitely(connection, player?.quitSent ?? false, Math.min(QUIT_TIMEOUT_MS, player?.timeoutMs ?? QUIT_TIMEOUT_MS));
  }
  const metEverything = result.steps.every((step) => step.ok !== false && !step.skipped);
  result.ok = result.error === null && metEverything;
  return result;
}

/** Plays the steps; one instance per session run. */
class Player {
  connection: SmtpConnection | null = null;
  /** PIPELINING was in the reply to the last EHLO (forgotten after STARTTLS). */
  private advertised: Map<string, string[]> | null = null;
  /** Replies to commands, for the steps that depend on them (a DATA body needs its 354). */
  private readonly commandReplies = new Map<CommandStep, ServerReply>();
  finished = false;
  quitSent = false;

  /** The session's own timeout (@timeout or --timeout), if it set one. */
  get timeoutMs(): number | null {
    return this.settings.timeoutMs;
  }

  constructor(
    private readonly file: TranscriptFile,
    private readonly session: Session,
    private readonly settings: SessionSettings,
    private readonly options: RunOptions,
    private readonly redactor: Redactor,
    private readonly result: SessionResult,
    private readonly emit: (event: SessionEvent) => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Said once TLS is up without verification, with the reason it would have failed when there is one. */
  warnIfUnverified(): void {
    if (this.settings.verifyTls) return;
    const reason = this.result.tls?.verificationError;
    this.warn(`TLS certificate verification is off (@tls-verify = false or --insecure): the server's identity was not checked${reason ? `, and the certificate would have failed: ${reason}` : ''}.`);
  }

  async greeting(): Promise<void> {
    const started = performance.now();
    const reply = await this.read('greeting', 'the connection (the greeting)');
    const expected = this.session.greeting;
    this.record({ line: (expected?.line ?? this.session.range.start.line) + 1, kind: 'greeting', sent: null }, expected, reply, started);
    if (reply.code === 421 || reply.code === 554) this.finished = true;
  }

  /** Sends one item, or a whole pipelined group, and reads the replies; returns how many items it played. */
  async playBatch(items: Sendable[], start: number): Promise<number> {
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
      this.result.steps.push({ ...skippedStep(first), mismatch: skip });
      this.emit({ type: 'step', step: this.result.steps[this.result.steps.length - 1] });
      return 1;
    }
    const started = performance.now();
    const sent: string[] = [];
    for (const item of batch) sent.push(await this.send(item));
    let mismatch = false;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i];
      const reply = await this.read(this.waitFor(item), this.describe(item));
      if (item.kind === 'command') this.commandReplies.set(item.step, reply);
      const step = this.record({ line: item.line, kind: item.kind === 'command' ? 'command' : item.kind, sent: sent[i] }, item.expected, reply, started);
      if (step.ok === false) mismatch = true;
      await this.afterReply(item, reply);
      if (this.finished) return i + 1;
    }
    if (mismatch && this.settings.stopOnMismatch) this.finished = true;
    return batch.length;
  }

  /** A reason not to send this item at all: the server did not invite it. */
  private precondition(item: Sendable): string | null {
    if (item.kind === 'data') {
      const dataReply = this.commandReplies.get(item.end.command);
      if (dataReply && Math.floor(dataReply.code / 100) !== 3) return `not sent: the server answered DATA with ${dataReply.code}, so it does not expect a message`;
    }
    if (item.kind === 'sasl') {
      const last = this.result.steps[this.result.steps.length - 1];
      // Sending credentials to a server that did not ask (no 334) would turn them into a command line.
      if (last?.reply?.code !== 334) return 'not sent: the server did not ask for a SASL response (no 334)';
    }
    return null;
  }

  private async send(item: Sendable): Promise<string> {
    const connection = this.connection!;
    if (item.kind === 'data') return this.sendBody(item.end);
    if (item.kind === 'sasl') {
      const response = item.step;
      const resolved = await this.resolve(response.text.text, response.variables, response.text.range.start.character, response.line);
      await connection.write(encodeCommandLine(resolved.text, response.line + 1, resolved.variablesUsed));
      // A SASL response is a credential, whatever it is made of: never shown.
      return '***';
    }
    const step = item.step;
    if (step.verbName === 'AUTH') this.refuseClearTextCredentials(step);
    const resolved = await this.resolve(step.text.text, step.variables, step.text.range.start.character, step.line);
    const line = encodeCommandLine(resolved.text, step.line + 1, resolved.variablesUsed);
    if (step.verbName === 'BDAT' && step.body) {
      const chunkLines = [];
      for (const bodyLine of step.body.lines) {
        const text = (await this.resolve(bodyLine.text.text, bodyLine.variables, bodyLine.text.range.start.character, bodyLine.line)).text;
        chunkLines.push({ text, withoutLineEnding: bodyLine.withoutLineEnding });
      }
      const chunk = encodeBdatChunk(chunkLines, { allowRaw: this.settings.allowRaw, line: step.line + 1 });
      // RFC 3030 §2: the octets follow the command line directly, and the size sent is the size of what follows
      // (variables may have changed it from what the transcript declares).
      const declared = Number(step.words[0]?.text);
      const command = chunk.length === declared ? line : encodeCommandLine(resolved.text.replace(/^(\S+\s+)\d+/, `$1${chunk.length}`), step.line + 1, resolved.variablesUsed);
      await connection.write(Buffer.concat([command, chunk]));
      return `${this.display(command)} <chunk: ${chunk.length} octets>`;
    }
    await connection.write(line);
    return this.displayCommand(step, resolved.text);
  }

  /** GUIDE §4: readable credentials never cross an unencrypted link to another host unless the file says so. */
  private refuseClearTextCredentials(step: CommandStep): void {
    const mechanism = findSaslMechanism(step.words[0]?.text ?? '');
    if (!mechanism?.sendsSecretInClear || this.connection!.isTls || this.settings.allowPlaintextAuth || isLoopback(this.settings.host)) return;
    throw new SessionError('refused-input', `line ${step.line + 1}: AUTH ${mechanism.name} would send the credentials unencrypted to ${this.settings.host}; nothing was sent. Add "C: STARTTLS" (and a new EHLO) before it, use "@tls = implicit", or set "@allow-plaintext-auth = true" if you really mean it.`, step.line + 1);
  }

  private async sendBody(end: DataEnd): Promise<string> {
    const connection = this.connection!;
    const body = end.body;
    const base = dirname(this.options.filePath);
    let octets = 0;
    let pending: string[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const bytes = encodeBodyLines(pending, { allowRaw: this.settings.allowRaw, line: end.command.line + 1 });
      octets += bytes.length;
      await connection.write(bytes);
      pending = [];
    };
    for (const line of body.lines) {
      const file = fileReference(line.text.text, line.variables);
      if (file !== null) {
        await flush();
        // Streamed, never loaded whole: a 50 MB attachment costs a few chunks of memory.
        for await (const chunk of encodeFileAsBody(resolvePath(base, file), { allowRaw: this.settings.allowRaw })) {
          octets += chunk.length;
          await connection.write(chunk);
        }
        continue;
      }
      pending.push((await this.resolve(line.text.text, line.variables, line.text.range.start.character, line.line)).text);
      if (pending.length >= 512) await flush();
    }
    await flush();
    await connection.write(DATA_TERMINATOR);
    return `<message: ${body.lines.length} line${body.lines.length === 1 ? '' : 's'}, ${octets} octets>`;
  }

  private async afterReply(item: Sendable, reply: ServerReply): Promise<void> {
    if (reply.code === 421) {
      // RFC 5321 §3.8: the server is closing the channel; nothing more can be sent.
      this.finished = true;
      this.quitSent = true;
      return;
    }
    if (item.kind !== 'command') return;
    const verb = item.step.verbName;
    if (verb === 'EHLO' && reply.code === 250) this.advertised = parseEhloReply(reply.lines);
    if (verb === 'QUIT') {
      this.quitSent = true;
      this.finished = true;
    }
    if (verb === 'STARTTLS' && reply.code === 220) {
      await this.connection!.startTls({ verify: this.settings.verifyTls, servername: this.settings.host, ca: this.options.trustedCertificates }, timeoutFor('tls-handshake', this.settings.timeoutMs));
      // RFC 3207 §4.2: everything learnt before TLS is void.
      this.advertised = null;
      const tls = this.connection!.tlsDetails(this.settings.verifyTls);
      this.result.tls = tls;
      if (tls) this.emit({ type: 'tls', tls });
      this.warnIfUnverified();
    }
  }

  private waitFor(item: Sendable): Wait {
    if (item.kind === 'data') return 'data-end';
    if (item.kind === 'sasl') return 'command';
    return waitForVerb(item.step.verbName);
  }

  private describe(item: Sendable): string {
    if (item.kind === 'data') return `the end of the message (line ${item.end.line + 1})`;
    if (item.kind === 'sasl') return `the SASL response on line ${item.line}`;
    return `${item.step.verbName || 'the command'} on line ${item.line}`;
  }

  private read(wait: Wait, what: string): Promise<ServerReply> {
    return abortable(this.connection!.readReply(timeoutFor(wait, this.settings.timeoutMs), what), this.options.signal);
  }

  private record(base: Pick<StepResult, 'line' | 'kind' | 'sent'>, expected: Reply | null, reply: ServerReply, started: number): StepResult {
    const outcome = expected ? expectationMet(expected, reply, this.settings.strict) : null;
    const step: StepResult = {
      ...base,
      reply: { code: reply.code, enhanced: reply.enhanced, lines: reply.lines.map((line) => this.redactor.redact(escapeForDisplay(line))) },
      expected: expected ? describeExpectation(expected) : null,
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

  private async resolve(text: string, references: CommandStep['variables'], startColumn: number, line: number) {
    if (references.length === 0) return { text, secrets: [] as string[], variablesUsed: [] as string[] };
    const scope = variableValues(visibleVariables(this.file, this.session, line));
    const resolved = await resolveReferences(text, references, startColumn, scope, this.options.env ?? process.env, this.options.secrets);
    for (const secret of resolved.secrets) this.redactor.add(secret);
    return resolved;
  }

  private displayCommand(step: CommandStep, sent: string): string {
    // Credentials in AUTH's initial response are never shown, whatever they are made of.
    if (step.verbName === 'AUTH' && step.words.length > 1) return `${step.verb.text} ${step.words[0].text} ***`;
    return this.display(sent);
  }

  private display(text: string | Buffer): string {
    const plain = typeof text === 'string' ? text : text.toString('utf8').replace(/\r\n$/, '');
    return this.redactor.redact(escapeForDisplay(plain));
  }
}

/** A `{{$file PATH}}` that is the whole body line: the file's content replaces the line. */
function fileReference(text: string, references: CommandStep['variables']): string | null {
  const trimmed = text.trim();
  if (references.length !== 1 || references[0].name.text !== '$file' || !trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return null;
  const arg = references[0].args[0];
  return arg?.kind === 'literal' ? arg.token.text : null;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

function skippedStep(item: Sendable): StepResult {
  return { line: item.line, kind: item.kind === 'command' ? 'command' : item.kind, sent: null, reply: null, expected: item.expected ? describeExpectation(item.expected) : null, ok: null, mismatch: null, skipped: true, ms: 0 };
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

// A polite QUIT at the end should not keep a finished session waiting long.
const QUIT_TIMEOUT_MS = 5_000;

/** Ends with QUIT when the transcript did not and the connection is still sound (RFC 5321 §4.1.1.10). */
async function quitPolitely(connection: SmtpConnection, alreadyQuit: boolean, waitMs: number): Promise<void> {
  if (!alreadyQuit && connection.usable) {
    try {
      await connection.write('QUIT\r\n');
      await connection.readReply(waitMs, 'QUIT');
    } catch {
      // The session is over either way; the result already says why.
    }
  }
  connection.close();
}

function formatServer(settings: SessionSettings): string {
  return settings.host.includes(':') ? `[${settings.host}]:${settings.port}` : `${settings.host}:${settings.port}`;
}

function describeError(error: unknown, redactor: Redactor): { message: string; line: number | null } {
  if (error instanceof SessionError) return { message: redactor.redact(escapeForDisplay(error.message)), line: error.line };
  const message = error instanceof Error ? error.message : String(error);
  return { message: redactor.redact(escapeForDisplay(`Internal error: ${message}. Please report it with the .smtp file.`)), line: null };
}

/** Rejects with a 'cancelled' SessionError when the signal fires first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new SessionError('cancelled', 'The session was cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SessionError('cancelled', 'The session was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
