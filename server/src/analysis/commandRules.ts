import { findCommand, nearestCommand, type SmtpCommand } from '../protocol/commands';
import { ehloSizeLimit, findSaslMechanism } from '../protocol/ehloKeywords';
import { findParameter, validateParameterValue } from '../protocol/parameters';
import { formatRfc } from '../protocol/rfc';
import type { CommandStep, EsmtpParameter, Problem, Range } from '../transcript/ast';
import { excerpt, isSpace } from '../transcript/lines';
import { equalsUpperCase, hasSmtpUtf8, type DialogueState } from './dialogueState';
import { checkHeloArgument, checkPath } from './mailboxSyntax';

/** Facts about the connection that rules need beyond the dialogue. */
export interface ConnectionFacts {
  port: number | null;
  implicitTls: boolean;
  /** The `@server` host; null when the session names none (the local capture server) or names it through a variable. */
  host: string | null;
  /** `host` stays on this machine (isLoopbackHost). */
  loopback: boolean;
  /** `@allow-plaintext-auth = true`: the file lets the run send readable credentials unencrypted. */
  allowPlaintextAuth: boolean;
}

// Submission ports where RFC 8314 §3.3 and RFC 6409 expect credentials only over TLS.
const SUBMISSION_PORTS = new Set([587]);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

type Emit = (code: string, severity: Problem['severity'], range: Range, message: string) => void;

/** Checks one command on its own and against what the server advertised. */
export function checkCommand(command: CommandStep, state: DialogueState, connection: ConnectionFacts, emit: Emit): void {
  const spec = findCommand(command.verbName);
  if (!spec) return unknownCommand(command, emit);
  if (spec.obsolete) obsoleteCommand(command, spec, emit);
  checkArguments(command, spec, state, emit);
  checkAdvertised(command, spec, state, emit);
  if (command.verbName === 'AUTH') checkAuthOverClearText(command, state, connection, emit);
}

function unknownCommand(command: CommandStep, emit: Emit): void {
  if (command.verb.text === '') {
    emit('unknown-command', 'error', command.range, 'An empty command line: servers answer 500 5.5.2. Write a command after "C:", or remove the line.');
    return;
  }
  const nearest = nearestCommand(command.verbName);
  const hint = nearest ? ` Did you mean ${nearest}?` : ' Known commands are listed by completion and `smtp-session explain`.';
  emit('unknown-command', 'error', command.verb.range, `"${excerpt(command.verb.text)}" is not an SMTP command: servers answer 500 5.5.1 (RFC 5321 §4.2.4).${hint}`);
}

function obsoleteCommand(command: CommandStep, spec: SmtpCommand, emit: Emit): void {
  const retired = spec.retiredBy ? ` (retired by ${formatRfc(spec.retiredBy)})` : '';
  const why = spec.verb === 'TURN'
    ? ' It is also insecure: without strong authentication anyone could collect another site\'s mail (RFC 5321 Appendix F.1). Use ETRN or ATRN.'
    : ' Few servers still accept it; use MAIL.';
  emit('obsolete-command', 'warning', command.verb.range, `${spec.verb} is obsolete${retired}.${why}`);
}

function syntax(emit: Emit, range: Range, message: string): void {
  emit('syntax', 'error', range, message);
}

function checkArguments(command: CommandStep, spec: SmtpCommand, state: DialogueState, emit: Emit): void {
  const verb = spec.verb;
  if (spec.arguments === 'none') {
    const argument = command.argument;
    if (argument) return syntax(emit, argument.range, `${verb} takes no argument: servers answer 501 5.5.4 (${formatRfc(spec.ref)}). Remove "${excerpt(argument.text)}".`);
  }
  // A MAIL or RCPT with a path has an argument: the path is read anyway, the argument only when there is none.
  const path = verb === 'MAIL' || verb === 'RCPT' ? command.path : null;
  if (spec.arguments === 'required' && !path && !command.argument) return syntax(emit, command.verb.range, `${verb} needs an argument: ${spec.syntax} (${formatRfc(spec.ref)}).`);
  switch (verb) {
    case 'EHLO':
    case 'HELO': {
      const [domain, extra] = command.words;
      // What a variable holds is only known when the session runs.
      if (!domain || domain.text.includes('{{')) return;
      const problem = checkHeloArgument(domain.text);
      if (problem) return syntax(emit, domain.range, `${verb} takes the client's domain or address literal, but ${problem} (RFC 5321 §4.1.1.1).`);
      if (extra) syntax(emit, extra.range, `${verb} takes only the client's domain; remove what follows it (RFC 5321 §4.1.1.1).`);
      return;
    }
    case 'MAIL':
    case 'RCPT':
      return checkPathArgument(command, verb, state.transaction?.smtpUtf8 ?? false, emit);
    case 'AUTH': {
      const [mechanism, initial] = command.words;
      if (!mechanism) return;
      // An initial response is base64, or "=" for an empty one (RFC 4954 §4); {{…}} is substituted before sending.
      if (initial && initial.text !== '=' && !initial.text.includes('{{') && !BASE64.test(initial.text)) {
        syntax(emit, initial.range, 'The initial response must be base64, or "=" for an empty one (RFC 4954 §4). Use {{$authPlain USER PASS}} or {{$base64 TEXT}}.');
      }
      return;
    }
    case 'BDAT': {
      const [size, last, extra] = command.words;
      if (!size) return;
      if (!/^\d+$/.test(size.text)) return syntax(emit, size.range, `BDAT needs the chunk size in octets as a number, not "${excerpt(size.text)}" (RFC 3030 §2).`);
      if (last && last.text.toUpperCase() !== 'LAST') syntax(emit, last.range, `After the size BDAT accepts only LAST, not "${excerpt(last.text)}" (RFC 3030 §2).`);
      if (extra) syntax(emit, extra.range, 'BDAT takes a size and an optional LAST only (RFC 3030 §2).');
      return;
    }
  }
}


/** `transactionUtf8`: the MAIL of the open transaction asked for SMTPUTF8, so RCPT addresses may be UTF-8 (RFC 6531 §3.4). */
function checkPathArgument(command: CommandStep, verb: 'MAIL' | 'RCPT', transactionUtf8: boolean, emit: Emit): void {
  const keyword = verb === 'MAIL' ? 'FROM:' : 'TO:';
  const section = verb === 'MAIL' ? 'RFC 5321 §4.1.1.2' : 'RFC 5321 §4.1.1.3';
  const path = command.path;
  if (!path || !equalsUpperCase(path.keyword.text, keyword)) {
    const where = path?.keyword.range ?? command.argument?.range ?? command.verb.range;
    return syntax(emit, where, `${verb} must be followed by "${keyword}<address>": servers answer 501 5.5.4 (${section}).`);
  }
  if (!path.address) return syntax(emit, path.keyword.range, `No address after ${keyword}: write ${keyword}<${verb === 'MAIL' ? 'sender' : 'recipient'}@example.com> (${section}).`);
  const address = path.address.text;
  // "FROM::<a@b>": the keyword took one colon, the address starts with the other. One mistake, one diagnostic.
  if (address.startsWith(':')) return syntax(emit, path.address.range, `One ":" too many after "${keyword}" (${section}); servers answer 501. Write ${keyword}${excerpt(address.replace(/^[:\s]+/, ''))}.`);
  // The address starts right after the keyword unless spaces come between (transcript/commandLine.ts skips them); the argument starts at the keyword.
  const spaced = isSpace(command.argument!.text.charCodeAt(path.keyword.text.length));
  const unbracketed = !address.includes('{{') && !(address.length >= 2 && address.startsWith('<') && address.endsWith('>'));
  if (spaced) {
    // The fix offered must be a valid line, so it adds the brackets too when they are missing.
    const fixed = unbracketed ? `<${address.replace(/^<|>$/g, '')}>` : address;
    const brackets = unbracketed ? ', and the address needs angle brackets' : '';
    syntax(emit, path.address.range, `No space is allowed after "${keyword}"${brackets} (RFC 5321 §3.3, §4.1.2); many servers answer 501. Write ${keyword}${excerpt(fixed)}.`);
  }
  const utf8 = verb === 'MAIL' ? hasSmtpUtf8(command) : transactionUtf8;
  const problem = spaced && unbracketed ? null : checkPath(address, { nullAllowed: verb === 'MAIL', postmasterAllowed: verb === 'RCPT', utf8 });
  if (problem && !address.includes('{{')) syntax(emit, path.address.range, `Invalid address: ${problem} (RFC 5321 §4.1.2).`);
  for (const parameter of command.parameters) checkParameterSyntax(verb, parameter, emit);
}

function checkParameterSyntax(verb: 'MAIL' | 'RCPT', parameter: EsmtpParameter, emit: Emit): void {
  const name = parameter.name.text;
  if (!isEsmtpKeyword(name)) return syntax(emit, parameter.range, `"${excerpt(parameter.name.text)}" is not an ESMTP parameter: parameters are KEYWORD or KEYWORD=value, separated by single spaces (RFC 5321 §4.1.2).`);
  const value = parameter.value;
  if (value && value.text.includes('{{')) return;
  if (value && value.text !== '' && !isEsmtpValue(value.text)) return syntax(emit, value.range, `The value of ${name} has characters an esmtp-value cannot hold ("=", spaces or control characters) (RFC 5321 §4.1.2).`);
  const spec = findParameter(verb, name);
  if (!spec) return;
  const problem = validateParameterValue(spec, value ? value.text : null);
  if (problem) syntax(emit, value?.range ?? parameter.range, `${problem} (${formatRfc(spec.ref)}); servers answer 501 or 555.`);
}

function checkAdvertised(command: CommandStep, spec: SmtpCommand, state: DialogueState, emit: Emit): void {
  if (!state.greeted) return;
  if (!state.extended) {
    if (spec.ehloKeyword && !spec.obsolete) emit('not-advertised', 'warning', command.verb.range, `${spec.verb} is an extension, but the session was opened with HELO, which offers none (RFC 5321 §4.1.1.1). Greet with EHLO.`);
    return;
  }
  const advertised = state.advertised;
  if (!advertised) return;
  if (spec.ehloKeyword && !spec.obsolete && !advertised.has(spec.ehloKeyword)) missing(emit, spec.verb, spec.ehloKeyword, command.verb.range);
  if (spec.verb === 'AUTH') {
    const mechanism = command.words[0];
    const offered = advertised.get('AUTH');
    if (mechanism && offered && !offered.some((name) => name.toUpperCase() === mechanism.text.toUpperCase())) {
      emit('not-advertised', 'warning', mechanism.range, `The server offers AUTH ${offered.join(' ')}, not ${mechanism.text}: it will answer 504 5.5.4 (RFC 4954 §4).`);
    }
  }
  if (spec.verb !== 'MAIL' && spec.verb !== 'RCPT') return;
  for (const parameter of command.parameters) {
    const written = parameter.name.text;
    // A word that is no parameter at all (a stray "<c@example.com>") already has its syntax error; it names no extension.
    if (!isEsmtpKeyword(written)) continue;
    const name = written.toUpperCase();
    if (name === 'BODY') {
      // BODY=8BITMIME needs 8BITMIME and BODY=BINARYMIME needs BINARYMIME; 7BIT needs nothing.
      const value = parameter.value?.text.toUpperCase() ?? '8BITMIME';
      if (value !== '7BIT' && !advertised.has(value)) missing(emit, `The ${name} parameter`, value, parameter.range);
    } else {
      const keywords = findParameter(spec.verb, name)?.ehloKeywords ?? null;
      if (keywords === null ? !advertised.has(name) : keywords.length > 0 && !advertisesAny(advertised, keywords)) missing(emit, `The ${name} parameter`, keywords === null ? name : keywords.join(' or '), parameter.range);
    }
    if (name === 'SIZE' && parameter.value && isDigits(parameter.value.text)) {
      const limit = ehloSizeLimit(advertised);
      if (limit !== null && Number(parameter.value.text) > limit) {
        emit('not-advertised', 'warning', parameter.value.range, `SIZE=${parameter.value.text} is over the ${limit} octets the server advertised: it will answer 552 5.3.4 (RFC 1870 §6).`);
      }
    }
  }
}

function missing(emit: Emit, what: string, keyword: string, range: Range): void {
  emit('not-advertised', 'warning', range, `${what} needs the ${keyword} extension, which the recorded EHLO reply does not advertise: servers answer 502 or 555 5.5.4. Check the server's EHLO reply.`);
}

function advertisesAny(advertised: ReadonlyMap<string, unknown>, keywords: readonly string[]): boolean {
  for (const keyword of keywords) if (advertised.has(keyword)) return true;
  return false;
}

/** esmtp-keyword (RFC 5321 §4.1.2): a letter or digit, then letters, digits and hyphens. */
export function isEsmtpKeyword(text: string): boolean {
  if (text.length === 0 || !isLetterOrDigit(text.charCodeAt(0))) return false;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 45 /* - */ && !isLetterOrDigit(code)) return false;
  }
  return true;
}

/** esmtp-value of RFC 5321 §4.1.2: printable ASCII except "=" and space; RFC 6531 allows UTF-8 (any non-ASCII code unit). */
export function isEsmtpValue(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || code === 0x3d || code === 0x7f) return false;
  }
  return true;
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function checkAuthOverClearText(command: CommandStep, state: DialogueState, connection: ConnectionFacts, emit: Emit): void {
  if (state.tls || connection.implicitTls) return;
  const mechanism = command.words[0];
  if (!mechanism) return;
  // As the run judges it (engine/credentials.ts): a mechanism from a variable, or one not known, counts as readable.
  const substituted = mechanism.text.includes('{{');
  const clear = substituted || (findSaslMechanism(mechanism.text)?.sendsSecretInClear ?? true);
  const initialResponse = command.words.length > 1;
  if (!clear && !initialResponse) return;
  const starttlsOffered = state.advertised?.has('STARTTLS') ?? false;
  const submission = connection.port !== null && SUBMISSION_PORTS.has(connection.port);
  if (starttlsOffered || submission) {
    const why = starttlsOffered ? 'the server offers STARTTLS' : `port ${connection.port} is a submission port`;
    emit('auth-before-tls', 'warning', mechanism.range, `AUTH ${substituted ? mechanism.text : mechanism.text.toUpperCase()} sends the credentials readable by anyone on the path, and ${why}: send "C: STARTTLS" and a new EHLO first (RFC 8314 §3.3, RFC 3207).`);
    return;
  }
  // The rule the run enforces (RFC 4954 §4, RFC 8314 §4.1): a readable secret never goes unencrypted to another host unless the file says so.
  if (!clear || connection.allowPlaintextAuth || connection.host === null || connection.loopback) return;
  const what = substituted
    ? `AUTH ${mechanism.text} takes its mechanism from a variable, so a run treats it as one that sends the credentials readable`
    : `AUTH ${mechanism.text.toUpperCase()} sends the credentials readable by anyone on the path`;
  emit('auth-before-tls', 'warning', mechanism.range, `${what}, and ${connection.host} offers no STARTTLS here, so a run refuses to send it (RFC 8314 §4.1 deprecates cleartext authentication). Use "@tls = implicit" if the server listens for TLS (port 465), or add "@allow-plaintext-auth = true" if you mean to send it anyway.`);
}
