import type { CommandStep, Delivery, Problem, Range, Reply, Session, Token, TranscriptFile, VariableDefinition } from '../transcript/ast';
import { isLoopbackHost } from '../protocol/loopbackHosts';
import { utf8Length } from '../transcript/lines';
import { checkCommand, type ConnectionFacts } from './commandRules';
import { applyCommand, applyReply, applySaslResponse, initialState, replyClass, type DialogueState } from './dialogueState';
import { checkReplyCode } from './replyRules';
import { checkSequence } from './sequenceRules';
import type { AnalysisOptions } from './analysisOptions';
import { checkFileReference } from './fileRules';
import { checkReferences } from './variableRules';
import { VariableScopes } from './variableScope';

// RFC 5321 §4.5.3.1.4 and §4.5.3.1.6 (CRLF included); RFC 4954 §4 raises the limit for AUTH lines.
const COMMAND_LINE_LIMIT = 512;
const AUTH_LINE_LIMIT = 12288;
const TEXT_LINE_LIMIT = 1000;
// RFC 5321 §4.5.3.1.8: servers must accept at least 100 recipients; more may be refused with 452.
const RECIPIENT_BUFFER_MINIMUM = 100;
const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * The problems the dialogue's order and lines show, beyond what the parser
 * found. `scopes` is shared by the sessions of one walk through the file
 * (checkTranscript), so the lines that see the same variables share one map.
 */
export function analyzeSession(file: TranscriptFile, session: Session, options: AnalysisOptions = {}, scopes = new VariableScopes(file)): Problem[] {
  return new SessionAnalysis(session, options, scopes).run();
}

/**
 * One walk through a session's steps. The walk keeps what the rules need in
 * fields rather than in closures made per step: a 10 MB file has some 100,000
 * commands, and the common clean line should cost its checks, not objects.
 */
class SessionAnalysis {
  readonly problems: Problem[] = [];
  private readonly state = initialState();
  private readonly connection: ConnectionFacts;
  private readonly external: ReadonlySet<string>;
  /** The command being checked: what `emit` compares a predicted refusal with. */
  private command: CommandStep | null = null;
  private ehloRefused = false;
  // $reply and $cramMd5 read the reply before them: only meaningful once one has come.
  private afterReply = false;

  constructor(
    private readonly session: Session,
    private readonly options: AnalysisOptions,
    private readonly scopes: VariableScopes,
  ) {
    this.external = options.externalVariables ?? NO_NAMES;
    this.connection = connectionFacts(scopes.at(session, Number.MAX_SAFE_INTEGER));
  }

  run(): Problem[] {
    for (const step of this.session.steps) {
      switch (step.kind) {
        case 'command':
          this.commandStep(step);
          break;
        case 'sasl': {
          const variables = step.variables;
          if (variables.length > 0) checkReferences(variables, this.scope(step.line), false, this.problems, this.external, this.afterReply);
          applySaslResponse(this.state, step);
          const text = step.text;
          checkLength(text, AUTH_LINE_LIMIT, 'A SASL response line', 'RFC 4954 §4', this.problems);
          break;
        }
        case 'reply':
          this.replyStep(step);
          break;
        case 'variable':
          if (step.variables.length > 0) checkReferences(step.variables, this.scope(step.line), false, this.problems, this.external, this.afterReply);
          break;
      }
    }
    return this.problems;
  }

  /** Variable scope is only worked out for the steps that use a variable: most lines use none. */
  private scope(line: number): ReadonlyMap<string, VariableDefinition> {
    return this.scopes.at(this.session, line);
  }

  private commandStep(step: CommandStep): void {
    const { state, problems, connection } = this;
    // After a successful TURN the lines are the other side's dialogue: only what is true of any line still applies.
    if (state.turned) {
      checkLineLengths(step, problems);
      return;
    }
    // A step's references are scanned from its line on each read (transcript/sourceSteps.ts): read once.
    const variables = step.variables;
    if (variables.length > 0) checkReferences(variables, this.scope(step.line), false, problems, this.external, this.afterReply);
    const body = step.body;
    if (body) {
      // Body lines are read from the parser's line table without building them: only those with references are.
      for (let k = 0; k < body.lineCount; k++) {
        if (!body.hasReferences(k)) continue;
        const lineVariables = body.line(k).variables;
        const scope = this.scope(step.line);
        checkReferences(lineVariables, scope, true, problems, this.external, this.afterReply);
        checkFileReference(lineVariables, scope, this.options.fileLocation ?? null, problems);
      }
    }
    this.command = step;
    const violation = checkSequence(state, step);
    if (violation) {
      this.emit(violation.code, violation.code === 'no-recipients' ? 'warning' : 'error', step.verb.range,
        `${violation.rule} (${violation.rfc}): servers reply ${violation.serverReply}. To fix it, ${violation.fix}.`);
    }
    // What the line sends, read once for the rules and the length.
    const sent = step.text;
    checkCommand(step, state, connection, this.emit, sent.text);
    checkPipelining(step, state, this.emit);
    const verb = step.verbName;
    if (verb === 'HELO' && !this.ehloRefused) {
      this.emit('helo-deprecated', 'hint', step.verb.range, 'HELO opens a session without extensions; EHLO also gets the list of what the server offers (PIPELINING, STARTTLS, AUTH, SIZE…) and every server must accept it (RFC 5321 §4.1.1.1).');
    }
    if (verb === 'EHLO') this.ehloRefused = replyClass(step.reply) === '5';
    if (verb === 'LHLO' && !state.lmtp && connection.port === 25) {
      problems.push({ code: 'lmtp-port', severity: 'warning', range: step.verb.range, message: 'LMTP must not run on port 25, the SMTP port (RFC 2033 §5): this LHLO goes to port 25. Point @server at the LMTP port (often 24) or the delivery agent\'s Unix socket (@server = unix:/path/to/socket).' });
    }
    const end = body?.terminator;
    if (end?.deliveries) checkDeliveries(end.deliveries, end.perRecipient === 'lmtp', end.range, problems);
    if (step.deliveries) checkDeliveries(step.deliveries, true, step.verb.range, problems);
    applyCommand(state, step);
    if (verb === 'RCPT' && state.transaction?.recipients === RECIPIENT_BUFFER_MINIMUM + 1) {
      problems.push({
        code: 'too-many-recipients', severity: 'information', range: step.verb.range,
        message: `This is recipient ${RECIPIENT_BUFFER_MINIMUM + 1} of the transaction: servers only have to accept ${RECIPIENT_BUFFER_MINIMUM} (RFC 5321 §4.5.3.1.8) and may answer 452 4.5.3; send the rest in another transaction.`,
      });
    }
    checkLineLengths(step, problems, sent);
  }

  /** Rules that predict a refusal report information when the transcript records one: a deliberate test of the server. */
  private readonly emit = (code: string, severity: Problem['severity'], range: Range, message: string): void => {
    const reply = this.command!.reply;
    const expected = severity !== 'hint' && REFUSAL_RULES.has(code) && rejectionRecorded(reply);
    const note = expected ? ` The transcript expects the refusal (${reply!.code}), so this tests the server.` : '';
    this.problems.push({ code, severity: expected ? 'information' : severity, range, message: message + note });
  };

  private replyStep(step: Reply): void {
    this.afterReply = true;
    applyReply(this.state, step);
    checkEnhancedClass(step, this.problems);
    const unexpected = checkReplyCode(step);
    if (unexpected) this.problems.push(unexpected);
    // The lines are built only for a reply that holds a reference: most hold none.
    if (!step.hasReferences()) return;
    for (const line of step.lines) {
      const variables = line.variables;
      if (variables.length > 0) checkReferences(variables, this.scope(step.line), false, this.problems, this.external);
    }
  }
}

/**
 * LMTP, or PRDR on MAIL: the end of the data gets one reply per accepted
 * recipient, in RCPT order (RFC 2033 §4.2; draft-hall-prdr §4, after a 353).
 * A script may record none; recording some but not all leaves recipients
 * without their reply (replies pair from the last recipient back, as any
 * run of replies does).
 */
function checkDeliveries(deliveries: readonly Delivery[], lmtp: boolean, range: Range, problems: Problem[]): void {
  const written = deliveries.filter((delivery) => delivery.reply).length;
  if (written === 0 || written === deliveries.length) return;
  const missing = deliveries.filter((delivery) => !delivery.reply).map((delivery) => delivery.recipient.path?.address?.text ?? `line ${delivery.recipient.line + 1}`);
  const rule = lmtp ? 'LMTP answers the end of the data once per accepted recipient, in RCPT order (RFC 2033 §4.2)' : 'With PRDR, the server answers the end of the data with 353, then once per accepted recipient in RCPT order, then once for the message (draft-hall-prdr §4)';
  problems.push({
    code: lmtp ? 'lmtp-replies' : 'prdr-replies', severity: 'warning', range,
    message: `${rule}: ${deliveries.length} recipients were accepted but ${written} ${written === 1 ? 'reply follows' : 'replies follow'}. Add the reply for ${missing.join(', ')} first.`,
  });
}

// The rules whose finding a server answers with a refusal; see SessionAnalysis.emit.
const REFUSAL_RULES = new Set(['bad-sequence', 'no-recipients', 'unknown-command', 'syntax', 'not-advertised', 'obsolete-command']);

/** A pipelined group (RFC 2920) needs PIPELINING in the EHLO reply; reported on the group's first command. */
function checkPipelining(command: CommandStep, state: DialogueState, emit: (code: string, severity: Problem['severity'], range: Range, message: string) => void): void {
  const group = command.group;
  if (!group?.pipelined || group.steps[0] !== command || !state.advertised || state.advertised.has('PIPELINING')) return;
  emit('not-advertised', 'warning', command.verb.range, `These ${group.steps.length} commands are written as one pipelined group (their replies follow them all), but the EHLO reply does not advertise PIPELINING (RFC 2920 §3). Put each reply after its command.`);
}

/** The facts of the last settings read: the sessions of a file mostly share theirs, and a session should not cost regular expressions. */
let lastFacts: { server: string; tls: string; allowPlaintextAuth: string; facts: ConnectionFacts } | null = null;

function connectionFacts(variables: ReadonlyMap<string, VariableDefinition>): ConnectionFacts {
  const server = variables.get('server')?.value.text ?? '';
  const tls = variables.get('tls')?.value.text ?? 'none';
  const allowPlaintextAuth = variables.get('allow-plaintext-auth')?.value.text ?? '';
  if (lastFacts && lastFacts.server === server && lastFacts.tls === tls && lastFacts.allowPlaintextAuth === allowPlaintextAuth) return lastFacts.facts;
  const facts = readConnectionFacts(server, tls.toLowerCase(), allowPlaintextAuth.toLowerCase() === 'true');
  lastFacts = { server, tls, allowPlaintextAuth, facts };
  return facts;
}

function readConnectionFacts(server: string, tls: string, allowPlaintextAuth: boolean): ConnectionFacts {
  // A Unix socket (LMTP to a local delivery agent, a local MTA) has no port and never leaves the machine.
  if (/^unix:/i.test(server)) return { port: null, implicitTls: false, host: null, loopback: false, allowPlaintextAuth: false };
  const portMatch = /:(\d+)$/.exec(server);
  const port = portMatch ? Number(portMatch[1]) : server === '' ? null : tls === 'implicit' ? 465 : 25;
  // `host:port`, `[v6]:port`, a bare IPv6 address or a host; a {{reference}} is only known when the session runs.
  const host = server === '' || server.includes('{{') ? null : server.startsWith('[') ? server.slice(0, server.indexOf(']') + 1) : (server.match(/:/g)?.length ?? 0) > 1 ? server : server.replace(/:\d+$/, '');
  return { port, implicitTls: tls === 'implicit' || port === 465, host, loopback: host !== null && isLoopbackHost(host), allowPlaintextAuth };
}

/** The transcript records the refusal the rule predicts: a negative test, not a mistake. */
function rejectionRecorded(reply: Reply | null): boolean {
  const digit = replyClass(reply);
  return digit === '4' || digit === '5';
}

function checkLineLengths(command: CommandStep, problems: Problem[], sent = command.text): void {
  const auth = command.verbName === 'AUTH';
  checkLength(sent, auth ? AUTH_LINE_LIMIT : COMMAND_LINE_LIMIT, 'This command line', auth ? 'RFC 4954 §4' : 'RFC 5321 §4.5.3.1.4', problems);
  const body = command.body;
  if (!body) return;
  const data = body.kind === 'data';
  // Each line's length and first characters are read from the line table; a line is built only when it may be reported.
  for (let k = 0; k < body.lineCount; k++) {
    if (body.sentLength(k) * 3 + 2 > TEXT_LINE_LIMIT) checkLength(body.line(k).text, TEXT_LINE_LIMIT, 'This body line', 'RFC 5321 §4.5.3.1.6', problems);
    // Body lines are wire form: a single leading dot is removed by the server (RFC 5321 §4.5.2).
    if (data && body.sentCharCode(k, 0) === 46 && body.sentCharCode(k, 1) !== 46) {
      const sent = body.line(k).text;
      const text = sent.text;
      problems.push({
        code: 'dot-stuffing', severity: 'warning', range: sent.range,
        message: `The server removes the first "." of a body line (RFC 5321 §4.5.2), so this arrives as "${text.slice(1, 41)}". Write ".${text.slice(0, 40)}" to send it as written.`,
      });
    }
  }
}

/**
 * A line of `sent` and its CRLF over `limit` octets. No UTF-16 code unit
 * takes more than 3 octets in UTF-8, so a line that short cannot be over and
 * is not counted; the range is built only for a line that is.
 */
function checkLength(sent: Token, limit: number, what: string, source: string, problems: Problem[]): void {
  const text = sent.text;
  if (text.length * 3 + 2 <= limit) return;
  const octets = utf8Length(text) + 2;
  if (octets <= limit) return;
  problems.push({
    code: 'line-too-long', severity: 'error', range: sent.range,
    message: `${what} is ${octets} octets with its CRLF; the limit is ${limit} (${source}). Servers may refuse it with 500 5.5.2; shorten it${what === 'This body line' ? ' or fold long header lines' : ''}.`,
  });
}

function checkEnhancedClass(reply: Reply, problems: Problem[]): void {
  // The reply's enhanced code is the first any of its lines has: null, no line has one.
  if (reply.enhanced === null) return;
  // A reply of one line has that line's code and enhanced code: compared without building the line.
  if (reply.lineCount === 1 && (reply.code === null || !isClassDigit(reply.code.charCodeAt(0)) || reply.enhanced.charCodeAt(0) === reply.code.charCodeAt(0))) return;
  for (const line of reply.lines) {
    const enhanced = line.enhanced;
    const code = line.code?.text;
    if (!enhanced || !code || !isClassDigit(code.charCodeAt(0))) continue;
    if (enhanced.text[0] === code[0]) continue;
    problems.push({
      code: 'enhanced-status-mismatch', severity: 'warning', range: enhanced.range,
      message: `Enhanced status code ${enhanced.text} has class ${enhanced.text[0]} but the reply code ${code} has class ${code[0]}: they must agree (RFC 3463 §2, RFC 2034 §4). Use ${code[0]}${enhanced.text.slice(1)}.`,
    });
  }
}

/** 2, 4 or 5: the classes an enhanced status code can have (RFC 3463 §2). */
function isClassDigit(code: number): boolean {
  return code === 0x32 || code === 0x34 || code === 0x35;
}
