import type { CommandStep, Delivery, Problem, Range, Reply, Session, Token, TranscriptFile, VariableDefinition } from '../transcript/ast';
import { utf8Length } from '../transcript/lines';
import { checkCommand, type ConnectionFacts } from './commandRules';
import { applyCommand, applyReply, applySaslResponse, initialState, replyClass, type DialogueState } from './dialogueState';
import { checkReplyCode } from './replyRules';
import { checkSequence } from './sequenceRules';
import type { AnalysisOptions } from './analysisOptions';
import { checkFileReference } from './fileRules';
import { checkReferences } from './variableRules';
import { visibleVariables } from './variableScope';

// RFC 5321 §4.5.3.1.4 and §4.5.3.1.6 (CRLF included); RFC 4954 §4 raises the limit for AUTH lines.
const COMMAND_LINE_LIMIT = 512;
const AUTH_LINE_LIMIT = 12288;
const TEXT_LINE_LIMIT = 1000;
// RFC 5321 §4.5.3.1.8: servers must accept at least 100 recipients; more may be refused with 452.
const RECIPIENT_BUFFER_MINIMUM = 100;
const NO_NAMES: ReadonlySet<string> = new Set();

/** The problems the dialogue's order and lines show, beyond what the parser found. */
export function analyzeSession(file: TranscriptFile, session: Session, options: AnalysisOptions = {}): Problem[] {
  const external = options.externalVariables ?? NO_NAMES;
  const problems: Problem[] = [];
  const state = initialState();
  const connection = connectionFacts(visibleVariables(file, session, Number.MAX_SAFE_INTEGER));
  let ehloRefused = false;
  // $reply and $cramMd5 read the reply before them: only meaningful once one has come.
  let afterReply = false;
  for (const step of session.steps) {
    switch (step.kind) {
      case 'command': {
        // After a successful TURN the lines are the other side's dialogue: only what is true of any line still applies.
        if (state.turned) {
          checkLineLengths(step, problems);
          break;
        }
        // A step's references are scanned from its line on each read (transcript/sourceSteps.ts): read once.
        const scope = lazyScope(file, session, step.line);
        const variables = step.variables;
        if (variables.length > 0) checkReferences(variables, scope(), false, problems, external, afterReply);
        for (const line of step.body?.lines ?? []) {
          const lineVariables = line.variables;
          if (lineVariables.length === 0) continue;
          checkReferences(lineVariables, scope(), true, problems, external, afterReply);
          checkFileReference(lineVariables, scope(), options.fileLocation ?? null, problems);
        }
        // Rules that predict a refusal report information when the transcript records one: a deliberate test of the server.
        const emit = (code: string, severity: Problem['severity'], range: Range, message: string) => {
          const expected = severity !== 'hint' && REFUSAL_RULES.has(code) && rejectionRecorded(step.reply);
          const note = expected ? ` The transcript expects the refusal (${step.reply!.code}), so this tests the server.` : '';
          problems.push({ code, severity: expected ? 'information' : severity, range, message: message + note });
        };
        const violation = checkSequence(state, step);
        if (violation) {
          emit(violation.code, violation.code === 'no-recipients' ? 'warning' : 'error', step.verb.range,
            `${violation.rule} (${violation.rfc}): servers reply ${violation.serverReply}. To fix it, ${violation.fix}.`);
        }
        checkCommand(step, state, connection, emit);
        checkPipelining(step, state, emit);
        if (step.verbName === 'HELO' && !ehloRefused) {
          emit('helo-deprecated', 'hint', step.verb.range, 'HELO opens a session without extensions; EHLO also gets the list of what the server offers (PIPELINING, STARTTLS, AUTH, SIZE…) and every server must accept it (RFC 5321 §4.1.1.1).');
        }
        if (step.verbName === 'EHLO') ehloRefused = replyClass(step.reply) === '5';
        if (step.verbName === 'LHLO' && !state.lmtp && connection.port === 25) {
          problems.push({ code: 'lmtp-port', severity: 'warning', range: step.verb.range, message: 'LMTP must not run on port 25, the SMTP port (RFC 2033 §5): this LHLO goes to port 25. Point @server at the LMTP port (often 24) or the delivery agent\'s Unix socket (@server = unix:/path/to/socket).' });
        }
        const end = step.body?.terminator;
        if (end?.deliveries) checkDeliveries(end.deliveries, end.perRecipient === 'lmtp', end.range, problems);
        if (step.deliveries) checkDeliveries(step.deliveries, true, step.verb.range, problems);
        applyCommand(state, step);
        if (step.verbName === 'RCPT' && state.transaction?.recipients === RECIPIENT_BUFFER_MINIMUM + 1) {
          problems.push({
            code: 'too-many-recipients', severity: 'information', range: step.verb.range,
            message: `This is recipient ${RECIPIENT_BUFFER_MINIMUM + 1} of the transaction: servers only have to accept ${RECIPIENT_BUFFER_MINIMUM} (RFC 5321 §4.5.3.1.8) and may answer 452 4.5.3; send the rest in another transaction.`,
          });
        }
        checkLineLengths(step, problems);
        break;
      }
      case 'sasl': {
        const variables = step.variables;
        if (variables.length > 0) checkReferences(variables, visibleVariables(file, session, step.line), false, problems, external, afterReply);
        applySaslResponse(state, step);
        const text = step.text;
        checkLength(utf8Length(text.text) + 2, AUTH_LINE_LIMIT, 'A SASL response line', 'RFC 4954 §4', text, problems);
        break;
      }
      case 'reply': {
        afterReply = true;
        applyReply(state, step);
        checkEnhancedClass(step, problems);
        const unexpected = checkReplyCode(step);
        if (unexpected) problems.push(unexpected);
        const scope = lazyScope(file, session, step.line);
        for (const line of step.lines) {
          const variables = line.variables;
          if (variables.length > 0) checkReferences(variables, scope(), false, problems, external);
        }
        break;
      }
      case 'variable':
        if (step.variables.length > 0) checkReferences(step.variables, visibleVariables(file, session, step.line), false, problems, external, afterReply);
        break;
    }
  }
  return problems;
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

/** Variable scope is only worked out for the steps that use a variable: most lines use none. */
function lazyScope(file: TranscriptFile, session: Session, line: number): () => ReadonlyMap<string, VariableDefinition> {
  let scope: ReadonlyMap<string, VariableDefinition> | null = null;
  return () => (scope ??= visibleVariables(file, session, line));
}

// The rules whose finding a server answers with a refusal; see `emit` above.
const REFUSAL_RULES = new Set(['bad-sequence', 'no-recipients', 'unknown-command', 'syntax', 'not-advertised', 'obsolete-command']);

/** A pipelined group (RFC 2920) needs PIPELINING in the EHLO reply; reported on the group's first command. */
function checkPipelining(command: CommandStep, state: DialogueState, emit: (code: string, severity: Problem['severity'], range: Range, message: string) => void): void {
  const group = command.group;
  if (!group?.pipelined || group.steps[0] !== command || !state.advertised || state.advertised.has('PIPELINING')) return;
  emit('not-advertised', 'warning', command.verb.range, `These ${group.steps.length} commands are written as one pipelined group (their replies follow them all), but the EHLO reply does not advertise PIPELINING (RFC 2920 §3). Put each reply after its command.`);
}

function connectionFacts(variables: ReadonlyMap<string, VariableDefinition>): ConnectionFacts {
  const server = variables.get('server')?.value.text ?? '';
  const tls = variables.get('tls')?.value.text.toLowerCase() ?? 'none';
  // A Unix socket (LMTP to a local delivery agent, a local MTA) has no port and never leaves the machine.
  if (/^unix:/i.test(server)) return { port: null, implicitTls: false, host: null, allowPlaintextAuth: false };
  const portMatch = /:(\d+)$/.exec(server);
  const port = portMatch ? Number(portMatch[1]) : server === '' ? null : tls === 'implicit' ? 465 : 25;
  // `host:port`, `[v6]:port`, a bare IPv6 address or a host; a {{reference}} is only known when the session runs.
  const host = server === '' || server.includes('{{') ? null : server.startsWith('[') ? server.slice(0, server.indexOf(']') + 1) : (server.match(/:/g)?.length ?? 0) > 1 ? server : server.replace(/:\d+$/, '');
  const allowPlaintextAuth = variables.get('allow-plaintext-auth')?.value.text.toLowerCase() === 'true';
  return { port, implicitTls: tls === 'implicit' || port === 465, host, allowPlaintextAuth };
}

/** The transcript records the refusal the rule predicts: a negative test, not a mistake. */
function rejectionRecorded(reply: Reply | null): boolean {
  const digit = replyClass(reply);
  return digit === '4' || digit === '5';
}

function checkLineLengths(command: CommandStep, problems: Problem[]): void {
  const limit = command.verbName === 'AUTH' ? AUTH_LINE_LIMIT : COMMAND_LINE_LIMIT;
  const source = command.verbName === 'AUTH' ? 'RFC 4954 §4' : 'RFC 5321 §4.5.3.1.4';
  const text = command.text;
  checkLength(utf8Length(text.text) + 2, limit, 'This command line', source, text, problems);
  const body = command.body;
  if (!body) return;
  for (const line of body.lines) {
    const sent = line.text;
    checkLength(utf8Length(sent.text) + 2, TEXT_LINE_LIMIT, 'This body line', 'RFC 5321 §4.5.3.1.6', sent, problems);
    const text = sent.text;
    // Body lines are wire form: a single leading dot is removed by the server (RFC 5321 §4.5.2).
    if (body.kind === 'data' && text.charCodeAt(0) === 46 && text.charCodeAt(1) !== 46) {
      problems.push({
        code: 'dot-stuffing', severity: 'warning', range: sent.range,
        message: `The server removes the first "." of a body line (RFC 5321 §4.5.2), so this arrives as "${text.slice(1, 41)}". Write ".${text.slice(0, 40)}" to send it as written.`,
      });
    }
  }
}

/** `where` is the line's text: its range is built only for a line over the limit. */
function checkLength(octets: number, limit: number, what: string, source: string, where: Token, problems: Problem[]): void {
  if (octets <= limit) return;
  problems.push({
    code: 'line-too-long', severity: 'error', range: where.range,
    message: `${what} is ${octets} octets with its CRLF; the limit is ${limit} (${source}). Servers may refuse it with 500 5.5.2; shorten it${what === 'This body line' ? ' or fold long header lines' : ''}.`,
  });
}

function checkEnhancedClass(reply: Reply, problems: Problem[]): void {
  // The reply's enhanced code is the first any of its lines has: null, no line has one.
  if (reply.enhanced === null) return;
  for (const line of reply.lines) {
    const enhanced = line.enhanced;
    const code = line.code?.text;
    if (!enhanced || !code || !/^[245]$/.test(code[0])) continue;
    if (enhanced.text[0] === code[0]) continue;
    problems.push({
      code: 'enhanced-status-mismatch', severity: 'warning', range: enhanced.range,
      message: `Enhanced status code ${enhanced.text} has class ${enhanced.text[0]} but the reply code ${code} has class ${code[0]}: they must agree (RFC 3463 §2, RFC 2034 §4). Use ${code[0]}${enhanced.text.slice(1)}.`,
    });
  }
}
