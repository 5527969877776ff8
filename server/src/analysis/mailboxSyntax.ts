// Address syntax of RFC 5321 §4.1.2 and the size limits of §4.5.3.1, with the
// UTF-8 allowance of RFC 6531 §3.3. Each check returns null when the text is
// valid, or a sentence saying what is wrong.
import { excerpt } from '../transcript/lines';

// atext of RFC 5322 §3.2.3; with SMTPUTF8 any non-ASCII character also counts.
const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const ATEXT_UTF8 = /^(?:[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]|[^\x00-\x7f])+$/;
const SUB_DOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const SUB_DOMAIN_UTF8 = /^(?:[A-Za-z0-9]|[^\x00-\x7f])(?:(?:[A-Za-z0-9-]|[^\x00-\x7f])*(?:[A-Za-z0-9]|[^\x00-\x7f]))?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const GENERAL_LITERAL = /^[A-Za-z0-9-]*[A-Za-z0-9]:[\x21-\x5a\x5e-\x7e]+$/;

export const LOCAL_PART_LIMIT = 64;
export const DOMAIN_LIMIT = 255;
export const PATH_LIMIT = 256;

const octets = (text: string) => Buffer.byteLength(text, 'utf8');

/** Domain (RFC 5321 §4.1.2): dot-separated labels of letters, digits and inner hyphens. */
export function checkDomain(domain: string, utf8 = false): string | null {
  if (domain === '') return 'the domain is empty';
  if (octets(domain) > DOMAIN_LIMIT) return `the domain is ${octets(domain)} octets, over the limit of ${DOMAIN_LIMIT} (RFC 5321 §4.5.3.1.2)`;
  const pattern = utf8 ? SUB_DOMAIN_UTF8 : SUB_DOMAIN;
  const bad = domain.split('.').find((label) => !pattern.test(label));
  if (bad === undefined) return null;
  if (!utf8 && /[^\x00-\x7f]/.test(bad)) return `"${excerpt(domain)}" has non-ASCII characters: use the A-label (xn--…) form, or SMTPUTF8 (RFC 6531)`;
  return bad === '' ? `"${excerpt(domain)}" has an empty label (two dots, or a dot at an end)` : `"${excerpt(bad)}" is not a valid domain label: letters, digits and inner hyphens only`;
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

function checkLocalPart(local: string, utf8: boolean): string | null {
  if (local === '') return 'the local part before "@" is empty';
  if (octets(local) > LOCAL_PART_LIMIT) return `the local part is ${octets(local)} octets, over the limit of ${LOCAL_PART_LIMIT} (RFC 5321 §4.5.3.1.1)`;
  if (local.startsWith('"')) {
    // Quoted-string: qtextSMTP or backslash pairs between the quotes.
    return /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e]|[^\x00-\x7f])*"$/.test(local) ? null : `${local} is not a valid quoted local part`;
  }
  const pattern = utf8 ? ATEXT_UTF8 : ATEXT;
  const bad = local.split('.').find((atom) => !pattern.test(atom));
  if (bad === undefined) return null;
  if (!utf8 && /[^\x00-\x7f]/.test(local)) return `the local part "${excerpt(local)}" has non-ASCII characters, which need SMTPUTF8 on MAIL (RFC 6531)`;
  return bad === '' ? `the local part "${excerpt(local)}" has an empty atom (a leading, trailing or doubled dot)` : `the local part "${excerpt(local)}" has characters that must be quoted`;
}

export interface PathOptions {
  /** MAIL accepts the null reverse-path `<>` (RFC 5321 §4.5.5). */
  nullAllowed: boolean;
  /** RCPT accepts `<Postmaster>` without a domain (RFC 5321 §4.1.1.3). */
  postmasterAllowed: boolean;
  utf8: boolean;
}

/** A reverse- or forward-path as written after `FROM:` / `TO:`. */
export function checkPath(path: string, options: PathOptions): string | null {
  if (!path.startsWith('<') || !path.endsWith('>') || path.length < 2) return `the address must be in angle brackets: <${path.replace(/^<|>$/g, '')}>`;
  if (octets(path) > PATH_LIMIT) return `the path is ${octets(path)} octets, over the limit of ${PATH_LIMIT} (RFC 5321 §4.5.3.1.3)`;
  let inner = path.slice(1, -1);
  if (inner === '') return options.nullAllowed ? null : 'the null path <> is only allowed in MAIL FROM (RFC 5321 §4.5.5)';
  if (options.postmasterAllowed && inner.toLowerCase() === 'postmaster') return null;
  // A source route (@a,@b:) is obsolete but must still be accepted (RFC 5321 §4.1.2, Appendix C).
  const route = /^@[^:]*:/.exec(inner);
  if (route) inner = inner.slice(route[0].length);
  const at = inner.lastIndexOf('@');
  if (at === -1) return `"${excerpt(inner)}" has no "@domain" part`;
  const local = inner.slice(0, at);
  const domain = inner.slice(at + 1);
  const localProblem = checkLocalPart(local, options.utf8);
  if (localProblem) return localProblem;
  return domain.startsWith('[') && domain.endsWith(']') ? checkAddressLiteral(domain) : checkDomain(domain, options.utf8);
}
