/**
 * Enhanced mail system status codes (`class.subject.detail`, RFC 3463) as
 * data: the three classes, the eight subjects, and the detail codes of
 * RFC 3463 §3 plus later entries of the IANA registry set up by RFC 5248.
 *
 * One row per line, each with the section that defines it. Titles follow the
 * registry's names so they can be searched for; meanings are our own words.
 */

import type { RfcRef } from './rfc';

export type EnhancedStatusClass = 2 | 4 | 5;

export interface EnhancedStatusClassInfo {
  classDigit: EnhancedStatusClass;
  name: string;
  meaning: string;
  ref: RfcRef;
}

export interface EnhancedStatusSubjectInfo {
  subject: number;
  name: string;
  meaning: string;
  ref: RfcRef;
}

export interface EnhancedStatusDetailInfo {
  /** `subject.detail`, the class left out as the registry does (`X.1.1` → "1.1"). */
  code: string;
  title: string;
  meaning: string;
  ref: RfcRef;
  /**
   * The classes the defining text says the code is useful with ("useful only
   * as a permanent error" → [5]); null where the text does not say.
   */
  classes: readonly EnhancedStatusClass[] | null;
  /**
   * The registry's "associated basic status code" column: the reply codes the
   * detail is seen with. 'any' where the registry says any; null where it
   * gives none or where we have not seen the registry entry.
   */
  replyCodes: readonly number[] | 'any' | null;
}

const rfc3463 = (section: string): RfcRef => ({ rfc: 3463, section });
const rfc = (number: number, section: string): RfcRef => ({ rfc: number, section });

/** RFC 3463 §2: the class says whether delivery worked and, if not, whether it is worth trying again. */
export const ENHANCED_STATUS_CLASSES: readonly EnhancedStatusClassInfo[] = [
  { classDigit: 2, name: 'success', meaning: 'The report is about a delivery that worked; the detail may tell of changes made to deliver it.', ref: rfc3463('2') },
  { classDigit: 4, name: 'persistent transient failure', meaning: 'The message is fine, but a temporary condition that lasted stopped or delayed it; sending later may work.', ref: rfc3463('2') },
  { classDigit: 5, name: 'permanent failure', meaning: 'Sending the message again as it is will not work; the message or the destination has to change.', ref: rfc3463('2') },
];

/** RFC 3463 §2: the subject says roughly where the problem lies. */
export const ENHANCED_STATUS_SUBJECTS: readonly EnhancedStatusSubjectInfo[] = [
  { subject: 0, name: 'other or undefined', meaning: 'No information about where the problem lies.', ref: rfc3463('2') },
  { subject: 1, name: 'addressing', meaning: 'The sender or recipient address: its syntax or its validity. The sender can usually fix these and try again.', ref: rfc3463('2') },
  { subject: 2, name: 'mailbox', meaning: 'The recipient mailbox, which is under the recipient\'s control.', ref: rfc3463('2') },
  { subject: 3, name: 'mail system', meaning: 'The destination mail system, which is under its administrator\'s control.', ref: rfc3463('2') },
  { subject: 4, name: 'network and routing', meaning: 'The delivery infrastructure, such as the network, directory and routing services.', ref: rfc3463('2') },
  { subject: 5, name: 'mail delivery protocol', meaning: 'The delivery protocol itself, including implementation errors and unreliable connections.', ref: rfc3463('2') },
  { subject: 6, name: 'message content or media', meaning: 'The content of the message, such as media that cannot be carried or converted.', ref: rfc3463('2') },
  { subject: 7, name: 'security or policy', meaning: 'Security or policy: authentication, authorization, encryption and filtering.', ref: rfc3463('2') },
];

/**
 * Detail codes, ordered by subject then detail. Registry entries that are
 * missing here could not be tied to a checked section or have no RFC:
 * X.1.9 (RFC 3886), X.3.6, X.7.15, X.7.16 (RFC 6710), X.6.6 (RFC 4468),
 * X.6.10 (a withdrawn duplicate of X.6.8), X.7.17–X.7.19 (RFC 7293) and
 * X.7.28 (an Internet-Draft only). Such codes are still parsed and described
 * by class and subject.
 */
export const ENHANCED_STATUS_DETAILS: readonly EnhancedStatusDetailInfo[] = [
  { code: '0.0', title: 'Other undefined status', meaning: 'Only the class of the problem is known; for any condition no more specific code covers.', ref: rfc3463('3.1'), classes: null, replyCodes: 'any' },

  { code: '1.0', title: 'Other address status', meaning: 'Something about an address caused the report; no more detail is given.', ref: rfc3463('3.2'), classes: null, replyCodes: null },
  { code: '1.1', title: 'Bad destination mailbox address', meaning: 'The recipient mailbox does not exist: the part before the "@" is wrong.', ref: rfc3463('3.2'), classes: [5], replyCodes: [451, 550] },
  { code: '1.2', title: 'Bad destination system address', meaning: 'The recipient\'s domain, after the "@", does not exist or cannot take mail.', ref: rfc3463('3.2'), classes: [5], replyCodes: null },
  { code: '1.3', title: 'Bad destination mailbox address syntax', meaning: 'The recipient address is not valid syntax.', ref: rfc3463('3.2'), classes: [5], replyCodes: [501] },
  { code: '1.4', title: 'Destination mailbox address ambiguous', meaning: 'The address matches more than one mailbox at the destination.', ref: rfc3463('3.2'), classes: null, replyCodes: null },
  { code: '1.5', title: 'Destination address valid', meaning: 'The recipient address is good; meant for positive reports.', ref: rfc3463('3.2'), classes: [2], replyCodes: [250] },
  { code: '1.6', title: 'Destination mailbox has moved, No forwarding address', meaning: 'The address used to be valid but no longer takes mail, and no new address is known.', ref: rfc3463('3.2'), classes: [5], replyCodes: null },
  { code: '1.7', title: 'Bad sender\'s mailbox address syntax', meaning: 'The sender address is not valid syntax.', ref: rfc3463('3.2'), classes: null, replyCodes: null },
  { code: '1.8', title: 'Bad sender\'s system address', meaning: 'The sender\'s domain does not exist or cannot take mail sent back to it.', ref: rfc3463('3.2'), classes: null, replyCodes: [451, 501] },
  { code: '1.10', title: 'Recipient address has null MX', meaning: 'The recipient domain publishes a null MX record: it takes no mail at all.', ref: rfc(7505, '6'), classes: null, replyCodes: [556] },

  { code: '2.0', title: 'Other or undefined mailbox status', meaning: 'The mailbox exists, but something about it caused the report.', ref: rfc3463('3.3'), classes: null, replyCodes: null },
  { code: '2.1', title: 'Mailbox disabled, not accepting messages', meaning: 'The mailbox exists but takes no messages, for good or for the time being.', ref: rfc3463('3.3'), classes: [4, 5], replyCodes: null },
  { code: '2.2', title: 'Mailbox full', meaning: 'The mailbox is over its quota or capacity; its owner can make room by deleting mail.', ref: rfc3463('3.3'), classes: [4], replyCodes: [552] },
  { code: '2.3', title: 'Message length exceeds administrative limit', meaning: 'The message is longer than this mailbox\'s own size limit, which is below the system\'s.', ref: rfc3463('3.3'), classes: [5], replyCodes: [552] },
  { code: '2.4', title: 'Mailing list expansion problem', meaning: 'The address is a mailing list that could not be expanded.', ref: rfc3463('3.3'), classes: [4, 5], replyCodes: [450, 452] },

  { code: '3.0', title: 'Other or undefined mail system status', meaning: 'The destination normally takes mail, but something about the system caused the report.', ref: rfc3463('3.4'), classes: null, replyCodes: [221, 250, 421, 451, 550, 554] },
  { code: '3.1', title: 'Mail system full', meaning: 'The system has run out of storage; unlike 2.2, the recipient cannot make room.', ref: rfc3463('3.4'), classes: [4], replyCodes: [452] },
  { code: '3.2', title: 'System not accepting network messages', meaning: 'The host is not taking messages, for example because of shutdown, load or maintenance.', ref: rfc3463('3.4'), classes: [4, 5], replyCodes: [453, 521] },
  { code: '3.3', title: 'System not capable of selected features', meaning: 'The destination does not support features asked for the message, as when a gateway cannot map them.', ref: rfc3463('3.4'), classes: null, replyCodes: null },
  { code: '3.4', title: 'Message too big for system', meaning: 'The message is larger than the system\'s per-message limit.', ref: rfc3463('3.4'), classes: [5], replyCodes: [552, 554] },
  { code: '3.5', title: 'System incorrectly configured', meaning: 'The system is not set up in a way that lets it take this message.', ref: rfc3463('3.4'), classes: null, replyCodes: null },

  { code: '4.0', title: 'Other or undefined network or routing status', meaning: 'A network problem that no more specific code describes.', ref: rfc3463('3.5'), classes: null, replyCodes: null },
  { code: '4.1', title: 'No answer from host', meaning: 'The outbound connection attempt got no answer.', ref: rfc3463('3.5'), classes: [4], replyCodes: [451] },
  { code: '4.2', title: 'Bad connection', meaning: 'A connection was made but the transaction could not finish, through a time-out or a poor link.', ref: rfc3463('3.5'), classes: [4], replyCodes: [421] },
  { code: '4.3', title: 'Directory server failure', meaning: 'A directory server needed to forward the message, such as DNS, could not be reached.', ref: rfc3463('3.5'), classes: [4], replyCodes: [451, 550] },
  { code: '4.4', title: 'Unable to route', meaning: 'No next hop could be found from the directory information.', ref: rfc3463('3.5'), classes: [4, 5], replyCodes: null },
  { code: '4.5', title: 'Mail system congestion', meaning: 'The mail system was too congested to deliver the message.', ref: rfc3463('3.5'), classes: [4], replyCodes: [451] },
  { code: '4.6', title: 'Routing loop detected', meaning: 'The message went round a routing or forwarding loop too many times.', ref: rfc3463('3.5'), classes: [4], replyCodes: null },
  { code: '4.7', title: 'Delivery time expired', meaning: 'The message got too old: it waited too long or its time-to-live ran out.', ref: rfc3463('3.5'), classes: null, replyCodes: null },

  { code: '5.0', title: 'Other or undefined protocol status', meaning: 'A delivery protocol problem that no more specific code describes.', ref: rfc3463('3.6'), classes: null, replyCodes: [220, 250, 251, 252, 253, 451, 452, 454, 458, 459, 501, 502, 503, 554] },
  { code: '5.1', title: 'Invalid command', meaning: 'A command came out of sequence or is not supported.', ref: rfc3463('3.6'), classes: [5], replyCodes: [430, 500, 501, 503, 530, 550, 554, 555] },
  { code: '5.2', title: 'Syntax error', meaning: 'A command could not be read: its syntax is wrong or the command is unknown.', ref: rfc3463('3.6'), classes: [5], replyCodes: [500, 501, 502, 550, 555] },
  { code: '5.3', title: 'Too many recipients', meaning: 'More recipients than the protocol could take for one message.', ref: rfc3463('3.6'), classes: null, replyCodes: [451] },
  { code: '5.4', title: 'Invalid command arguments', meaning: 'A valid command had arguments out of range or naming features the server does not know.', ref: rfc3463('3.6'), classes: [5], replyCodes: [451, 501, 502, 503, 504, 550, 555] },
  { code: '5.5', title: 'Wrong protocol version', meaning: 'The two sides speak protocol versions that they could not reconcile.', ref: rfc3463('3.6'), classes: null, replyCodes: null },
  { code: '5.6', title: 'Authentication Exchange line is too long', meaning: 'A base64 line of an AUTH exchange was longer than the chosen SASL mechanism can take.', ref: rfc(4954, '6'), classes: [4, 5], replyCodes: [500] },

  { code: '6.0', title: 'Other or undefined media error', meaning: 'The content made the message undeliverable, for a reason no more specific code describes.', ref: rfc3463('3.7'), classes: null, replyCodes: null },
  { code: '6.1', title: 'Media not supported', meaning: 'The delivery protocol or the next system cannot carry the message\'s media.', ref: rfc3463('3.7'), classes: [5], replyCodes: null },
  { code: '6.2', title: 'Conversion required and prohibited', meaning: 'The content has to be converted for delivery, but the sender or a host forbids conversion.', ref: rfc3463('3.7'), classes: null, replyCodes: null },
  { code: '6.3', title: 'Conversion required but not supported', meaning: 'The content has to be converted, but no host on the way can do it (such as 8bit to 7bit).', ref: rfc3463('3.7'), classes: null, replyCodes: [554] },
  { code: '6.4', title: 'Conversion with loss performed', meaning: 'Delivered, but a conversion lost some data; a failure if the sender forbade lossy conversion.', ref: rfc3463('3.7'), classes: [2, 5], replyCodes: [250] },
  { code: '6.5', title: 'Conversion Failed', meaning: 'A needed conversion was tried and did not work.', ref: rfc3463('3.7'), classes: [4, 5], replyCodes: null },
  { code: '6.7', title: 'Non-ASCII addresses not permitted for that sender/recipient', meaning: 'A MAIL or RCPT address with non-ASCII characters is not accepted.', ref: rfc(6531, '4'), classes: null, replyCodes: [553, 550] },
  { code: '6.8', title: 'UTF-8 string reply is required, but not permitted by the SMTP client', meaning: 'The reply would have to show a UTF-8 mailbox name, which the client did not allow.', ref: rfc(6531, '4'), classes: null, replyCodes: [252, 553, 550] },
  { code: '6.9', title: 'UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected', meaning: 'After the final "." of DATA: a message with UTF-8 header fields cannot be passed on to some recipients.', ref: rfc(6531, '4'), classes: null, replyCodes: [550] },

  { code: '7.0', title: 'Other or undefined security status', meaning: 'A security problem no more specific code describes, or one that policy forbids describing.', ref: rfc3463('3.8'), classes: null, replyCodes: [220, 235, 450, 454, 500, 501, 503, 504, 530, 535, 550] },
  { code: '7.1', title: 'Delivery not authorized, message refused', meaning: 'The sender may not send to this destination, as decided by per-host or per-recipient filtering.', ref: rfc3463('3.8'), classes: [5], replyCodes: [451, 454, 502, 503, 533, 550, 551] },
  { code: '7.2', title: 'Mailing list expansion prohibited', meaning: 'The sender may not send to this mailing list.', ref: rfc3463('3.8'), classes: [5], replyCodes: [550] },
  { code: '7.3', title: 'Security conversion required but not possible', meaning: 'Delivery needed a conversion from one secure messaging protocol to another that could not be done.', ref: rfc3463('3.8'), classes: [5], replyCodes: null },
  { code: '7.4', title: 'Security features not supported', meaning: 'The message uses security features, such as secure authentication, that the delivery protocol cannot support.', ref: rfc3463('3.8'), classes: [5], replyCodes: [504] },
  { code: '7.5', title: 'Cryptographic failure', meaning: 'A system allowed to check or decrypt the message could not, for lack of a valid key or similar information.', ref: rfc3463('3.8'), classes: null, replyCodes: null },
  { code: '7.6', title: 'Cryptographic algorithm not supported', meaning: 'A system allowed to check or decrypt the message could not, because it lacks the algorithm.', ref: rfc3463('3.8'), classes: null, replyCodes: null },
  { code: '7.7', title: 'Message integrity failure', meaning: 'The message could not be validated because it was corrupted or altered on the way.', ref: rfc3463('3.8'), classes: [2, 4, 5], replyCodes: null },
  { code: '7.8', title: 'Authentication credentials invalid', meaning: 'AUTH failed because the credentials are wrong or not sufficient; the user should be asked for new ones.', ref: rfc(4954, '6'), classes: null, replyCodes: [535, 554] },
  { code: '7.9', title: 'Authentication mechanism is too weak', meaning: 'The chosen AUTH mechanism is weaker than policy allows for this user; another mechanism may work.', ref: rfc(4954, '6'), classes: null, replyCodes: [534] },
  { code: '7.10', title: 'Encryption Needed', meaning: 'The requested AUTH mechanism needs an outer privacy layer such as TLS first.', ref: rfc(5248, '2.4'), classes: null, replyCodes: [523] },
  { code: '7.11', title: 'Encryption required for requested authentication mechanism', meaning: 'The chosen AUTH mechanism may only be used over an encrypted connection.', ref: rfc(4954, '6'), classes: null, replyCodes: [524, 538] },
  { code: '7.12', title: 'A password transition is needed', meaning: 'The user has to authenticate once another way, usually with PLAIN, before the chosen mechanism works.', ref: rfc(4954, '6'), classes: null, replyCodes: [422, 432] },
  { code: '7.13', title: 'User Account Disabled', meaning: 'Authentication worked but the account is disabled; only its administrator can turn it back on.', ref: rfc(5248, '2.4'), classes: [5], replyCodes: [525] },
  { code: '7.14', title: 'Trust relationship required', meaning: 'The submission server needs a configured trust relationship with a third party to fetch the message content.', ref: rfc(5248, '2.4'), classes: null, replyCodes: [535, 554] },
  { code: '7.20', title: 'No passing DKIM signature found', meaning: 'The message carries no DKIM signature that verifies.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.21', title: 'No acceptable DKIM signature found', meaning: 'Some DKIM signatures verify, but none is acceptable to the receiver.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.22', title: 'No valid author-matched DKIM signature found', meaning: 'DKIM signatures verify, but none is from a domain matching the author in From; a special case of 7.21.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.23', title: 'SPF validation failed', meaning: 'An SPF check gave "fail" and local policy refuses such mail.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.24', title: 'SPF validation error', meaning: 'Evaluating SPF for the message ended in an error.', ref: rfc(7372, '3'), classes: null, replyCodes: [451, 550] },
  { code: '7.25', title: 'Reverse DNS validation failed', meaning: 'The client\'s IP address failed the reverse DNS check that local policy requires.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.26', title: 'Multiple authentication checks failed', meaning: 'More than one message authentication check failed; which ones is not said.', ref: rfc(7372, '3'), classes: null, replyCodes: [550] },
  { code: '7.27', title: 'Sender address has null MX', meaning: 'The sender\'s domain publishes a null MX, so no report could reach it, and the receiver refuses such senders.', ref: rfc(7505, '6'), classes: null, replyCodes: [550] },
  { code: '7.29', title: 'ARC validation failure', meaning: 'The message failed ARC (Authenticated Received Chain) validation.', ref: rfc(8617, '5.2.2'), classes: null, replyCodes: null },
  { code: '7.30', title: 'REQUIRETLS support required', meaning: 'The message asks for REQUIRETLS, and the next hop does not offer it, so it cannot be relayed.', ref: rfc(8689, '4.2'), classes: null, replyCodes: null },
];

/**
 * The reply codes a detail is seen with, kept to the ones of the code's own
 * class: the registry lists them for every class at once (X.7.1 with 451 and
 * 550), but a reply and its enhanced code share the class (RFC 3463 §2,
 * RFC 2034 §4), so 5.7.1 is only ever seen with 5yz replies.
 */
export function replyCodesOfClass(detail: EnhancedStatusDetailInfo, classDigit: EnhancedStatusClass): readonly number[] | 'any' | null {
  if (detail.replyCodes === null || detail.replyCodes === 'any') return detail.replyCodes;
  const codes = detail.replyCodes.filter((code) => Math.floor(code / 100) === classDigit);
  return codes.length > 0 ? codes : null;
}

const detailsByCode = new Map(ENHANCED_STATUS_DETAILS.map((row) => [row.code, row]));

/** The row for `subject.detail`, or null if it is not in the table. */
export function findEnhancedStatusDetail(subject: number, detail: number): EnhancedStatusDetailInfo | null {
  return detailsByCode.get(`${subject}.${detail}`) ?? null;
}

export interface EnhancedStatusCode {
  /** The text as given, such as "5.1.1" or "5.1.x". */
  text: string;
  classDigit: EnhancedStatusClass;
  /** Null for an `x` wildcard. */
  subject: number | null;
  /** Null for an `x` wildcard. */
  detail: number | null;
}

// RFC 3463 §2: status-code = class "." subject "." detail, class = "2"/"4"/"5",
// subject and detail = 1*3digit written without leading zeros. An `x` (either
// case) stands for any value in a transcript's expectations.
const SUB_CODE = '(0|[1-9][0-9]{0,2}|[xX])';
const ENHANCED_STATUS_CODE = new RegExp(`^([245])\\.${SUB_CODE}\\.${SUB_CODE}$`);

/** Why `text` is not an enhanced status code, or null when it is one. */
export function explainInvalidEnhancedStatusCode(text: string): string | null {
  if (ENHANCED_STATUS_CODE.test(text)) return null;
  const parts = text.split('.');
  if (parts.length !== 3) return `An enhanced status code has three parts, class.subject.detail (RFC 3463 §2); "${text}" has ${parts.length}.`;
  const [classText, ...subCodes] = parts;
  if (!/^[245]$/.test(classText)) return `The class of an enhanced status code is 2, 4 or 5 (RFC 3463 §2), not "${classText}".`;
  for (const [name, subCode] of [['subject', subCodes[0]], ['detail', subCodes[1]]] as const) {
    if (!/^([0-9]{1,3}|[xX])$/.test(subCode)) return `The ${name} of an enhanced status code is a number of one to three digits (RFC 3463 §2), not "${subCode}".`;
    if (subCode.length > 1 && subCode.startsWith('0')) return `The ${name} "${subCode}" has a leading zero, which RFC 3463 §2 does not allow.`;
  }
  return `"${text}" is not an enhanced status code (RFC 3463 §2).`;
}

/**
 * RFC 3463 §2: the length of the `class.subject.detail` at `at` in `text` —
 * class 2, 4 or 5, then one to three digits each (or, with `wildcards`, one
 * `x` as an expectation writes) — when a space or `end` follows it; else 0.
 * Scanned by hand: the reply reader and the parser pass every reply line here.
 */
export function enhancedCodeLength(text: string, at: number, end: number, wildcards: boolean): number {
  const first = text.charCodeAt(at);
  if ((first !== 0x32 && first !== 0x34 && first !== 0x35) || text.charCodeAt(at + 1) !== 0x2e) return 0;
  const subjectEnd = subCodeEnd(text, at + 2, end, wildcards);
  if (subjectEnd === -1 || text.charCodeAt(subjectEnd) !== 0x2e) return 0;
  const detailEnd = subCodeEnd(text, subjectEnd + 1, end, wildcards);
  if (detailEnd === -1 || (detailEnd !== end && text.charCodeAt(detailEnd) !== 0x20)) return 0;
  return detailEnd - at;
}

/** After one to three digits (or one `x` with `wildcards`) at `at`; -1 when there are none. */
function subCodeEnd(text: string, at: number, end: number, wildcards: boolean): number {
  if (at >= end) return -1;
  if (wildcards && (text.charCodeAt(at) | 0x20) === 0x78) return at + 1;
  let i = at;
  while (i < end && i < at + 3 && isDigitCode(text.charCodeAt(i))) i++;
  return i === at ? -1 : i;
}

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Reads `class.subject.detail` (with `x` wildcards); null when the text is not one. */
export function parseEnhancedStatusCode(text: string): EnhancedStatusCode | null {
  const match = ENHANCED_STATUS_CODE.exec(text);
  if (!match) return null;
  const subCode = (value: string): number | null => (value === 'x' || value === 'X' ? null : Number(value));
  return { text, classDigit: Number(match[1]) as EnhancedStatusClass, subject: subCode(match[2]), detail: subCode(match[3]) };
}

export interface EnhancedStatusDescription {
  code: string;
  classMeaning: string;
  /** "any" for a wildcard; null when the subject is not registered. */
  subjectMeaning: string | null;
  /** "any" for a wildcard; null when the detail is not registered under this subject. */
  detailMeaning: string | null;
  classInfo: EnhancedStatusClassInfo;
  subjectInfo: EnhancedStatusSubjectInfo | null;
  detailInfo: EnhancedStatusDetailInfo | null;
}

export const ANY_SUB_CODE = 'any';

/**
 * The meaning of each part of a code. A client that does not know the detail
 * should still report the class and subject (RFC 3463 §2), so an
 * unregistered detail leaves only `detailMeaning` null. Null when `code` is
 * text that does not parse.
 */
export function describeEnhancedStatusCode(code: string | EnhancedStatusCode): EnhancedStatusDescription | null {
  const parsed = typeof code === 'string' ? parseEnhancedStatusCode(code) : code;
  if (!parsed) return null;
  const classInfo = ENHANCED_STATUS_CLASSES.find((row) => row.classDigit === parsed.classDigit);
  if (!classInfo) return null;
  const subjectInfo = parsed.subject === null ? null : ENHANCED_STATUS_SUBJECTS.find((row) => row.subject === parsed.subject) ?? null;
  const detailInfo = parsed.subject === null || parsed.detail === null ? null : findEnhancedStatusDetail(parsed.subject, parsed.detail);
  return {
    code: parsed.text,
    classMeaning: classInfo.name,
    subjectMeaning: parsed.subject === null ? ANY_SUB_CODE : subjectInfo?.name ?? null,
    // A detail only has a meaning under a known subject, so `5.x.1` has none.
    detailMeaning: parsed.detail === null ? ANY_SUB_CODE : detailInfo?.title ?? null,
    classInfo,
    subjectInfo,
    detailInfo,
  };
}
