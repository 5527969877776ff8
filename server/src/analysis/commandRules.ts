import { findCommand, nearestCommand, type SmtpCommand } from '../protocol/commands';
import { ehloSizeLimit, findSaslMechanism } from '../protocol/ehloKeywords';
import { findParameterAt, validateParameterValue } from '../protocol/parameters';
import { formatRfc } from '../protocol/rfc';
import type { CommandStep, Problem, Range } from '../transcript/ast';
import { argumentStart } from '../transcript/commandLine';
import { excerpt, indexOfSpace, skipSpaces } from '../transcript/lines';
import type { DialogueState } from './dialogueState';
import { asksSmtpUtf8, emptyParameterSpan, emptyPathLayout, equalsUpperCaseAt, hasValue, namesSmtpUtf8, nextParameter, parametersStart, readPathArgument } from './pathArgument';
import { checkHeloArgument, checkPath, hasNonAscii } from './mailboxSyntax';

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

// Where the parts of the MAIL or RCPT being checked lie in its sent text (pathArgument.ts): the rules check one line at a time.
const PATH = emptyPathLayout();
const PARAMETER = emptyParameterSpan();

/** Checks one command on its own and against what the server advertised. */
export function checkCommand(command: CommandStep, state: DialogueState, connection: ConnectionFacts, emit: Emit, text = command.text.text): void {
  const spec = findCommand(command.verbName);
  if (!spec) return unknownCommand(command, emit);
  if (spec.obsolete) obsoleteCommand(command, spec, emit);
  const path = spec.verb === 'MAIL' || spec.verb === 'RCPT' ? readPathArgument(text, PATH) : false;
  checkArguments(command, text, path, spec, state, emit);
  checkAdvertised(command, text, path, spec, state, emit);
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

/** `path`: a MAIL or RCPT whose argument starts with a `KEYWORD:`, read into PATH. */
function checkArguments(command: CommandStep, text: string, path: boolean, spec: SmtpCommand, state: DialogueState, emit: Emit): void {
  const verb = spec.verb;
  const from = argumentStart(text);
  if (spec.arguments === 'none' && from < text.length) {
    const argument = command.argument!;
    return syntax(emit, argument.range, `${verb} takes no argument: servers answer 501 5.5.4 (${formatRfc(spec.ref)}). Remove "${excerpt(argument.text)}".`);
  }
  if (spec.arguments === 'required' && from >= text.length) return syntax(emit, command.verb.range, `${verb} needs an argument: ${spec.syntax} (${formatRfc(spec.ref)}).`);
  switch (verb) {
    case 'EHLO':
    case 'HELO': {
      if (from >= text.length) return;
      const end = indexOfSpace(text, from);
      const domain = text.slice(from, end);
      // What a variable holds is only known when the session runs.
      if (domain.includes('{{')) return;
      const problem = checkHeloArgument(domain);
      if (problem) return syntax(emit, command.words[0].range, `${verb} takes the client's domain or address literal, but ${problem} (RFC 5321 §4.1.1.1).`);
      if (skipSpaces(text, end) < text.length) syntax(emit, command.words[1].range, `${verb} takes only the client's domain; remove what follows it (RFC 5321 §4.1.1.1).`);
      return;
    }
    case 'MAIL':
    case 'RCPT':
      return checkPathArgument(command, text, path, verb, state.transaction?.mail ?? null, emit);
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

/**
 * `path`: PATH holds where its parts lie. `mail`: the MAIL of the open
 * transaction, whose SMTPUTF8 lets a RCPT address be UTF-8 (RFC 6531 §3.4).
 * The tree's tokens are read only for a message.
 */
function checkPathArgument(command: CommandStep, text: string, path: boolean, verb: 'MAIL' | 'RCPT', mail: CommandStep | null, emit: Emit): void {
  const keyword = verb === 'MAIL' ? 'FROM:' : 'TO:';
  const section = verb === 'MAIL' ? 'RFC 5321 §4.1.1.2' : 'RFC 5321 §4.1.1.3';
  if (!path || !equalsUpperCaseAt(text, PATH.keywordStart, PATH.keywordEnd, keyword)) {
    const where = command.path?.keyword.range ?? command.argument?.range ?? command.verb.range;
    return syntax(emit, where, `${verb} must be followed by "${keyword}<address>": servers answer 501 5.5.4 (${section}).`);
  }
  if (PATH.addressStart >= text.length) return syntax(emit, command.path!.keyword.range, `No address after ${keyword}: write ${keyword}<${verb === 'MAIL' ? 'sender' : 'recipient'}@example.com> (${section}).`);
  const address = text.slice(PATH.addressStart, PATH.addressEnd);
  // "FROM::<a@b>": the keyword took one colon, the address starts with the other. One mistake, one diagnostic.
  if (address.startsWith(':')) return syntax(emit, command.path!.address!.range, `One ":" too many after "${keyword}" (${section}); servers answer 501. Write ${keyword}${excerpt(address.replace(/^[:\s]+/, ''))}.`);
  const spaced = PATH.addressStart !== PATH.keywordEnd;
  const unbracketed = !address.includes('{{') && !(address.length >= 2 && address.startsWith('<') && address.endsWith('>'));
  if (spaced) {
    // The fix offered must be a valid line, so it adds the brackets too when they are missing.
    const fixed = unbracketed ? `<${address.replace(/^<|>$/g, '')}>` : address;
    const brackets = unbracketed ? ', and the address needs angle brackets' : '';
    syntax(emit, command.path!.address!.range, `No space is allowed after "${keyword}"${brackets} (RFC 5321 §3.3, §4.1.2); many servers answer 501. Write ${keyword}${excerpt(fixed)}.`);
  }
  // SMTPUTF8 only changes how non-ASCII characters are judged: the parameters are searched for it only for an address that has one.
  const utf8 = hasNonAscii(address) && (verb === 'MAIL' ? namesSmtpUtf8(text, PATH, PARAMETER) : mail !== null && asksSmtpUtf8(mail.text.text));
  const problem = spaced && unbracketed ? null : checkPath(address, { nullAllowed: verb === 'MAIL', postmasterAllowed: verb === 'RCPT', utf8 });
  if (problem && !address.includes('{{')) syntax(emit, command.path!.address!.range, `Invalid address: ${problem} (RFC 5321 §4.1.2).`);
  let index = 0;
  for (let from = PATH.addressEnd; nextParameter(text, from, PARAMETER); from = PARAMETER.end) checkParameterSyntax(command, index++, text, verb, emit);
}

/** The parameter in PARAMETER, the `index`th of the command's. */
function checkParameterSyntax(command: CommandStep, index: number, text: string, verb: 'MAIL' | 'RCPT', emit: Emit): void {
  const { start, nameEnd, end } = PARAMETER;
  if (!isEsmtpKeyword(text, start, nameEnd)) return syntax(emit, command.parameters[index].range, `"${excerpt(text.slice(start, nameEnd))}" is not an ESMTP parameter: parameters are KEYWORD or KEYWORD=value, separated by single spaces (RFC 5321 §4.1.2).`);
  const valued = hasValue(PARAMETER);
  if (valued && includesAt(text, '{{', nameEnd + 1, end)) return;
  if (valued && end > nameEnd + 1 && !isEsmtpValue(text, nameEnd + 1, end)) return syntax(emit, command.parameters[index].value!.range, `The value of ${text.slice(start, nameEnd)} has characters an esmtp-value cannot hold ("=", spaces or control characters) (RFC 5321 §4.1.2).`);
  const spec = findParameterAt(verb, text, start, nameEnd);
  if (!spec) return;
  const problem = validateParameterValue(spec, valued ? text.slice(nameEnd + 1, end) : null);
  if (problem) syntax(emit, command.parameters[index].value?.range ?? command.parameters[index].range, `${problem} (${formatRfc(spec.ref)}); servers answer 501 or 555.`);
}

/** `part` lies wholly in text[start, end). */
function includesAt(text: string, part: string, start: number, end: number): boolean {
  const at = text.indexOf(part, start);
  return at !== -1 && at + part.length <= end;
}

function checkAdvertised(command: CommandStep, text: string, path: boolean, spec: SmtpCommand, state: DialogueState, emit: Emit): void {
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
  if ((spec.verb !== 'MAIL' && spec.verb !== 'RCPT') || !path) return;
  let index = 0;
  for (let from = parametersStart(text, PATH); nextParameter(text, from, PARAMETER); from = PARAMETER.end, index++) {
    const { start, nameEnd, end } = PARAMETER;
    // A word that is no parameter at all (a stray "<c@example.com>") already has its syntax error; it names no extension.
    if (!isEsmtpKeyword(text, start, nameEnd)) continue;
    const valued = hasValue(PARAMETER);
    if (equalsUpperCaseAt(text, start, nameEnd, 'BODY')) {
      // BODY=8BITMIME needs 8BITMIME and BODY=BINARYMIME needs BINARYMIME; 7BIT needs nothing.
      const value = valued ? text.slice(nameEnd + 1, end).toUpperCase() : '8BITMIME';
      if (value !== '7BIT' && !advertised.has(value)) missing(emit, 'The BODY parameter', value, command.parameters[index].range);
      continue;
    }
    const parameterSpec = findParameterAt(spec.verb, text, start, nameEnd);
    if (parameterSpec === null) {
      const name = text.slice(start, nameEnd).toUpperCase();
      if (!advertised.has(name)) missing(emit, `The ${name} parameter`, name, command.parameters[index].range);
      continue;
    }
    const keywords = parameterSpec.ehloKeywords;
    if (keywords.length > 0 && !advertisesAny(advertised, keywords)) missing(emit, `The ${parameterSpec.name} parameter`, keywords.join(' or '), command.parameters[index].range);
    if (parameterSpec.name === 'SIZE' && valued && isDigits(text, nameEnd + 1, end)) {
      const limit = ehloSizeLimit(advertised);
      const size = text.slice(nameEnd + 1, end);
      if (limit !== null && Number(size) > limit) {
        emit('not-advertised', 'warning', command.parameters[index].value!.range, `SIZE=${size} is over the ${limit} octets the server advertised: it will answer 552 5.3.4 (RFC 1870 §6).`);
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

/** esmtp-keyword (RFC 5321 §4.1.2), text[start, end): a letter or digit, then letters, digits and hyphens. */
export function isEsmtpKeyword(text: string, start = 0, end = text.length): boolean {
  if (end <= start || !isLetterOrDigit(text.charCodeAt(start))) return false;
  for (let i = start + 1; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 45 /* - */ && !isLetterOrDigit(code)) return false;
  }
  return true;
}

/** esmtp-value of RFC 5321 §4.1.2, text[start, end): printable ASCII except "=" and space; RFC 6531 allows UTF-8 (any non-ASCII code unit). */
export function isEsmtpValue(text: string, start = 0, end = text.length): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x21 || code === 0x3d || code === 0x7f) return false;
  }
  return true;
}

function isLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isDigits(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) {
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
