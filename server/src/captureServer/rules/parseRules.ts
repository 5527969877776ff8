// A rules file as written by hand — JSON with comments and trailing commas —
// read into FaultRules, or refused with one error that names the file, the
// rule, its line and the field, and says what would be right. Which codes a
// command may be answered with comes from protocol/commands.ts, what a
// parameter or an enhanced status code may look like from protocol/ too.
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { ANY_COMMAND_REPLIES, allowedReplyCodes, findCommand, GREETING_REPLY_CODES, nearestCommand } from '../../protocol/commands';
import { explainInvalidEnhancedStatusCode, parseEnhancedStatusCode } from '../../protocol/enhancedStatusCodes';
import { ESMTP_PARAMETERS, findParameter, validateParameterValue } from '../../protocol/parameters';
import type { FaultRule, ParameterCondition, RuleCount, RulePoint, RuleReply } from './faultRule';
import { globToRegExp } from './matchRule';

/** A rules file that cannot be used; the message names the file, the rule and the field. */
export class RulesError extends Error {}

export const MAX_DELAY_MS = 600_000;
const FIELDS = ['name', 'on', 'address', 'parameter', 'regex', 'nth', 'every', 'after', 'reply', 'disconnect', 'delay'] as const;
const PATH_VERBS = new Set(['MAIL', 'RCPT']);
const POINT_NAMES = 'connect, end-of-data, any, or a command such as EHLO, HELO, MAIL, RCPT, DATA, AUTH';

/** Reads the rules of `text`; `fileName` is how errors name the file. */
export function parseRules(text: string, fileName: string): FaultRule[] {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new RulesError(`${fileName} line ${lineOf(text, errors[0].offset)}: ${printParseErrorCode(errors[0].error)}; fix the JSON (comments and trailing commas are fine).`);
  }
  if (!isObject(value) || !Array.isArray(value.rules)) {
    throw new RulesError(`${fileName}: a rules file holds an object with a "rules" list, such as { "rules": [ { "on": "RCPT", "address": "*@bounce.example", "reply": "550 5.1.1 User unknown" } ] }.`);
  }
  const extra = Object.keys(value).find((key) => key !== 'rules');
  if (extra !== undefined) throw new RulesError(`${fileName}: unknown field \`${extra}\` beside "rules" (a rules file holds only "rules").`);
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  return value.rules.map((rule: unknown, index: number) => {
    const node = tree ? findNodeAtLocation(tree, ['rules', index]) : undefined;
    const where = (field?: string) => {
      const at = field && node ? findNodeAtLocation(node, [field]) ?? node : node;
      const name = isObject(rule) && typeof rule.name === 'string' && rule.name.trim() !== '' ? ` ("${rule.name}")` : '';
      return `${fileName} rule ${index + 1}${name}${at ? ` (line ${lineOf(text, at.offset)})` : ''}`;
    };
    try {
      return parseRule(rule, index);
    } catch (error) {
      if (error instanceof FieldError) throw new RulesError(`${where(error.field ?? undefined)}: ${error.field ? `field \`${error.field}\`: ` : ''}${error.message}`);
      throw error;
    }
  });
}

class FieldError extends Error {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(message);
  }
}

function parseRule(rule: unknown, index: number): FaultRule {
  if (!isObject(rule)) throw new FieldError(null, 'a rule is an object such as { "on": "MAIL", "reply": "421 4.7.0 Try again later" }.');
  for (const key of Object.keys(rule)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw new FieldError(key, `unknown field (a rule has ${FIELDS.join(', ')}).`);
  }
  const name = optional(rule, 'name', (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fail('a name is a non-empty string.')));
  const on = points(rule.on);
  const onPaths = (field: string) => {
    if (on.some((point) => !PATH_VERBS.has(point))) throw new FieldError(field, `only MAIL and RCPT have an address and parameters, and this rule is "on" ${on.join(', ')}.`);
  };
  const address = optional(rule, 'address', (value) => {
    onPaths('address');
    if (typeof value !== 'string') fail('an address is a string: a glob such as "*@bounce.example" (* any characters, ? one; "" is the null sender <>).');
    return globToRegExp(value);
  });
  const parameter = optional(rule, 'parameter', (value) => {
    onPaths('parameter');
    return parameterCondition(value, on);
  });
  const regex = optional(rule, 'regex', (value) => {
    if (on.includes('connect') || on.includes('end-of-data')) fail('a regex is tested against a command line, and connect and end-of-data have none.');
    if (typeof value !== 'string') fail('a regex is a string: a JavaScript regular expression tested against the command line, case-insensitive.');
    try {
      return new RegExp(value, 'i');
    } catch (error) {
      return fail(`"${value}" is not a regular expression: ${(error as Error).message}.`);
    }
  });
  const count = ruleCount(rule);
  const reply = optional(rule, 'reply', (value) => parseReply(value, on));
  const disconnect = optional(rule, 'disconnect', (value) => (typeof value === 'boolean' ? value : fail('disconnect is true (drop the connection without a reply) or false.'))) ?? false;
  const delayMs = optional(rule, 'delay', (value) => (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_DELAY_MS ? (value as number) : fail(`a delay is a whole number of milliseconds from 0 to ${MAX_DELAY_MS}, not ${JSON.stringify(value)}.`))) ?? 0;
  if (reply && disconnect) throw new FieldError('disconnect', 'a rule either replies or disconnects: give `reply` or `disconnect`, not both.');
  if (!reply && !disconnect && rule.delay === undefined) throw new FieldError(null, 'a rule does something: give it `reply` (an error reply), `disconnect` (true) or `delay` (milliseconds).');
  return { label: name ?? `rule ${index + 1}`, on, address, parameter, regex, count, reply, disconnect, delayMs };
}

function points(value: unknown): RulePoint[] {
  if (value === undefined) throw new FieldError('on', `missing: say where the rule looks, one of ${POINT_NAMES} (or a list of them).`);
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new FieldError('on', `an empty list; give one or more of ${POINT_NAMES}.`);
  return list.map((point) => {
    if (typeof point !== 'string') throw new FieldError('on', `${JSON.stringify(point)} is not a string; use ${POINT_NAMES}.`);
    const lower = point.trim().toLowerCase();
    if (lower === 'connect' || lower === 'end-of-data' || lower === 'any') return lower;
    const command = findCommand(point);
    if (command) return command.verb;
    const near = nearestCommand(point);
    throw new FieldError('on', `"${point}" is not a command${near ? ` (did you mean ${near}?)` : ''}; use ${POINT_NAMES}.`);
  });
}

// NAME, NAME=VALUE, NAME>N or NAME<N.
const PARAMETER = /^([A-Za-z0-9][A-Za-z0-9-]*)(?:([=<>])(.*))?$/s;

function parameterCondition(value: unknown, on: readonly string[]): ParameterCondition {
  const example = 'such as "SIZE>10000000", "BODY=8BITMIME" or "SMTPUTF8"';
  const match = typeof value === 'string' ? PARAMETER.exec(value.trim()) : null;
  if (!match) fail(`a parameter is NAME, NAME=VALUE, NAME>NUMBER or NAME<NUMBER, ${example}.`);
  const [, written, op, operand] = match;
  const name = written.toUpperCase();
  for (const verb of on) {
    const spec = findParameter(verb, name);
    if (!spec) fail(`${verb} has no parameter ${name}; ${verb} takes ${ESMTP_PARAMETERS.filter((candidate) => (candidate.commands as readonly string[]).includes(verb)).map((candidate) => candidate.name).join(', ')}.`);
    if (op === undefined) continue;
    if (!spec.takesValue) fail(`${name} takes no value; write "${name}" alone.`);
    if (op === '=') {
      const problem = validateParameterValue(spec, operand);
      if (problem) fail(`${problem}.`);
    }
  }
  if (op === undefined) return { name, op: 'present' };
  if (op === '=') return { name, op, value: operand };
  if (!/^\d{1,15}$/.test(operand)) fail(`${name}${op} compares numbers, and "${operand}" is not a whole number.`);
  return { name, op: op as '>' | '<', value: Number(operand) };
}

function ruleCount(rule: Record<string, unknown>): RuleCount | null {
  const given = (['nth', 'every', 'after'] as const).filter((field) => rule[field] !== undefined);
  if (given.length > 1) throw new FieldError(given[1], `a rule counts one way: give one of \`nth\`, \`every\` and \`after\`, not ${given.map((field) => `\`${field}\``).join(' and ')}.`);
  const positive = (field: string, value: unknown, what: string): number => {
    if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1_000_000_000) return value as number;
    throw new FieldError(field, `${what} is a whole number from 1, not ${JSON.stringify(value)}.`);
  };
  switch (given[0]) {
    case 'nth':
      return { kind: 'nth', n: positive('nth', rule.nth, 'nth (act only the Nth time the rule matches)') };
    case 'every':
      return { kind: 'every', n: positive('every', rule.every, 'every (act every Nth time the rule matches)') };
    case 'after': {
      const after = rule.after;
      const shape = 'after is { "messages": N, "seconds": S }: act once N messages were accepted within the last S seconds';
      if (!isObject(after)) throw new FieldError('after', `${shape}.`);
      const extra = Object.keys(after).find((key) => key !== 'messages' && key !== 'seconds');
      if (extra !== undefined) throw new FieldError('after', `unknown field "${extra}"; ${shape}.`);
      const messages = positive('after', after.messages, '"messages"');
      const seconds = after.seconds;
      if (typeof seconds !== 'number' || !(seconds > 0) || seconds > 86_400) throw new FieldError('after', `"seconds" is a number above 0 and at most 86400 (a day), not ${JSON.stringify(seconds)}.`);
      return { kind: 'after', messages, seconds };
    }
    default:
      return null;
  }
}

// "550 5.1.1 User unknown": the code, an optional enhanced status code, the text.
const REPLY = /^(\S+)(?:[ \t]+(\d+\.\S*))?(?:[ \t]+(.*))?$/s;

function parseReply(value: unknown, on: readonly RulePoint[]): RuleReply {
  const example = 'such as "550 5.1.1 User unknown"';
  const match = typeof value === 'string' ? REPLY.exec(value.trim()) : null;
  if (!match) fail(`a reply is a string: the code, an optional enhanced status code and the text, ${example}.`);
  const [, codeText, enhanced = null, text = ''] = match;
  if (!/^\d{3}$/.test(codeText)) fail(`a reply starts with a three-digit code, ${example}; "${codeText}" is not one.`);
  const code = Number(codeText);
  if (code < 200 || code > 599) fail(`code ${codeText} is not a reply code (use 200–599).`);
  if (code < 400) fail(`${code} is a positive reply; a rule answers with an error (4xx or 5xx), or only waits (\`delay\`) and lets the server answer.`);
  for (const point of on) {
    const allowed = errorCodes(point);
    if (!allowed.includes(code)) fail(`${describePoint(point)} is not answered ${code}; it may get ${allowed.join(', ')}.`);
  }
  if (enhanced !== null) {
    const problem = explainInvalidEnhancedStatusCode(enhanced);
    if (problem) fail(problem);
    const parsed = parseEnhancedStatusCode(enhanced)!;
    if (parsed.subject === null || parsed.detail === null) fail(`"${enhanced}" is a pattern; a reply sends a code with numbers, such as ${parsed.classDigit}.1.1.`);
    // RFC 3463 §2: class 2 is success, 4 a transient and 5 a permanent failure, as the reply code's first digit says.
    if (parsed.classDigit !== Math.floor(code / 100)) fail(`${code} and ${enhanced} disagree: the class of an enhanced status code says what the reply's first digit says (RFC 3463 §2), so ${Math.floor(code / 100)}.x.x here.`);
    if (on.includes('connect')) fail('the greeting carries no enhanced status code, only replies to commands do; write the code and the text.');
  }
  if (text.trim() === '') fail(`a reply needs a text after the code, ${example}.`);
  if (/[\r\n\0]/.test(text)) fail('a reply is one line: its text holds no line break.');
  return { code, enhanced, text: text.trim() };
}

/** The error codes a point may be answered with, from the protocol tables. */
function errorCodes(point: RulePoint): readonly number[] {
  if (point === 'connect') return GREETING_REPLY_CODES.filter((code) => code >= 400);
  if (point === 'any') return ANY_COMMAND_REPLIES.error ?? [];
  if (point === 'end-of-data') return allowedReplyCodes(findCommand('DATA')!, 'after-content').error;
  return allowedReplyCodes(findCommand(point)!).error;
}

function describePoint(point: RulePoint): string {
  if (point === 'connect') return 'the greeting';
  if (point === 'end-of-data') return 'the end of data';
  if (point === 'any') return 'any command';
  return point;
}

function optional<T>(rule: Record<string, unknown>, field: string, read: (value: unknown) => T): T | null {
  if (rule[field] === undefined) return null;
  try {
    return read(rule[field]);
  } catch (error) {
    if (error instanceof FieldError && error.field === null) throw new FieldError(field, error.message);
    throw error;
  }
}

function fail(message: string): never {
  throw new FieldError(null, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
