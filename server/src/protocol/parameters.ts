/**
 * The ESMTP parameters a client may add to MAIL FROM and RCPT TO, as data,
 * each with a checker for its value.
 *
 * One row per line so that a reviewer can hold a row next to the section it
 * cites. Wording is ours; the cited sections are the authority.
 */

import type { RfcRef } from './rfc';

export type ParameterCommand = 'MAIL' | 'RCPT';

export interface EsmtpParameterSpec {
  /** The esmtp-keyword, upper case. */
  name: string;
  commands: readonly ParameterCommand[];
  /** The parameter may be sent once the server lists any of these EHLO keywords. */
  ehloKeywords: readonly string[];
  /** False for flags such as SMTPUTF8 that are written without "=value". */
  takesValue: boolean;
  /** What the value looks like, in words a diagnostic can quote. */
  valueSyntax: string;
  purpose: string;
  ref: RfcRef;
  /**
   * Null when `value` is acceptable, otherwise a short sentence on what is
   * wrong and what was expected. Only called for parameters that take a value.
   */
  checkValue: (value: string) => string | null;
}

const rfc = (number: number, section: string): RfcRef => ({ rfc: number, section });

/**
 * Null when `value` is xtext (RFC 3461 §4): printable ASCII from "!" to "~"
 * except "+" and "=", which like every other octet must be written as "+"
 * and two upper-case hex digits. Otherwise says which character is wrong.
 */
export function checkXtext(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '+') {
      const hex = value.slice(i + 1, i + 3);
      if (/^[0-9A-F]{2}$/.test(hex)) {
        i += 2;
        continue;
      }
      if (/^[0-9a-f]{2}$/i.test(hex)) return `"+${hex}" needs upper-case hex digits: +${hex.toUpperCase()}`;
      return 'a "+" must start a +XX hex escape; write a literal plus as +2B';
    }
    if (char === '=') return '"=" must be written as +3D';
    const code = char.charCodeAt(0);
    if (code < 33 || code > 126) return `${describeCharacter(char)} must be written as a +XX hex escape${code === 32 ? ' (+20)' : ''}`;
  }
  return null;
}

function describeCharacter(char: string): string {
  if (char === ' ') return 'a space';
  const code = char.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `"${char}"`;
}

function checkSize(value: string): string | null {
  return /^\d{1,20}$/.test(value) ? null : 'expected the message size in octets, 1 to 20 digits';
}

function checkBody(value: string): string | null {
  return /^(7BIT|8BITMIME|BINARYMIME)$/i.test(value) ? null : 'expected 7BIT, 8BITMIME or BINARYMIME';
}

function checkRet(value: string): string | null {
  return /^(FULL|HDRS)$/i.test(value) ? null : 'expected FULL (return the whole message) or HDRS (headers only)';
}

function checkEnvid(value: string): string | null {
  const problem = checkXtext(value);
  if (problem) return `ENVID must be xtext: ${problem}`;
  return value.length <= 100 ? null : `ENVID is ${value.length} characters long; at most 100 are allowed`;
}

const NOTIFY_ITEMS = new Set(['SUCCESS', 'FAILURE', 'DELAY']);

function checkNotify(value: string): string | null {
  if (isNotifyList(value)) return null;
  const expected = 'expected NEVER alone, or a comma list of SUCCESS, FAILURE and DELAY';
  const items = value.toUpperCase().split(',');
  if (items.some((item) => item === '')) return `empty item in the list; ${expected}`;
  if (items.includes('NEVER')) return items.length === 1 ? null : `NEVER cannot be combined with other values; ${expected}`;
  const unknown = items.find((item) => !NOTIFY_ITEMS.has(item));
  return unknown === undefined ? null : `unknown value "${unknown}"; ${expected}`;
}

/**
 * NEVER, or SUCCESS, FAILURE and DELAY separated by commas, in ASCII of any
 * case: the values checkNotify accepts, read without upper-casing and
 * splitting (checkNotify reads the rest that way to say what is wrong).
 */
function isNotifyList(value: string): boolean {
  if (value.length === 5 && matchesIgnoringCase(value, 0, 'NEVER')) return true;
  let start = 0;
  for (;;) {
    let end = value.indexOf(',', start);
    if (end === -1) end = value.length;
    const length = end - start;
    const known = (length === 7 && (matchesIgnoringCase(value, start, 'SUCCESS') || matchesIgnoringCase(value, start, 'FAILURE'))) || (length === 5 && matchesIgnoringCase(value, start, 'DELAY'));
    if (!known) return false;
    if (end === value.length) return true;
    start = end + 1;
  }
}

/** `text` holds `upper` (upper-case ASCII letters, digits, hyphens) at `at`, its letters in either case. */
function matchesIgnoringCase(text: string, at: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    const code = text.charCodeAt(at + i);
    if ((code >= 0x61 && code <= 0x7a ? code - 0x20 : code) !== upper.charCodeAt(i)) return false;
  }
  return true;
}

// RFC 822 atom: no specials, space or controls.
const ADDRESS_TYPE = /^[^()<>@,;:\\".[\]\x00-\x20\x7f]+$/;

function checkOrcpt(value: string): string | null {
  const expected = 'expected address-type;xtext-address, e.g. rfc822;bob@example.org';
  const semicolon = value.indexOf(';');
  if (semicolon < 0) return `missing ";" after the address type; ${expected}`;
  const addressType = value.slice(0, semicolon);
  const address = value.slice(semicolon + 1);
  if (!ADDRESS_TYPE.test(addressType)) return `"${addressType}" is not an address type; ${expected}`;
  if (address === '') return `no address after ";"; ${expected}`;
  const problem = checkXtext(address);
  if (problem) return `the address must be xtext: ${problem}`;
  return value.length <= 500 ? null : `ORCPT is ${value.length} characters long; at most 500 are allowed`;
}

function checkAuthSender(value: string): string | null {
  if (value === '<>') return null;
  const problem = checkXtext(value);
  return problem ? `expected <> or the xtext-encoded mailbox of the submitter: ${problem}` : null;
}

function checkBy(value: string): string | null {
  const match = /^([+-]?\d{1,9});([NR])(T?)$/i.exec(value);
  if (!match) return 'expected seconds;mode[T], e.g. 3600;R or -60;NT: up to 9 digits with an optional sign, then N (notify) or R (return), then an optional T (trace)';
  if (match[2].toUpperCase() === 'R' && Number(match[1]) <= 0) return 'with mode R the time must be more than 0 seconds';
  return null;
}

function checkPriority(value: string): string | null {
  return /^(?:[+-]?[1-9]|0)$/.test(value) ? null : 'expected a whole number from -9 to 9';
}

function checkHoldFor(value: string): string | null {
  return /^\d{1,9}$/.test(value) ? null : 'expected the hold time in seconds, 1 to 9 digits';
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

/** Null when `value` is an RFC 3339 date-time such as 2026-05-01T09:30:00Z, otherwise what is wrong. */
export function checkDateTime(value: string): string | null {
  const match = DATE_TIME.exec(value);
  if (!match) return 'expected an RFC 3339 date-time such as 2026-05-01T09:30:00Z or 2026-05-01T11:30:00+02:00';
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `day ${day} does not exist in that month`;
  // RFC 3339 §5.6 allows second 60 for a leap second.
  if (hour > 23 || minute > 59 || second > 60) return 'time of day out of range';
  if (match[7] !== undefined && (Number(match[8]) > 23 || Number(match[9]) > 59)) return 'time zone offset out of range';
  return null;
}

function checkRrvs(value: string): string | null {
  const semicolon = value.indexOf(';');
  const dateTime = semicolon < 0 ? value : value.slice(0, semicolon);
  const problem = checkDateTime(dateTime);
  if (problem) return problem;
  if (semicolon >= 0 && !/^[CR]$/i.test(value.slice(semicolon + 1))) return 'after ";" expected C (continue) or R (reject)';
  return null;
}

// Parameters without a value never reach their checker (see validateParameterValue).
const noValue = (): string | null => null;

/**
 * Every parameter. BODY cites RFC 6152 for 7BIT and 8BITMIME; RFC 3030 §3
 * adds BINARYMIME to the same parameter.
 */
export const ESMTP_PARAMETERS: readonly EsmtpParameterSpec[] = [
  { name: 'SIZE', commands: ['MAIL'], ehloKeywords: ['SIZE'], takesValue: true, valueSyntax: '1 to 20 digits: the estimated message size in octets', purpose: 'Declares the message size up front so the server can refuse a message that would not fit before it is sent.', ref: rfc(1870, '3'), checkValue: checkSize },
  { name: 'BODY', commands: ['MAIL'], ehloKeywords: ['8BITMIME', 'BINARYMIME'], takesValue: true, valueSyntax: '7BIT, 8BITMIME or BINARYMIME', purpose: 'Says whether the content is plain 7-bit text, uses 8-bit octets, or is binary MIME (the last only with BDAT).', ref: rfc(6152, '2'), checkValue: checkBody },
  { name: 'RET', commands: ['MAIL'], ehloKeywords: ['DSN'], takesValue: true, valueSyntax: 'FULL or HDRS', purpose: 'Says whether a failure report should carry the whole message or only its header.', ref: rfc(3461, '4.3'), checkValue: checkRet },
  { name: 'ENVID', commands: ['MAIL'], ehloKeywords: ['DSN'], takesValue: true, valueSyntax: 'xtext, at most 100 characters', purpose: 'Gives the transaction an identifier of the sender\'s choosing that delivery reports will quote.', ref: rfc(3461, '4.4'), checkValue: checkEnvid },
  { name: 'NOTIFY', commands: ['RCPT'], ehloKeywords: ['DSN'], takesValue: true, valueSyntax: 'NEVER, or a comma list of SUCCESS, FAILURE and DELAY', purpose: 'Says which delivery reports the sender wants for this recipient.', ref: rfc(3461, '4.1'), checkValue: checkNotify },
  { name: 'ORCPT', commands: ['RCPT'], ehloKeywords: ['DSN'], takesValue: true, valueSyntax: 'address-type;xtext-address, e.g. rfc822;bob@example.org', purpose: 'Carries the recipient address as originally given, before forwarding rewrote it, for delivery reports.', ref: rfc(3461, '4.2'), checkValue: checkOrcpt },
  { name: 'AUTH', commands: ['MAIL'], ehloKeywords: ['AUTH'], takesValue: true, valueSyntax: '<> or the xtext-encoded mailbox of the authenticated submitter', purpose: 'Names the identity that originally submitted the message, or <> when it is unknown, for servers that trust the client.', ref: rfc(4954, '5'), checkValue: checkAuthSender },
  { name: 'SMTPUTF8', commands: ['MAIL'], ehloKeywords: ['SMTPUTF8'], takesValue: false, valueSyntax: 'no value', purpose: 'Marks a transaction whose addresses or header fields may contain UTF-8.', ref: rfc(6531, '3.4'), checkValue: noValue },
  { name: 'BY', commands: ['MAIL'], ehloKeywords: ['DELIVERBY'], takesValue: true, valueSyntax: 'seconds;mode[T]: up to 9 digits with an optional sign, N (notify) or R (return), optional T (trace)', purpose: 'Sets a delivery deadline and whether missing it means a delay report (N) or returning the message (R).', ref: rfc(2852, '4'), checkValue: checkBy },
  { name: 'MT-PRIORITY', commands: ['MAIL'], ehloKeywords: ['MT-PRIORITY'], takesValue: true, valueSyntax: 'a whole number from -9 (lowest) to 9 (highest)', purpose: 'Asks for the message to be transferred ahead of, or behind, mail of other priorities.', ref: rfc(6710, '3'), checkValue: checkPriority },
  { name: 'REQUIRETLS', commands: ['MAIL'], ehloKeywords: ['REQUIRETLS'], takesValue: false, valueSyntax: 'no value', purpose: 'Requires every hop that carries the message to use TLS with a verified server, or else to return it.', ref: rfc(8689, '2'), checkValue: noValue },
  { name: 'HOLDFOR', commands: ['MAIL'], ehloKeywords: ['FUTURERELEASE'], takesValue: true, valueSyntax: '1 to 9 digits: seconds to hold the message before release', purpose: 'Asks the server to hold the message for the given number of seconds before delivering it.', ref: rfc(4865, '3'), checkValue: checkHoldFor },
  { name: 'HOLDUNTIL', commands: ['MAIL'], ehloKeywords: ['FUTURERELEASE'], takesValue: true, valueSyntax: 'an RFC 3339 date-time such as 2026-05-01T09:30:00Z', purpose: 'Asks the server to hold the message until the given date-time before delivering it.', ref: rfc(4865, '3'), checkValue: checkDateTime },
  { name: 'RRVS', commands: ['RCPT'], ehloKeywords: ['RRVS'], takesValue: true, valueSyntax: 'an RFC 3339 date-time, optionally followed by ;C (continue) or ;R (reject)', purpose: 'Asks the server not to deliver to this mailbox if it changed owner after the given date-time.', ref: rfc(7293, '3.1'), checkValue: checkRrvs },
];

// Each command's rows, in the table's order, for findParameterAt (the first row of a name wins, as in findParameter's search).
const PARAMETER_ROWS: Readonly<Record<ParameterCommand, readonly EsmtpParameterSpec[]>> = {
  MAIL: rowsOf('MAIL'),
  RCPT: rowsOf('RCPT'),
};

function rowsOf(command: ParameterCommand): EsmtpParameterSpec[] {
  const byName = new Map<string, EsmtpParameterSpec>();
  for (const spec of ESMTP_PARAMETERS) if (spec.commands.includes(command) && !byName.has(spec.name)) byName.set(spec.name, spec);
  return [...byName.values()];
}

/** The parameter `name` of `command` (MAIL or RCPT), both matched without regard to case; null when there is none. */
export function findParameter(command: string, name: string): EsmtpParameterSpec | null {
  const verb = command.trim().toUpperCase();
  const keyword = name.trim().toUpperCase();
  return ESMTP_PARAMETERS.find((spec) => spec.name === keyword && (spec.commands as readonly string[]).includes(verb)) ?? null;
}

/**
 * findParameter for the name at text[start, end), an esmtp-keyword (ASCII
 * letters, digits and hyphens), compared by char codes with each row's: no
 * string is cut for the many parameters of a long file.
 */
export function findParameterAt(command: ParameterCommand, text: string, start: number, end: number): EsmtpParameterSpec | null {
  for (const spec of PARAMETER_ROWS[command]) {
    const name = spec.name;
    if (name.length === end - start && matchesIgnoringCase(text, start, name)) return spec;
  }
  return null;
}

/**
 * Null when `value` suits `param`, otherwise a short message saying what is
 * wrong and what is expected. `value` is null when the parameter was written
 * without "=" (a bare keyword such as SMTPUTF8).
 */
export function validateParameterValue(param: EsmtpParameterSpec, value: string | null): string | null {
  if (!param.takesValue) return value === null ? null : `${param.name} takes no value; write ${param.name} alone`;
  // RFC 5321 §4.1.2: an esmtp-value has at least one character.
  if (value === null || value === '') return `${param.name} needs a value: ${param.valueSyntax}`;
  const problem = param.checkValue(value);
  return problem === null ? null : `Invalid ${param.name} value "${value}": ${problem}`;
}
