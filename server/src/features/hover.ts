import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { nearestCommand } from '../protocol/commands';
import { findEhloKeyword } from '../protocol/ehloKeywords';
import { sessionAt, visibleVariables } from '../analysis/variableScope';
import type {
  BodyLine, CommandStep, EsmtpParameter, Range, Reply, SaslResponse, Session, Token,
  TranscriptFile, VariableDefinition, VariableReference,
} from '../transcript/ast';
import { excerpt, token } from '../transcript/lines';
import { isCapture } from '../transcript/captures';
import { SYSTEM_FUNCTIONS } from '../transcript/systemFunctions';
import { decodeBase64, decodeBase64Text } from './base64';
import {
  explainCommand, explainConnectionVariable, explainEhloKeyword, explainEnhancedStatusCode, explainParameter,
  explainReplyCode, explainSaslMechanism, explainSystemFunction, inlineCode,
} from './explain';

/** What a hover says and the token it is about. */
interface Explanation {
  markdown: string;
  range: Range;
  /** 0-based line of the capture (`@name = {{$reply /…/}}`) the token is or uses: the last run's value goes with it. */
  captureLine?: number;
}

/**
 * Explains the token under the cursor: a command verb, a reply code, an
 * enhanced status code, an EHLO keyword, a MAIL/RCPT parameter, a SASL
 * mechanism, a variable, or a base64 SASL line. Null when there is nothing
 * worth saying. Secrets are never shown: variables whose value uses a secret
 * system variable show `***`, and client SASL lines only their size.
 * `capturedValues` are the last run's values of capture lines, by their
 * 0-based line (already redacted): a capture's hover shows its value.
 */
export function getHover(file: TranscriptFile, position: Position, capturedValues?: ReadonlyMap<number, string>): Hover | null {
  // A cursor just after a word, as when hover is asked for from the keyboard, still means that word.
  const found = explainAt(file, position)
    ?? (position.character > 0 ? explainAt(file, { line: position.line, character: position.character - 1 }) : null);
  if (!found) return null;
  const value = found.captureLine === undefined ? undefined : capturedValues?.get(found.captureLine);
  const markdown = value === undefined ? found.markdown : `${found.markdown}\n\nThe last run captured ${inlineCode(excerpt(value, 200))}.`;
  return { contents: { kind: MarkupKind.Markdown, value: markdown }, range: found.range };
}

function explainAt(file: TranscriptFile, position: Position): Explanation | null {
  const line = position.line;
  const session = sessionAt(file, line);
  // Variables before the first `###` are not steps of any session when no dialogue came with them.
  const fileVariable = file.fileVariables.find((definition) => definition.line === line);
  if (fileVariable) return explainDefinition(file, session, fileVariable, position);
  if (!session) return null;
  for (const step of session.steps) {
    if (step.kind === 'command') {
      if (step.line === line) return explainCommandLine(file, session, step, position);
      const bodyLine = step.body?.lines.find((candidate) => candidate.line === line);
      if (bodyLine) return explainBodyLine(file, session, bodyLine, position);
    } else if (step.kind === 'reply') {
      const index = step.lines.findIndex((candidate) => candidate.line === line);
      if (index >= 0) return explainReplyLine(file, session, step, index, position);
    } else if (step.kind === 'sasl' && step.line === line) {
      return explainSaslResponseLine(file, session, step, position);
    } else if (step.kind === 'variable' && step.line === line) {
      return explainDefinition(file, session, step, position);
    }
  }
  return null;
}

function explainCommandLine(file: TranscriptFile, session: Session, command: CommandStep, position: Position): Explanation | null {
  const reference = innermostReference(command.variables, position);
  if (reference) return explainReference(file, session, command.line, reference);
  if (contains(command.verb.range, position)) return { markdown: explainCommand(command.verbName) ?? unknownVerb(command.verb.text), range: command.verb.range };
  for (const parameter of command.parameters) {
    const part = [parameter.name, parameter.value].find((candidate) => candidate && contains(candidate.range, position));
    if (part) return { markdown: describeParameter(command.verbName, parameter), range: part.range };
  }
  if (command.verbName === 'AUTH') {
    const [mechanism, initialResponse] = command.words;
    if (mechanism && contains(mechanism.range, position)) {
      return { markdown: explainSaslMechanism(mechanism.text) ?? unknownMechanism(mechanism.text), range: mechanism.range };
    }
    if (initialResponse && contains(initialResponse.range, position)) {
      return { markdown: describeClientResponse(initialResponse.text, true), range: initialResponse.range };
    }
  }
  return null;
}

function unknownVerb(verb: string): string {
  const suggestion = nearestCommand(verb);
  return `${inlineCode(excerpt(verb))} is not an SMTP command this tool knows; a server answers it with ${inlineCode('500')} (RFC 5321 §4.2.4).`
    + (suggestion ? ` Did you mean ${inlineCode(suggestion)}?` : '');
}

function describeParameter(verb: string, parameter: EsmtpParameter): string {
  const name = parameter.name.text;
  const explained = explainParameter(verb, name);
  if (explained) return explained;
  const otherVerb = verb === 'MAIL' ? 'RCPT' : 'MAIL';
  const elsewhere = explainParameter(otherVerb, name);
  const path = (command: string) => (command === 'MAIL' ? 'MAIL FROM' : 'RCPT TO');
  if (elsewhere) return `${inlineCode(name)} belongs on ${path(otherVerb)}, not ${path(verb)}.\n\n${elsewhere}`;
  return `${inlineCode(name)} is not a ${path(verb)} parameter this tool knows; a server that does not support it answers ${inlineCode('555')} (RFC 5321 §4.1.1.11).`;
}

function unknownMechanism(name: string): string {
  return `${inlineCode(name)} is not a SASL mechanism this tool knows.`;
}

function explainBodyLine(file: TranscriptFile, session: Session, line: BodyLine, position: Position): Explanation | null {
  const reference = innermostReference(line.variables, position);
  return reference ? explainReference(file, session, line.line, reference) : null;
}

function explainReplyLine(file: TranscriptFile, session: Session, reply: Reply, index: number, position: Position): Explanation | null {
  const line = reply.lines[index];
  const reference = innermostReference(line.variables, position);
  if (reference) return explainReference(file, session, line.line, reference);
  if (line.code && contains(line.code.range, position)) {
    const explained = explainReplyCode(line.code.text);
    if (!explained) return null;
    const context = describeReplyContext(reply);
    return { markdown: context ? `${explained}\n\n${context}` : explained, range: line.code.range };
  }
  if (line.enhanced && contains(line.enhanced.range, position)) {
    const explained = explainEnhancedStatusCode(line.enhanced.text);
    return explained ? { markdown: explained, range: line.enhanced.range } : null;
  }
  if (!contains(line.text.range, position)) return null;
  // The first line of an EHLO reply greets with the server's name; the keywords follow it.
  if (index > 0 && answersEhlo(reply)) return explainEhloLine(line.text, position);
  if (line.code?.text === '334') return { markdown: describeChallenge(line.text.text), range: line.text.range };
  return null;
}

function describeReplyContext(reply: Reply): string | null {
  if (reply.greeting) return 'This is the server\'s greeting, the first reply of the session.';
  const target = reply.answers;
  if (!target) return null;
  if (target.kind === 'sasl') return `Answers the SASL response on line ${target.line + 1}.`;
  if (target.deliveries) {
    const count = target.deliveries.length;
    if (reply.recipient) {
      const position = target.deliveries.findIndex((delivery) => delivery.recipient === reply.recipient) + 1;
      const address = reply.recipient.path?.address?.text ?? reply.recipient.text.text;
      const why = target.kind === 'command'
        ? 'LMTP answers the last chunk once per accepted recipient, in order (RFC 2033 §4.3)'
        : target.perRecipient === 'lmtp'
          ? 'LMTP answers the end of the message content once per accepted recipient, in order (RFC 2033 §4.2)'
          : 'with PRDR on MAIL, the server answers once per accepted recipient after its 353, in order (draft-hall-prdr §4)';
      return `Reports the delivery to ${inlineCode(address)} (${inlineCode('RCPT')} on line ${reply.recipient.line + 1}), recipient ${position} of the ${count} accepted: ${why}.`;
    }
    if (target.kind === 'data-end' && target.perRecipient === 'prdr' && target.finalReply === reply) return `The reply for the whole message (PRDR), after the ${count} per-recipient ones.`;
    if (target.kind === 'data-end' && target.perRecipient === 'prdr' && reply.code === '353') return `Starts the per-recipient replies (PRDR): one for each of the ${count} accepted recipients follows, in RCPT order, then one for the whole message.`;
  }
  if (target.kind === 'data-end') return `Answers the end of the message content (line ${target.line + 1}) sent after ${target.command.verbName} on line ${target.command.line + 1}.`;
  return target.verbName === '' ? `Answers the line sent on line ${target.line + 1}.` : `Answers ${inlineCode(target.verbName)} on line ${target.line + 1}.`;
}

function answersEhlo(reply: Reply): boolean {
  return reply.answers?.kind === 'command' && reply.answers.verbName === 'EHLO' && reply.code?.startsWith('2') === true;
}

/** One keyword line of an EHLO reply: `KEYWORD params…`, or the old `AUTH=PLAIN LOGIN` spelling. */
function explainEhloLine(text: Token, position: Position): Explanation | null {
  const [first, ...rest] = splitWords(text);
  if (!first) return null;
  const equals = first.text.indexOf('=');
  const keyword = equals > 0 ? subToken(first, 0, equals + 1) : first;
  const glued = equals > 0 && equals + 1 < first.text.length ? [subToken(first, equals + 1, first.text.length)] : [];
  const row = findEhloKeyword(keyword.text) ?? findEhloKeyword(keyword.text.replace(/=$/, ''));
  const keywordMarkdown = row ? explainEhloKeyword(row.keyword)! : `${inlineCode(keyword.text)} is not an EHLO keyword this tool knows.`;
  if (contains(keyword.range, position)) return { markdown: keywordMarkdown, range: keyword.range };
  const parameter = [...glued, ...rest].find((word) => contains(word.range, position));
  if (!parameter) return null;
  if (row?.enablesCommands.includes('AUTH')) {
    return { markdown: explainSaslMechanism(parameter.text) ?? unknownMechanism(parameter.text), range: parameter.range };
  }
  return { markdown: keywordMarkdown, range: parameter.range };
}

/** A server's 334 challenge is decoded: it comes from the server and carries no secret of the user's. */
function describeChallenge(text: string): string {
  const value = text.trim();
  const decoded = decodeBase64Text(value);
  if (decoded !== null) return `**SASL challenge** (base64), decoded: ${inlineCode(decoded)}`;
  const octets = decodeBase64(value);
  if (octets) return `**SASL challenge**: base64 of ${octets.length} octets of binary data.`;
  return '**SASL challenge**: not valid base64; the text of a 334 reply is a base64 challenge (RFC 4954 §4).';
}

function explainSaslResponseLine(file: TranscriptFile, session: Session, response: SaslResponse, position: Position): Explanation | null {
  const reference = innermostReference(response.variables, position);
  if (reference) return explainReference(file, session, response.line, reference);
  return contains(response.text.range, position) ? { markdown: describeClientResponse(response.text.text, false), range: response.text.range } : null;
}

/**
 * A client's SASL line is never decoded: in PLAIN and LOGIN it is the
 * password itself, and telling those steps apart from harmless ones is
 * guesswork. Only its size is shown.
 */
function describeClientResponse(text: string, initial: boolean): string {
  const value = text.trim();
  const what = initial ? 'AUTH initial response' : 'SASL response';
  if (!initial && value === '*') return `**Cancels the AUTH exchange**: the server answers ${inlineCode('501')} (RFC 4954 §4).`;
  if (initial && value === '=') return `**${what}**: empty (${inlineCode('=')}, RFC 4954 §4).`;
  if (value.includes('{{')) return `**${what}**: built from variables when the session runs; the value is not shown.`;
  const octets = decodeBase64(value);
  if (!octets) return `**${what}**: not valid base64; the server answers ${inlineCode('501')} to a response it cannot decode (RFC 4954 §4).`;
  return `**${what}**: base64, ${octets.length} ${octets.length === 1 ? 'octet' : 'octets'} when decoded. The content is not shown, since it may carry a password.`;
}

function explainDefinition(file: TranscriptFile, session: Session | null, definition: VariableDefinition, position: Position): Explanation | null {
  const reference = innermostReference(definition.variables, position);
  if (reference) return explainReference(file, session, definition.line, reference);
  const name = definition.name;
  // From the `@` to the end of the name: the part a reader points at.
  const range = { start: { line: name.range.start.line, character: name.range.start.character - 1 }, end: name.range.end };
  if (!contains(range, position)) return null;
  const reserved = explainConnectionVariable(name.text);
  if (reserved) return { markdown: reserved, range };
  const scope = file.fileVariables.includes(definition) ? 'every session of this file' : 'the rest of this session';
  if (isCapture(definition)) {
    return { captureLine: definition.line, markdown: `**@${name.text}** — captured at run time\n\nIts value is taken from the reply above when the run reaches this line; a pattern that finds nothing there is an unmet expectation of this line. Use it as ${inlineCode(`{{${name.text}}}`)} in ${scope}, below this line.`, range };
  }
  return { markdown: `**@${name.text}** — variable\n\nUse it as ${inlineCode(`{{${name.text}}}`)} in ${scope}.`, range };
}

const SECRET_FUNCTIONS = new RegExp(SYSTEM_FUNCTIONS.filter((fn) => fn.secret).map((fn) => fn.name.replace(/\$/g, '\\$')).join('|'), 'i');

function explainReference(file: TranscriptFile, session: Session | null, line: number, reference: VariableReference): Explanation | null {
  const name = reference.name.text;
  if (name === '') return null;
  const range = reference.range;
  if (reference.system) {
    const known = SYSTEM_FUNCTIONS.map((fn) => inlineCode(fn.name)).join(', ');
    return { markdown: explainSystemFunction(name) ?? `${inlineCode(name)} is not a system variable. The system variables are ${known}.`, range };
  }
  const visible = session ? visibleVariables(file, session, line) : new Map(file.fileVariables.map((definition) => [definition.name.text, definition]));
  const definition = visible.get(name);
  const usage = inlineCode(`{{${name}}}`);
  if (!definition) return { markdown: describeUndefined(file, session, line, name), range };
  if (isCapture(definition)) {
    return { captureLine: definition.line, markdown: `${usage} — captured at run time on line ${definition.line + 1}, from the reply above it: ${inlineCode(excerpt(definition.value.text))}`, range };
  }
  const where = file.fileVariables.includes(definition)
    ? `Defined on line ${definition.line + 1}, before the first ${inlineCode('###')}, for every session.`
    : `Defined on line ${definition.line + 1}.`;
  return { markdown: `${usage} = ${describeValue(definition.value.text)}\n\n${where}`, range };
}

/** The value as written, unless it uses a secret: then only that fact is shown. */
function describeValue(value: string): string {
  if (SECRET_FUNCTIONS.test(value)) return `${inlineCode('***')} (it uses a secret, which is never shown)`;
  return value === '' ? '(empty)' : inlineCode(value);
}

function describeUndefined(file: TranscriptFile, session: Session | null, line: number, name: string): string {
  const start = `${inlineCode(`{{${name}}}`)} is not defined in this session.`;
  const later = session?.variables.find((definition) => definition.name.text === name && definition.line >= line);
  if (later) return `${start} It is defined on line ${later.line + 1}, after this use: move that line above it.`;
  const fix = `Define it above this line with ${inlineCode(`@${name} = value`)}, or before the first ${inlineCode('###')} to share it with every session.`;
  const other = file.sessions.find((candidate) => candidate !== session && candidate.variables.some((definition) => definition.name.text === name));
  const note = other ? ` Session ${other.name ? `"${other.name}"` : `at line ${other.range.start.line + 1}`} defines it, but each session keeps its own variables.` : '';
  return `${start} ${fix}${note}`;
}

/** The innermost reference under the cursor: in `{{$authPlain {{user}} …}}` pointing at `user` means `{{user}}`. */
function innermostReference(references: readonly VariableReference[], position: Position): VariableReference | null {
  for (const reference of references) {
    if (!contains(reference.range, position)) continue;
    const nested = reference.args.flatMap((arg) => (arg.kind === 'reference' ? [arg.reference] : []));
    return innermostReference(nested, position) ?? reference;
  }
  return null;
}

function splitWords(text: Token): Token[] {
  const { line, character } = text.range.start;
  return [...text.text.matchAll(/[^ \t]+/g)].map((match) => token(match[0], line, character + match.index!));
}

function subToken(word: Token, from: number, to: number): Token {
  return token(word.text.slice(from, to), word.range.start.line, word.range.start.character + from);
}

/** Half-open: the character at `position` lies inside `range`. */
function contains(range: Range, position: Position): boolean {
  return !isBefore(position, range.start) && isBefore(position, range.end);
}

function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}
