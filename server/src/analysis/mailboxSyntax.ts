// Address syntax of RFC 5321 §4.1.2 and the size limits of §4.5.3.1, with the
// UTF-8 allowance of RFC 6531 §3.3. Each check returns null when the text is
// valid, or a sentence saying what is wrong.
//
// The common cases (dot-atoms, domains) are read by char codes from a table,
// between offsets of the text: every MAIL, RCPT and EHLO line is checked, and
// a split into labels and a regular expression per label cost more than the
// rest of the line's checks. Strings are cut only for a message.
import { excerpt, utf8Length } from '../transcript/lines';

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const GENERAL_LITERAL = /^[A-Za-z0-9-]*[A-Za-z0-9]:[\x21-\x5a\x5e-\x7e]+$/;
// Quoted-string: qtextSMTP or backslash pairs between the quotes.
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e]|[^\x00-\x7f])*"$/;

export const LOCAL_PART_LIMIT = 64;
export const DOMAIN_LIMIT = 255;
export const PATH_LIMIT = 256;

// What each ASCII character may be: Let-dig (RFC 5321 §4.1.2) and atext (RFC 5322 §3.2.3).
const LET_DIG = 1;
const ATEXT = 2;
const CHARACTER_CLASSES = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9]/.test(char)) CHARACTER_CLASSES[code] |= LET_DIG | ATEXT;
  else if ("!#$%&'*+-/=?^_`{|}~".includes(char)) CHARACTER_CLASSES[code] |= ATEXT;
}

/** The character at `code` is of `kind`; with SMTPUTF8 any non-ASCII code unit counts as one (RFC 6531 §3.3). */
function isClass(code: number, kind: number, utf8: boolean): boolean {
  return code < 128 ? (CHARACTER_CLASSES[code] & kind) !== 0 : utf8;
}

/** text[start, end) has a character beyond ASCII. */
export function hasNonAscii(text: string, start = 0, end = text.length): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return true;
  return false;
}

/** sub-domain: Let-dig, then Let-dig or "-", ending in a Let-dig (RFC 5321 §4.1.2). */
function isSubDomain(text: string, start: number, end: number, utf8: boolean): boolean {
  if (end <= start || !isClass(text.charCodeAt(start), LET_DIG, utf8) || !isClass(text.charCodeAt(end - 1), LET_DIG, utf8)) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const code = text.charCodeAt(i);
    if (code !== 45 /* - */ && !isClass(code, LET_DIG, utf8)) return false;
  }
  return true;
}

function isAtom(text: string, start: number, end: number, utf8: boolean): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (!isClass(text.charCodeAt(i), ATEXT, utf8)) return false;
  return true;
}

/** Where the first dot-separated part of text[start, end) that `valid` refuses starts; -1 when all pass. */
function firstBadPart(text: string, start: number, end: number, utf8: boolean, valid: (text: string, start: number, end: number, utf8: boolean) => boolean): number {
  let from = start;
  for (;;) {
    let dot = text.indexOf('.', from);
    if (dot === -1 || dot > end) dot = end;
    if (!valid(text, from, dot, utf8)) return from;
    if (dot === end) return -1;
    from = dot + 1;
  }
}

/** The part that starts at `from` and ends at the next dot or at `end`. */
function partAt(text: string, from: number, end: number): string {
  const dot = text.indexOf('.', from);
  return text.slice(from, dot === -1 || dot > end ? end : dot);
}

/** Domain (RFC 5321 §4.1.2): dot-separated labels of letters, digits and inner hyphens. */
export function checkDomain(domain: string, utf8 = false): string | null {
  return checkDomainAt(domain, 0, domain.length, utf8);
}

function checkDomainAt(text: string, start: number, end: number, utf8: boolean): string | null {
  if (end === start) return 'the domain is empty';
  if ((end - start) * 3 > DOMAIN_LIMIT) {
    const octets = utf8Length(text, start, end);
    if (octets > DOMAIN_LIMIT) return `the domain is ${octets} octets, over the limit of ${DOMAIN_LIMIT} (RFC 5321 §4.5.3.1.2)`;
  }
  const bad = firstBadPart(text, start, end, utf8, isSubDomain);
  if (bad === -1) return null;
  const domain = text.slice(start, end);
  const label = partAt(text, bad, end);
  if (!utf8 && hasNonAscii(label)) return `"${excerpt(domain)}" has non-ASCII characters: use the A-label (xn--…) form, or SMTPUTF8 (RFC 6531)`;
  return label === '' ? `"${excerpt(domain)}" has an empty label (two dots, or a dot at an end)` : `"${excerpt(label)}" is not a valid domain label: letters, digits and inner hyphens only`;
}

/** address-literal (RFC 5321 §4.1.3): [IPv4], [IPv6:…] or [tag:content]. */
export function checkAddressLiteral(literal: string): string | null {
  const inner = literal.slice(1, -1);
  if (IPV4.test(inner)) return null;
  if (/^IPv6:/i.test(inner)) return IPV6.test(inner.slice(5)) && inner.includes(':', 5) ? null : `"${excerpt(literal)}" is not a valid IPv6 address literal`;
  if (GENERAL_LITERAL.test(inner)) return null;
  return `"${excerpt(literal)}" is not an address literal: write [192.0.2.1] or [IPv6:2001:db8::1]`;
}

/** The argument of EHLO/HELO: a domain or an address literal (RFC 5321 §4.1.1.1). */
export function checkHeloArgument(argument: string): string | null {
  if (argument.startsWith('[') && argument.endsWith(']')) return checkAddressLiteral(argument);
  return checkDomain(argument, true);
}

function checkLocalPartAt(text: string, start: number, end: number, utf8: boolean): string | null {
  if (end === start) return 'the local part before "@" is empty';
  if ((end - start) * 3 > LOCAL_PART_LIMIT) {
    const octets = utf8Length(text, start, end);
    if (octets > LOCAL_PART_LIMIT) return `the local part is ${octets} octets, over the limit of ${LOCAL_PART_LIMIT} (RFC 5321 §4.5.3.1.1)`;
  }
  if (text.charCodeAt(start) === 34 /* " */) {
    const local = text.slice(start, end);
    return QUOTED_STRING.test(local) ? null : `${local} is not a valid quoted local part`;
  }
  const bad = firstBadPart(text, start, end, utf8, isAtom);
  if (bad === -1) return null;
  const local = text.slice(start, end);
  if (!utf8 && hasNonAscii(text, start, end)) return `the local part "${excerpt(local)}" has non-ASCII characters, which need SMTPUTF8 on MAIL (RFC 6531)`;
  return partAt(text, bad, end) === '' ? `the local part "${excerpt(local)}" has an empty atom (a leading, trailing or doubled dot)` : `the local part "${excerpt(local)}" has characters that must be quoted`;
}

export interface PathOptions {
  /** MAIL accepts the null reverse-path `<>` (RFC 5321 §4.5.5). */
  nullAllowed: boolean;
  /** RCPT accepts `<Postmaster>` without a domain (RFC 5321 §4.1.1.3). */
  postmasterAllowed: boolean;
  utf8: boolean;
}

/** `<Postmaster>`'s inner text, in any case (RFC 5321 §4.1.1.3). */
function isPostmaster(text: string, start: number, end: number): boolean {
  if (end - start !== 10) return false;
  for (let i = 0; i < 10; i++) if ((text.charCodeAt(start + i) | 0x20) !== 'postmaster'.charCodeAt(i)) return false;
  return true;
}

/** A reverse- or forward-path as written after `FROM:` / `TO:`. */
export function checkPath(path: string, options: PathOptions): string | null {
  const length = path.length;
  if (length < 2 || path.charCodeAt(0) !== 60 /* < */ || path.charCodeAt(length - 1) !== 62 /* > */) return `the address must be in angle brackets: <${path.replace(/^<|>$/g, '')}>`;
  if (length * 3 > PATH_LIMIT && utf8Length(path) > PATH_LIMIT) return `the path is ${utf8Length(path)} octets, over the limit of ${PATH_LIMIT} (RFC 5321 §4.5.3.1.3)`;
  let start = 1;
  const end = length - 1;
  if (end === start) return options.nullAllowed ? null : 'the null path <> is only allowed in MAIL FROM (RFC 5321 §4.5.5)';
  if (options.postmasterAllowed && isPostmaster(path, start, end)) return null;
  // A source route (@a,@b:) is obsolete but must still be accepted (RFC 5321 §4.1.2, Appendix C).
  if (path.charCodeAt(start) === 64 /* @ */) {
    const colon = path.indexOf(':', start);
    if (colon !== -1 && colon < end) start = colon + 1;
  }
  const at = path.lastIndexOf('@', end - 1);
  if (at < start) return `"${excerpt(path.slice(start, end))}" has no "@domain" part`;
  const localProblem = checkLocalPartAt(path, start, at, options.utf8);
  if (localProblem) return localProblem;
  const domainStart = at + 1;
  if (end - domainStart >= 1 && path.charCodeAt(domainStart) === 91 /* [ */ && path.charCodeAt(end - 1) === 93 /* ] */) return checkAddressLiteral(path.slice(domainStart, end));
  return checkDomainAt(path, domainStart, end, options.utf8);
}
