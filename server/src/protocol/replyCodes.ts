/**
 * SMTP reply codes as data: the three-digit codes of RFC 5321 §4.2 and the
 * ones SMTP extensions added, plus what each digit position means.
 *
 * One row per line so that a reviewer can hold a row next to the section it
 * cites. Meanings are our own short wording; the cited section is the
 * authority.
 */

import { PRDR_DRAFT, type VendorDocument } from './commands';
import type { RfcRef } from './rfc';

/** What the first digit says happened (RFC 5321 §4.2.1). */
export type ReplyOutcome = 'success' | 'intermediate' | 'transient' | 'permanent';

export interface ReplyCodeInfo {
  code: number;
  /** Two to four words, short enough for an inlay hint. */
  shortMeaning: string;
  /** One line saying what the server means by the code. */
  meaning: string;
  /** Where the code is defined. */
  ref: RfcRef;
  /** Other places that give the code a further use or rule. */
  alsoIn: readonly RfcRef[];
  /** For 4yz and 5yz codes: what a client should do next; null for positive replies. */
  clientAction: string | null;
  /** A code no RFC defines: the document that does (`ref` is then the RFC that gives it its class). */
  vendorDocument?: VendorDocument;
}

const rfc5321 = (section: string): RfcRef => ({ rfc: 5321, section });
const rfc = (number: number, section: string): RfcRef => ({ rfc: number, section });

/**
 * Every code of RFC 5321 §4.2.2/§4.2.3 and the extension codes we could tie
 * to a section, in numeric order. Codes seen only in registries or vendor
 * lists (253, 458 and 459 of ETRN, 523–525, 453) are left out until a section
 * for them is checked.
 */
export const REPLY_CODES: readonly ReplyCodeInfo[] = [
  { code: 211, shortMeaning: 'system status', meaning: 'System status, or a reply to a request for system help.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: null },
  { code: 214, shortMeaning: 'help message', meaning: 'Help text for a human reader, such as the answer to HELP.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: null },
  { code: 220, shortMeaning: 'service ready', meaning: 'The server is ready: the greeting (its text starts with the server\'s domain), or after STARTTLS, ready to start TLS.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.3.1'), rfc(3207, '4')], clientAction: null },
  { code: 221, shortMeaning: 'closing connection', meaning: 'The server is closing the transmission channel, normally in answer to QUIT.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: null },
  { code: 235, shortMeaning: 'authentication succeeded', meaning: 'The AUTH exchange succeeded; the session is now authenticated.', ref: rfc(4954, '6'), alsoIn: [rfc(4954, '4')], clientAction: null },
  { code: 250, shortMeaning: 'action completed', meaning: 'The requested action was carried out.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: null },
  { code: 251, shortMeaning: 'will forward', meaning: 'The user is not local; the server will forward the message to the forward-path given in the text.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('3.4')], clientAction: null },
  { code: 252, shortMeaning: 'cannot verify, will try', meaning: 'The server could not verify the user (VRFY) but will accept mail for it and attempt delivery.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('3.5.3')], clientAction: null },
  { code: 253, shortMeaning: 'queue run started', meaning: 'ETRN accepted: a queue run for the node has started, and the text says how many messages are pending.', ref: rfc(1985, '5.1'), alsoIn: [], clientAction: null },
  { code: 334, shortMeaning: 'authentication challenge', meaning: 'A step of the AUTH exchange: the text is a base64 challenge and the server waits for one base64 response line.', ref: rfc(4954, '4'), alsoIn: [], clientAction: null },
  { code: 353, shortMeaning: 'per-recipient replies follow', meaning: 'PRDR: the content arrived; one reply per accepted recipient follows, in RCPT order, then one for the whole message.', ref: rfc5321('4.2.1'), alsoIn: [], clientAction: null, vendorDocument: PRDR_DRAFT },
  { code: 354, shortMeaning: 'start mail input', meaning: 'The server waits for the message content, ended by a line holding only "." (<CRLF>.<CRLF>).', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: null },
  { code: 421, shortMeaning: 'service closing', meaning: 'The service is not available and the server is closing the channel; it may answer any command this way when it must shut down.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.3.2')], clientAction: 'Treat the session as ended and try the whole transaction again later.' },
  { code: 432, shortMeaning: 'password transition needed', meaning: 'Before the chosen AUTH mechanism works, the user has to authenticate once another way, usually with PLAIN.', ref: rfc(4954, '6'), alsoIn: [], clientAction: 'Authenticate once with PLAIN over an encrypted connection, then use the chosen mechanism in later sessions.' },
  { code: 450, shortMeaning: 'mailbox unavailable', meaning: 'The mailbox is unavailable for now (busy, or blocked for policy reasons for the time being); nothing was done.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: 'Keep the message and retry this recipient later.' },
  { code: 451, shortMeaning: 'local error', meaning: 'The server hit a local error while processing and aborted the action.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: 'Keep the message and retry later.' },
  { code: 452, shortMeaning: 'insufficient storage', meaning: 'Not enough system storage to take the action; also the correct answer to one RCPT too many.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.5.3.1.10')], clientAction: 'Retry later; after a 452 to RCPT for too many recipients, send the refused recipients in a later transaction.' },
  { code: 453, shortMeaning: 'no mail queued', meaning: 'ATRN found no mail waiting for the client\'s domains, so the roles are not reversed.', ref: rfc(2645, '7'), alsoIn: [], clientAction: 'Nothing to collect now; send QUIT, or ATRN again later.' },
  { code: 454, shortMeaning: 'TLS/AUTH temporarily unavailable', meaning: 'STARTTLS cannot be done for a temporary reason, or AUTH failed because of a temporary server failure.', ref: rfc(3207, '4'), alsoIn: [rfc(4954, '6')], clientAction: 'Retry later; do not carry on unencrypted or unauthenticated if the message needs it.' },
  { code: 455, shortMeaning: 'parameters not accommodated', meaning: 'The server cannot accommodate one or more MAIL or RCPT parameters for now.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.1.1.11')], clientAction: 'Retry later with the same parameters.' },
  { code: 458, shortMeaning: 'queue run refused', meaning: 'ETRN refused: the server cannot start a queue run for the node now.', ref: rfc(1985, '5.1'), alsoIn: [], clientAction: 'Try ETRN again later.' },
  { code: 459, shortMeaning: 'node not allowed', meaning: 'ETRN refused: the node may not be dequeued, for the reason the text gives.', ref: rfc(1985, '5.1'), alsoIn: [], clientAction: 'Do not repeat the request for this node; ask the server\'s administrator.' },
  { code: 500, shortMeaning: 'command unrecognized', meaning: 'Syntax error: the command was not recognized, or the command line was too long.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.2.4'), rfc5321('4.3.2'), rfc(4954, '6')], clientAction: 'Fix the command line; do not send the same line again.' },
  { code: 501, shortMeaning: 'argument syntax error', meaning: 'Syntax error in the parameters or arguments, including arguments given to a command that takes none.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.3.2'), rfc(3207, '4')], clientAction: 'Correct the arguments before sending the command again.' },
  { code: 502, shortMeaning: 'command not implemented', meaning: 'The server recognizes the command but does not implement it.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.2.4')], clientAction: 'Do not use this command with this server.' },
  { code: 503, shortMeaning: 'bad command sequence', meaning: 'The command came out of order, such as RCPT before MAIL or DATA before any accepted RCPT.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: 'Send the commands the session still needs first, or RSET and start the transaction over.' },
  { code: 504, shortMeaning: 'parameter not implemented', meaning: 'The command is implemented but the parameter it was given is not.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: 'Send the command without that parameter or with one the server supports.' },
  { code: 521, shortMeaning: 'host accepts no mail', meaning: 'This host does not accept mail at all; usually sent instead of the 220 greeting.', ref: rfc(7504, '3'), alsoIn: [], clientAction: 'Do not retry this host; try another MX host or return the message.' },
  { code: 530, shortMeaning: 'authentication or TLS required', meaning: 'Policy requires authentication, or a STARTTLS first, before the server takes this command.', ref: rfc(4954, '6'), alsoIn: [rfc(3207, '4')], clientAction: 'Issue STARTTLS and/or AUTH, then send the command again.' },
  { code: 534, shortMeaning: 'mechanism too weak', meaning: 'The chosen AUTH mechanism is weaker than server policy allows for this user.', ref: rfc(4954, '6'), alsoIn: [], clientAction: 'Authenticate again with a stronger mechanism.' },
  { code: 535, shortMeaning: 'credentials invalid', meaning: 'AUTH failed: the credentials are wrong or not sufficient.', ref: rfc(4954, '6'), alsoIn: [], clientAction: 'Ask the user for new credentials; do not resend the same ones.' },
  { code: 538, shortMeaning: 'encryption required for mechanism', meaning: 'The chosen AUTH mechanism may only be used over an encrypted connection.', ref: rfc(4954, '6'), alsoIn: [], clientAction: 'Issue STARTTLS first, then authenticate.' },
  { code: 550, shortMeaning: 'mailbox unavailable', meaning: 'Action not taken: the mailbox is unavailable (not found, no access, or refused by policy).', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('3.4')], clientAction: 'Do not retry this recipient unchanged; report the failure to the sender.' },
  { code: 551, shortMeaning: 'user not local', meaning: 'The user is not local here; the text may give a forward-path to try instead.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('3.4')], clientAction: 'Do not retry this server; use the forward-path from the text, or return the message.' },
  { code: 552, shortMeaning: 'storage allocation exceeded', meaning: 'The action was aborted because it would exceed a storage allocation, such as a size limit.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.5.3.1.10'), rfc(1870, '6.1'), rfc(1870, '6.4')], clientAction: 'Do not resend the message unchanged; but treat a 552 to RCPT for too many recipients like 452.' },
  { code: 553, shortMeaning: 'mailbox name not allowed', meaning: 'Action not taken: the mailbox name is not allowed, for example because its syntax is wrong.', ref: rfc5321('4.2.2'), alsoIn: [], clientAction: 'Correct the address before trying again.' },
  { code: 554, shortMeaning: 'transaction failed', meaning: 'The transaction failed (after DATA: no valid recipients); as the first reply on a connection it means no SMTP service here.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('3.1'), rfc5321('3.3'), rfc5321('4.3.2')], clientAction: 'Do not repeat the transaction unchanged; after a 554 greeting, send QUIT and try another host.' },
  { code: 555, shortMeaning: 'parameters not recognized', meaning: 'A MAIL FROM or RCPT TO parameter is not recognized or not implemented.', ref: rfc5321('4.2.2'), alsoIn: [rfc5321('4.1.1.11')], clientAction: 'Send the command again without the parameters the server does not support.' },
  { code: 556, shortMeaning: 'domain accepts no mail', meaning: 'The recipient domain accepts no mail at all, as a null MX record tells; reported by a host that cannot pass the message on.', ref: rfc(7504, '4'), alsoIn: [rfc(7505, '6')], clientAction: 'Do not retry; return the message for that recipient.' },
];

export interface ReplyDigitMeaning {
  digit: number;
  name: string;
  meaning: string;
  ref: RfcRef;
}

export interface ReplyFirstDigitMeaning extends ReplyDigitMeaning {
  outcome: ReplyOutcome;
}

/** RFC 5321 §4.2.1: the first digit tells a client whether to go on, resend, or give up. */
export const REPLY_FIRST_DIGITS: readonly ReplyFirstDigitMeaning[] = [
  { digit: 2, name: 'positive completion', outcome: 'success', meaning: 'The requested action is done; the client may start a new request.', ref: rfc5321('4.2.1') },
  { digit: 3, name: 'positive intermediate', outcome: 'intermediate', meaning: 'The command was accepted but the action waits for more input from the client, as after DATA.', ref: rfc5321('4.2.1') },
  { digit: 4, name: 'transient negative completion', outcome: 'transient', meaning: 'The command was refused and nothing happened, but the condition is temporary: the same request may succeed later.', ref: rfc5321('4.2.1') },
  { digit: 5, name: 'permanent negative completion', outcome: 'permanent', meaning: 'The command was refused and nothing happened; the client should not repeat the same request unchanged.', ref: rfc5321('4.2.1') },
];

/** RFC 5321 §4.2.1: the second digit names the kind of reply. 3 and 4 have no category. */
export const REPLY_SECOND_DIGITS: readonly ReplyDigitMeaning[] = [
  { digit: 0, name: 'syntax', meaning: 'Syntax errors, commands that fit no other category, and unimplemented or superfluous commands.', ref: rfc5321('4.2.1') },
  { digit: 1, name: 'information', meaning: 'Answers to requests for information, such as status or help.', ref: rfc5321('4.2.1') },
  { digit: 2, name: 'connections', meaning: 'Replies about the transmission channel.', ref: rfc5321('4.2.1') },
  { digit: 3, name: 'unspecified', meaning: 'No category is assigned to this digit.', ref: rfc5321('4.2.1') },
  { digit: 4, name: 'unspecified', meaning: 'No category is assigned to this digit.', ref: rfc5321('4.2.1') },
  { digit: 5, name: 'mail system', meaning: 'The state of the receiving mail system with respect to the requested transfer or other mail action.', ref: rfc5321('4.2.1') },
];

/** RFC 5321 §4.2.1: the third digit only grades the meaning within the second digit's category. */
export const REPLY_THIRD_DIGIT_MEANING = 'A finer grade of meaning within the category of the second digit.';

const replyCodesByNumber = new Map(REPLY_CODES.map((row) => [row.code, row]));

/** Reads a reply code given as a number or as three digit characters; null for anything else. */
function toCodeNumber(code: number | string): number | null {
  if (typeof code === 'number') return Number.isInteger(code) && code >= 100 && code <= 999 ? code : null;
  return /^[0-9]{3}$/.test(code) ? Number(code) : null;
}

/** The row for a reply code we know, or null (unknown codes: see `describeReplyCodeFromDigits`). */
export function findReplyCode(code: number | string): ReplyCodeInfo | null {
  const number = toCodeNumber(code);
  return number === null ? null : replyCodesByNumber.get(number) ?? null;
}

export interface ReplyDigitDescription {
  /** The character as written: a digit, or `x` in an expectation such as `25x`. */
  digit: string;
  name: string;
  meaning: string;
}

export interface ReplyDigitsDescription {
  first: ReplyDigitDescription;
  second: ReplyDigitDescription;
  third: ReplyDigitDescription;
}

const ANY_DIGIT = (position: string): ReplyDigitDescription => ({ digit: 'x', name: 'any', meaning: `Any ${position} digit.` });

/**
 * Splits a code into the meaning of each digit. Accepts `x` for any digit,
 * as transcript expectations do (`2xx`, `25x`). Returns null unless the
 * code fits RFC 5321 §4.2's Reply-code: first digit 2–5, second 0–5.
 */
export function describeReplyDigits(code: number | string): ReplyDigitsDescription | null {
  const text = typeof code === 'number' ? (toCodeNumber(code) === null ? '' : String(code)) : code.toLowerCase();
  if (!/^[2-5x][0-5x][0-9x]$/.test(text)) return null;
  const firstRow = REPLY_FIRST_DIGITS.find((row) => String(row.digit) === text[0]);
  const secondRow = REPLY_SECOND_DIGITS.find((row) => String(row.digit) === text[1]);
  return {
    first: firstRow ? { digit: text[0], name: firstRow.name, meaning: firstRow.meaning } : ANY_DIGIT('first'),
    second: secondRow ? { digit: text[1], name: secondRow.name, meaning: secondRow.meaning } : ANY_DIGIT('second'),
    third: text[2] === 'x' ? ANY_DIGIT('third') : { digit: text[2], name: 'detail', meaning: REPLY_THIRD_DIGIT_MEANING },
  };
}

/** What the first digit says happened; null when the code is malformed or its first digit is `x`. */
export function replyOutcome(code: number | string): ReplyOutcome | null {
  const digits = describeReplyDigits(code);
  if (!digits) return null;
  return REPLY_FIRST_DIGITS.find((row) => String(row.digit) === digits.first.digit)?.outcome ?? null;
}

/**
 * A description built from the digits alone, for well-formed codes that are
 * in no table: 259 → "positive completion, mail system". RFC 5321 §4.2 asks
 * clients to act on codes they do not know by their first digit, which this
 * leads with. Null for malformed codes.
 */
export function describeReplyCodeFromDigits(code: number | string): string | null {
  const digits = describeReplyDigits(code);
  if (!digits) return null;
  const parts = [digits.first, digits.second].filter((part) => part.digit !== 'x').map((part) => part.name);
  return parts.length === 0 ? 'any reply' : parts.join(', ');
}
