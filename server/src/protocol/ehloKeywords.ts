/**
 * EHLO keywords and SASL mechanisms as data, plus a reader for the lines of
 * a server's EHLO reply.
 *
 * One row per line so that a reviewer can hold a row next to the section it
 * cites. Wording is ours; the cited sections are the authority.
 */

import { PRDR_DRAFT, type VendorDocument } from './commands';
import type { RfcRef } from './rfc';

/**
 * 'standard': a keyword for an RFC 5321 command; 'extension': a registered
 * service extension; 'deprecated': still seen in EHLO replies but retired or
 * never standardized; 'vendor': a private keyword of one implementation.
 */
export type EhloKeywordStatus = 'standard' | 'extension' | 'deprecated' | 'vendor';

export interface EhloKeyword {
  keyword: string;
  /** What the words after the keyword on its EHLO line mean. */
  parameters: string;
  /** One sentence on what the server promises by listing the keyword. */
  purpose: string;
  ref: RfcRef;
  /** Verbs a client may send once the keyword has been seen. */
  enablesCommands: readonly string[];
  /** MAIL FROM parameters the keyword allows. */
  enablesMailParameters: readonly string[];
  /** RCPT TO parameters the keyword allows. */
  enablesRcptParameters: readonly string[];
  status: EhloKeywordStatus;
  /** Non-RFC documentation for vendor and legacy keywords; null otherwise. */
  vendorDocument: VendorDocument | null;
}

const rfc = (number: number, section: string): RfcRef => ({ rfc: number, section });

const sendmail: VendorDocument = { vendor: 'Sendmail', document: 'srvrsmtp.c EHLO reply and helpfile (Eric Allman)' };
const postfixXclient: VendorDocument = { vendor: 'Postfix', document: 'XCLIENT_README' };
const postfixXforward: VendorDocument = { vendor: 'Postfix', document: 'XFORWARD_README' };
const legacyAuth: VendorDocument = { vendor: 'Netscape and Microsoft clients', document: 'AUTH= spelling of the drafts before RFC 2554, still answered by servers for old clients' };

export const EHLO_KEYWORDS: readonly EhloKeyword[] = [
  { keyword: 'SIZE', parameters: 'Optional decimal number: the largest message in octets the server will ever take; 0 means no fixed limit, no number means the server does not say.', purpose: 'The server accepts a declared message size on MAIL and can refuse an oversized message before it is sent.', ref: rfc(1870, '3'), enablesCommands: [], enablesMailParameters: ['SIZE'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'PIPELINING', parameters: 'None.', purpose: 'The client may send groups of commands without waiting for each reply, as long as group-ending commands come last.', ref: rfc(2920, '2'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: '8BITMIME', parameters: 'None.', purpose: 'The server carries message content with octets above 127, declared with BODY=8BITMIME on MAIL.', ref: rfc(6152, '2'), enablesCommands: [], enablesMailParameters: ['BODY'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'BINARYMIME', parameters: 'None.', purpose: 'The server takes binary MIME content, declared with BODY=BINARYMIME and sent only with BDAT.', ref: rfc(3030, '3'), enablesCommands: [], enablesMailParameters: ['BODY'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'CHUNKING', parameters: 'None.', purpose: 'The server accepts content in counted BDAT chunks as an alternative to DATA.', ref: rfc(3030, '2'), enablesCommands: ['BDAT'], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'DSN', parameters: 'None.', purpose: 'The server honours delivery status notification requests: what to report per recipient and how much of the message to return.', ref: rfc(3461, '2'), enablesCommands: [], enablesMailParameters: ['RET', 'ENVID'], enablesRcptParameters: ['NOTIFY', 'ORCPT'], status: 'extension', vendorDocument: null },
  { keyword: 'ENHANCEDSTATUSCODES', parameters: 'None.', purpose: 'The server starts the text of its replies with a class.subject.detail status code such as 2.1.5.', ref: rfc(2034, '3'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'STARTTLS', parameters: 'None.', purpose: 'The server can switch the connection to TLS when the client sends STARTTLS.', ref: rfc(3207, '3'), enablesCommands: ['STARTTLS'], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'AUTH', parameters: 'SASL mechanism names separated by spaces, the ones the client may name in AUTH.', purpose: 'The server authenticates clients with SASL and accepts the AUTH= sender identity on MAIL.', ref: rfc(4954, '3'), enablesCommands: ['AUTH'], enablesMailParameters: ['AUTH'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'SMTPUTF8', parameters: 'None.', purpose: 'The server accepts UTF-8 in addresses and header fields for a transaction that declares SMTPUTF8 on MAIL.', ref: rfc(6531, '3.1'), enablesCommands: [], enablesMailParameters: ['SMTPUTF8'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'ETRN', parameters: 'None.', purpose: 'The server will start a queue run for a host or domain on request.', ref: rfc(1985, '2'), enablesCommands: ['ETRN'], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'ATRN', parameters: 'None.', purpose: 'The server offers on-demand mail relay: after AUTH it can turn the connection around and deliver the client\'s queued mail.', ref: rfc(2645, '5.1.1'), enablesCommands: ['ATRN'], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'BURL', parameters: 'Optional URL schemes the server can fetch from, such as "imap"; none means BURL is offered but no scheme is usable yet (for instance before AUTH).', purpose: 'The server builds message content from URLs named in BURL commands instead of content sent inline.', ref: rfc(4468, '3'), enablesCommands: ['BURL'], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'DELIVERBY', parameters: 'Optional decimal number: the shortest delivery deadline in seconds the server will accept in BY=.', purpose: 'The server accepts a deadline for delivery and what to do when it cannot be met.', ref: rfc(2852, '3'), enablesCommands: [], enablesMailParameters: ['BY'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'MT-PRIORITY', parameters: 'Optional name of the priority assignment policy the server follows: MIXER, STANAG4406 or NSEP.', purpose: 'The server takes a transfer priority from -9 to 9 on MAIL and handles higher priorities first.', ref: rfc(6710, '3'), enablesCommands: [], enablesMailParameters: ['MT-PRIORITY'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'REQUIRETLS', parameters: 'None.', purpose: 'The server will carry a message marked REQUIRETLS only over TLS with a verified peer on every onward hop.', ref: rfc(8689, '2'), enablesCommands: [], enablesMailParameters: ['REQUIRETLS'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'FUTURERELEASE', parameters: 'Two values: the longest hold in seconds (max-future-release-interval) and the latest release date-time (max-future-release-date-time).', purpose: 'The server holds a message until a given interval or date-time has passed before delivering it.', ref: rfc(4865, '3'), enablesCommands: [], enablesMailParameters: ['HOLDFOR', 'HOLDUNTIL'], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'LIMITS', parameters: 'Space-separated NAME=number pairs such as MAILMAX= (transactions per session), RCPTMAX= (recipients per transaction) and RCPTDOMAINMAX= (recipient domains per transaction).', purpose: 'The server announces its limits up front so the client can split its work instead of meeting refusals.', ref: rfc(9422, '3'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'extension', vendorDocument: null },
  { keyword: 'RRVS', parameters: 'None.', purpose: 'The server can refuse a recipient whose mailbox changed owner after a given date-time.', ref: rfc(7293, '3.1'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: ['RRVS'], status: 'extension', vendorDocument: null },
  // RFC 5321 §4.1.1.1 asks servers to list keywords for the commands that §4.5.1 does not require; VRFY is required, so listing it is only informative.
  { keyword: 'VRFY', parameters: 'None.', purpose: 'The server says openly that it answers VRFY.', ref: rfc(5321, '4.1.1.1'), enablesCommands: ['VRFY'], enablesMailParameters: [], enablesRcptParameters: [], status: 'standard', vendorDocument: null },
  { keyword: 'EXPN', parameters: 'None.', purpose: 'The server answers EXPN and expands mailing lists.', ref: rfc(5321, '4.1.1.1'), enablesCommands: ['EXPN'], enablesMailParameters: [], enablesRcptParameters: [], status: 'standard', vendorDocument: null },
  { keyword: 'HELP', parameters: 'None.', purpose: 'The server answers HELP with help text.', ref: rfc(5321, '4.1.1.1'), enablesCommands: ['HELP'], enablesMailParameters: [], enablesRcptParameters: [], status: 'standard', vendorDocument: null },
  // RFC 5321 Appendix F.6 lets servers keep SEND, SOML and SAML as long as they list them; F.1 deprecates TURN.
  { keyword: 'SEND', parameters: 'None.', purpose: 'The server still offers the RFC 821 SEND command (delivery to a terminal).', ref: rfc(5321, 'F.6'), enablesCommands: ['SEND'], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: null },
  { keyword: 'SOML', parameters: 'None.', purpose: 'The server still offers the RFC 821 SOML command (terminal or mailbox).', ref: rfc(5321, 'F.6'), enablesCommands: ['SOML'], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: null },
  { keyword: 'SAML', parameters: 'None.', purpose: 'The server still offers the RFC 821 SAML command (terminal and mailbox).', ref: rfc(5321, 'F.6'), enablesCommands: ['SAML'], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: null },
  { keyword: 'TURN', parameters: 'None.', purpose: 'The server still offers the unauthenticated RFC 821 role swap, which can hand a site\'s mail to whoever asks.', ref: rfc(5321, 'F.1'), enablesCommands: ['TURN'], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: null },
  // Old Netscape and Outlook clients only looked for "AUTH=", so servers list the mechanisms a second time in that spelling; parseEhloReply folds it into AUTH.
  { keyword: 'AUTH=', parameters: 'The same SASL mechanism names as AUTH, the first one glued to the "=" (AUTH=LOGIN PLAIN).', purpose: 'A second, pre-standard spelling of AUTH kept for old clients; it offers nothing AUTH does not.', ref: rfc(4954, '3'), enablesCommands: ['AUTH'], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: legacyAuth },
  // Sendmail keywords: VERB and ONEX were registered with IANA under the rules of RFC 5321 §2.2.2; XUSR is a private "X" keyword.
  // Their verbs are not in COMMANDS (nothing else here knows them), so enablesCommands stays empty.
  { keyword: 'VERB', parameters: 'None.', purpose: 'Sendmail\'s VERB command, which makes the server report delivery progress on the connection.', ref: rfc(5321, '2.2.2'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: sendmail },
  { keyword: 'ONEX', parameters: 'None.', purpose: 'Sendmail\'s ONEX command, which promises that only one transaction will follow in the session.', ref: rfc(5321, '2.2.2'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: sendmail },
  { keyword: 'XUSR', parameters: 'None.', purpose: 'Sendmail\'s XUSR command, which marks the message as an initial user submission.', ref: rfc(5321, '2.2.2'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'deprecated', vendorDocument: sendmail },
  // PRDR never became an RFC; Exim implements the expired draft, and its keyword turns up in real EHLO replies.
  { keyword: 'PRDR', parameters: 'None.', purpose: 'The client may add PRDR to MAIL FROM; after the message content the server then answers 353, once per accepted recipient in order, and once for the whole message.', ref: rfc(5321, '2.2.2'), enablesCommands: [], enablesMailParameters: [], enablesRcptParameters: [], status: 'vendor', vendorDocument: PRDR_DRAFT },
  { keyword: 'XCLIENT', parameters: 'The attribute names the server lets XCLIENT override: NAME, ADDR, PORT, PROTO, HELO, LOGIN, DESTADDR, DESTPORT.', purpose: 'The server lets an authorized client replace the connection details it uses for access decisions and logging.', ref: rfc(5321, '2.2.2'), enablesCommands: ['XCLIENT'], enablesMailParameters: [], enablesRcptParameters: [], status: 'vendor', vendorDocument: postfixXclient },
  { keyword: 'XFORWARD', parameters: 'The attribute names the server accepts in XFORWARD: NAME, ADDR, PORT, PROTO, HELO, IDENT, SOURCE.', purpose: 'The server lets an authorized content filter pass on the original client\'s details for logging.', ref: rfc(5321, '2.2.2'), enablesCommands: ['XFORWARD'], enablesMailParameters: [], enablesRcptParameters: [], status: 'vendor', vendorDocument: postfixXforward },
];

const KEYWORDS_BY_NAME: ReadonlyMap<string, EhloKeyword> = new Map(EHLO_KEYWORDS.map((row) => [row.keyword, row]));

/** The row for an EHLO keyword, matched without regard to case (RFC 5321 §4.1.1.1); null when unknown. */
export function findEhloKeyword(keyword: string): EhloKeyword | null {
  return KEYWORDS_BY_NAME.get(keyword.trim().toUpperCase()) ?? null;
}

/**
 * 'standard': on the IETF standards track; 'limited': documented but marked
 * for limited use by the IANA SASL registry; 'historic': moved to Historic by
 * a later RFC; 'obsolete': never standardized and retired; 'vendor': one
 * provider's own mechanism.
 */
export type SaslMechanismStatus = 'standard' | 'limited' | 'historic' | 'obsolete' | 'vendor';

export interface SaslMechanism {
  name: string;
  /** The RFC section that defines the mechanism; null when no RFC does. */
  ref: RfcRef | null;
  /** The defining document by name, so rows without an RFC still say where they come from. */
  document: string;
  /** A later RFC that retired the mechanism; null otherwise. */
  retiredBy: RfcRef | null;
  /**
   * True when the password, or a token that works like one, crosses the wire
   * in a form anyone reading the connection can recover (base64 is not
   * protection). Such mechanisms belong after STARTTLS.
   */
  sendsSecretInClear: boolean;
  /** Why `sendsSecretInClear` has its value. */
  whatCrossesTheWire: string;
  status: SaslMechanismStatus;
}

export const SASL_MECHANISMS: readonly SaslMechanism[] = [
  { name: 'PLAIN', ref: rfc(4616, '2'), document: 'RFC 4616', retiredBy: null, sendsSecretInClear: true, whatCrossesTheWire: 'Authorization identity, user name and password joined by NUL bytes, merely base64-encoded.', status: 'standard' },
  { name: 'LOGIN', ref: null, document: 'draft-murchison-sasl-login-00 (expired Internet-Draft)', retiredBy: null, sendsSecretInClear: true, whatCrossesTheWire: 'User name and password as two separate base64 answers to two 334 prompts.', status: 'obsolete' },
  { name: 'CRAM-MD5', ref: rfc(2195, '2'), document: 'RFC 2195', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'The user name and an HMAC-MD5 of the server\'s challenge keyed with the password; the password itself stays home, though a captured exchange can be attacked offline.', status: 'limited' },
  { name: 'DIGEST-MD5', ref: rfc(2831, '2'), document: 'RFC 2831', retiredBy: rfc(6331, '1'), sendsSecretInClear: false, whatCrossesTheWire: 'An MD5 digest over the password and both sides\' nonces.', status: 'historic' },
  { name: 'XOAUTH2', ref: null, document: 'Google XOAUTH2 protocol documentation', retiredBy: null, sendsSecretInClear: true, whatCrossesTheWire: 'The user name and an OAuth 2.0 bearer token, base64-encoded; whoever reads the token can use it until it expires.', status: 'vendor' },
  { name: 'OAUTHBEARER', ref: rfc(7628, '3'), document: 'RFC 7628', retiredBy: null, sendsSecretInClear: true, whatCrossesTheWire: 'An OAuth 2.0 bearer token, base64-encoded; it works for whoever holds it.', status: 'standard' },
  { name: 'SCRAM-SHA-1', ref: rfc(5802, '5'), document: 'RFC 5802', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'Nonces, a salt and proofs derived from a salted password hash; both sides prove knowledge without revealing the password.', status: 'standard' },
  { name: 'SCRAM-SHA-1-PLUS', ref: rfc(5802, '5'), document: 'RFC 5802', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'As SCRAM-SHA-1, bound to the TLS channel it runs over.', status: 'standard' },
  { name: 'SCRAM-SHA-256', ref: rfc(7677, '3'), document: 'RFC 7677', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'As SCRAM-SHA-1 with SHA-256 in place of SHA-1.', status: 'standard' },
  { name: 'SCRAM-SHA-256-PLUS', ref: rfc(7677, '3'), document: 'RFC 7677', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'As SCRAM-SHA-256, bound to the TLS channel it runs over.', status: 'standard' },
  { name: 'EXTERNAL', ref: rfc(4422, 'A'), document: 'RFC 4422', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'At most an authorization identity; the credentials come from outside SASL, usually the TLS client certificate.', status: 'standard' },
  { name: 'GSSAPI', ref: rfc(4752, '3'), document: 'RFC 4752', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'Kerberos V5 tickets and GSS-API tokens; no password.', status: 'standard' },
  { name: 'ANONYMOUS', ref: rfc(4505, '2'), document: 'RFC 4505', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'Optional trace information such as an email address; nothing secret.', status: 'standard' },
  { name: 'NTLM', ref: null, document: 'Microsoft [MS-SMTPNTLM] and [MS-NLMP]', retiredBy: null, sendsSecretInClear: false, whatCrossesTheWire: 'A challenge-response computed from the password hash; weak against offline attack and relaying, but no clear password.', status: 'vendor' },
];

const MECHANISMS_BY_NAME: ReadonlyMap<string, SaslMechanism> = new Map(SASL_MECHANISMS.map((row) => [row.name, row]));

/** The row for a SASL mechanism name, matched without regard to case; null when unknown. */
export function findSaslMechanism(name: string): SaslMechanism | null {
  return MECHANISMS_BY_NAME.get(name.trim().toUpperCase()) ?? null;
}

// A reply line may arrive with its code ("250-SIZE 1000") or without ("SIZE 1000").
const REPLY_CODE_PREFIX = /^\d{3}(?:[ -]|$)/;

/**
 * Reads the lines of a positive EHLO reply into keyword → parameters.
 *
 * - The first line greets with the server's domain (RFC 5321 §4.1.1.1), not a
 *   keyword, and is skipped.
 * - Lines may keep their "250-"/"250 " prefix or come without it.
 * - Keywords are upper-cased, since they are compared without regard to case;
 *   parameters are kept as sent.
 * - "KEYWORD=first rest" is read as KEYWORD with parameters [first, rest], which
 *   covers the pre-standard "AUTH=PLAIN LOGIN" line.
 * - AUTH lines merge: a server that sends both "AUTH PLAIN LOGIN" and
 *   "AUTH=PLAIN LOGIN" ends up with one AUTH entry listing each mechanism once.
 *   For any other repeated keyword the last line wins.
 */
export function parseEhloReply(lines: readonly string[]): Map<string, string[]> {
  const keywords = new Map<string, string[]>();
  lines.forEach((line, index) => {
    if (index === 0) return;
    const text = line.replace(REPLY_CODE_PREFIX, '').trim();
    if (text === '') return;
    const words = text.split(/[ \t]+/);
    let keyword = words[0];
    let parameters = words.slice(1);
    const equals = keyword.indexOf('=');
    if (equals > 0) {
      const glued = keyword.slice(equals + 1);
      keyword = keyword.slice(0, equals);
      parameters = glued === '' ? parameters : [glued, ...parameters];
    }
    keyword = keyword.toUpperCase();
    const earlier = keywords.get(keyword);
    if (keyword === 'AUTH' && earlier) {
      const seen = new Set(earlier.map((mechanism) => mechanism.toUpperCase()));
      for (const mechanism of parameters) {
        if (!seen.has(mechanism.toUpperCase())) {
          seen.add(mechanism.toUpperCase());
          earlier.push(mechanism);
        }
      }
    } else {
      keywords.set(keyword, parameters);
    }
  });
  return keywords;
}

/**
 * The fixed maximum message size in octets that a SIZE keyword announces
 * (RFC 1870 §3), or null when the reply sets no limit: no SIZE keyword, SIZE
 * without a number, SIZE 0 (which means "no fixed maximum"), or a parameter
 * that is not a decimal number.
 */
export function ehloSizeLimit(keywords: ReadonlyMap<string, readonly string[]>): number | null {
  const parameters = keywords.get('SIZE');
  if (!parameters || parameters.length === 0) return null;
  const [first] = parameters;
  if (!/^\d+$/.test(first)) return null;
  const limit = Number(first);
  return limit > 0 && Number.isSafeInteger(limit) ? limit : null;
}
