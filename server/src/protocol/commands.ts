/**
 * SMTP commands as data: the verbs of RFC 5321, the ones extensions added,
 * the RFC 821 verbs that were retired, and two Postfix private commands.
 *
 * One row per line so that a reviewer can hold a row next to the sections it
 * cites. Purposes are our own wording; the cited sections are the authority.
 */

import type { RfcRef } from './rfc';

/** A non-RFC document that defines a fact, for vendor commands and keywords. */
export interface VendorDocument {
  vendor: string;
  document: string;
}

/** Where a fact comes from: an RFC section, or a vendor's own documentation. */
export type FactSource = RfcRef | VendorDocument;

/** 'lmtp': a command of LMTP (RFC 2033), the local delivery protocol built on SMTP, that SMTP servers refuse. */
export type CommandStatus = 'standard' | 'extension' | 'obsolete' | 'vendor' | 'lmtp';

/** Whether the verb must, may or must not be followed by an argument. */
export type ArgumentRule = 'required' | 'optional' | 'none';

/**
 * The replies one document allows for a command. A command's full set is the
 * union of its rows, so each code can be checked against the document that
 * introduced it.
 */
export interface ReplyCodeSet {
  from: FactSource;
  /**
   * 'after-content' marks replies that come only after the message content
   * (the final reply of DATA once the lone "." has been sent); without it the
   * codes answer the command line itself.
   */
  phase?: 'after-content';
  success?: readonly number[];
  intermediate?: readonly number[];
  error?: readonly number[];
}

export interface SmtpCommand {
  verb: string;
  /** ABNF-like one-liner of the command line, without the final CRLF. */
  syntax: string;
  /** One sentence on what the client asks for. */
  purpose: string;
  /** The section that defines the command. */
  ref: RfcRef;
  /** The EHLO keyword a server announces when it offers the command; null for the commands every server has. */
  ehloKeyword: string | null;
  replies: readonly ReplyCodeSet[];
  /** True when, with PIPELINING, the command may only be the last of a group of commands sent together. */
  endsPipelineGroup: boolean;
  /** The document that settles `endsPipelineGroup`. */
  pipeliningFrom: FactSource;
  obsolete: boolean;
  /** Where the command was retired; null while it is current. */
  retiredBy: RfcRef | null;
  arguments: ArgumentRule;
  status: CommandStatus;
  /** The vendor documentation that defines a private command; null for RFC commands. */
  vendorDocument: VendorDocument | null;
}

const rfc = (number: number, section: string): RfcRef => ({ rfc: number, section });

/** PRDR never became an RFC: the expired draft, as Exim and swaks implement it. */
export const PRDR_DRAFT: VendorDocument = { vendor: 'Exim and swaks', document: 'draft-hall-prdr-00 §4 (Per-Recipient Data Responses, an expired Internet-Draft)' };

const postfixXclient: VendorDocument = { vendor: 'Postfix', document: 'XCLIENT_README' };
const postfixXforward: VendorDocument = { vendor: 'Postfix', document: 'XFORWARD_README' };

// RFC 2920 §3.1 lists which RFC 5321 commands may sit anywhere in a pipelined
// group and which must end one, and says commands of later extensions end a
// group unless their own RFC says otherwise.
const PIPELINING_RULES = rfc(2920, '3.1');

// RFC 3207 §4: a server that insists on TLS answers 530 to everything except
// NOOP, EHLO, STARTTLS and QUIT until TLS is up.
const TLS_REQUIRED: ReplyCodeSet = { from: rfc(3207, '4'), error: [530] };
// RFC 4954 §6: a server that insists on authentication answers 530 to
// everything except AUTH, EHLO, HELO, NOOP, RSET and QUIT until AUTH succeeds.
const AUTH_REQUIRED: ReplyCodeSet = { from: rfc(4954, '6'), error: [530] };
// RFC 7504 §3: a host that accepts no mail at all may answer 521.
const HOST_ACCEPTS_NO_MAIL: ReplyCodeSet = { from: rfc(7504, '3'), error: [521] };
// A repeated HELO/EHLO: RFC 5321 §4.1.4 lets a client send EHLO again (the
// server then resets as for RSET), but OpenSMTPD ("503 5.5.1 Invalid command:
// Already identified") and Sendmail ("503 5.0.0 Duplicate HELO/EHLO") refuse
// it with 503, so a real dialogue holds that reply (test/interop recorded it).
const REPEATED_GREETING_REFUSED: ReplyCodeSet = { from: { vendor: 'OpenSMTPD and Sendmail', document: 'smtp_session.c ("Already identified"), srvrsmtp.c ("Duplicate HELO/EHLO")' }, error: [503] };
// RFC 5321 §4.2.2 names 503 "bad sequence of commands" without listing it for extension verbs; Postfix answers
// STARTTLS, AUTH and ETRN out of order with it ("send HELO/EHLO first", "MAIL transaction in progress").
const OUT_OF_SEQUENCE: ReplyCodeSet = { from: { vendor: 'Postfix', document: 'smtpd.c (503 5.5.1 "Error: send HELO/EHLO first", "Error: MAIL transaction in progress")' }, error: [503] };
// RFC 5321 §4.2.4: a server that knows a verb but does not offer it says 502.
// Only commands a server may leave out get this row; the required ones of
// RFC 5321 §4.5.1 must not be answered so.
const NOT_IMPLEMENTED: ReplyCodeSet = { from: rfc(5321, '4.2.4'), error: [502] };

/**
 * RFC 5321 §4.3.2: any command may also get 500 (line too long or verb not
 * recognized), 501 (syntax error in the arguments) or 421 (service shutting
 * down), on top of the codes each row lists.
 */
/** RFC 5321 §4.3.2, connection establishment: the greeting is 220, or 554 for a server that will not talk; 421 may come at any time (§3.8). */
export const GREETING_REPLY_CODES: readonly number[] = [220, 421, 554];

export const ANY_COMMAND_REPLIES: ReplyCodeSet = { from: rfc(5321, '4.3.2'), error: [421, 500, 501] };

/**
 * Every command, base commands first. `nearestCommand` prefers earlier rows
 * on a tie, so the order also decides which suggestion wins ("DAT" gets DATA,
 * not BDAT).
 */
export const COMMANDS: readonly SmtpCommand[] = [
  { verb: 'EHLO', syntax: 'EHLO SP ( Domain / address-literal )', purpose: 'Opens an extended session: the client gives its name and asks the server to list the service extensions it offers.', ref: rfc(5321, '4.1.1.1'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250], error: [504, 550, 502] }, HOST_ACCEPTS_NO_MAIL, REPEATED_GREETING_REFUSED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  // RFC 2920 §3.1 does not name HELO (pipelining is only offered after EHLO); like EHLO it resets the session, so it ends a group.
  { verb: 'HELO', syntax: 'HELO SP Domain', purpose: 'Opens a session without service extensions, the RFC 821 greeting that servers still have to accept from old clients.', ref: rfc(5321, '4.1.1.1'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250], error: [504, 550, 502] }, HOST_ACCEPTS_NO_MAIL, TLS_REQUIRED, REPEATED_GREETING_REFUSED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  { verb: 'MAIL', syntax: 'MAIL FROM:<reverse-path> [SP mail-parameters]', purpose: 'Starts a mail transaction and gives the reverse-path, the address that delivery failures are reported to (empty for bounces).', ref: rfc(5321, '4.1.1.2'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250], error: [552, 451, 452, 550, 553, 503, 455, 555] }, { from: rfc(1870, '6.1'), error: [452, 552] }, AUTH_REQUIRED, TLS_REQUIRED, HOST_ACCEPTS_NO_MAIL], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  { verb: 'RCPT', syntax: 'RCPT TO:<forward-path> [SP rcpt-parameters]', purpose: 'Adds one recipient to the open transaction; a message to several recipients takes one RCPT each.', ref: rfc(5321, '4.1.1.3'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250, 251], error: [550, 551, 552, 553, 450, 451, 452, 503, 455, 555] }, { from: rfc(1870, '6.4'), error: [452, 552] }, { from: rfc(7504, '4'), error: [556] }, AUTH_REQUIRED, TLS_REQUIRED, HOST_ACCEPTS_NO_MAIL], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  // The 354 and the first error list answer the DATA line; 250 and the second list come after the content and its closing ".".
  // With PRDR on MAIL, the end of the content may first get 353, then a reply per accepted recipient and one for the message.
  { verb: 'DATA', syntax: 'DATA', purpose: 'Asks to send the message content; after a 354 the client sends the lines and ends them with a line holding only ".".', ref: rfc(5321, '4.1.1.4'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), intermediate: [354], error: [503, 554] }, { from: rfc(5321, '4.3.2'), phase: 'after-content', success: [250], error: [552, 554, 451, 452, 450, 550] }, { from: PRDR_DRAFT, phase: 'after-content', intermediate: [353] }, AUTH_REQUIRED, TLS_REQUIRED, HOST_ACCEPTS_NO_MAIL], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'none', status: 'standard', vendorDocument: null },
  { verb: 'RSET', syntax: 'RSET', purpose: 'Drops the open transaction (sender, recipients and content) and keeps the connection.', ref: rfc(5321, '4.1.1.5'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250] }, TLS_REQUIRED], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'none', status: 'standard', vendorDocument: null },
  { verb: 'VRFY', syntax: 'VRFY SP String', purpose: 'Asks whether a string names a user or mailbox the server knows, without sending anything.', ref: rfc(5321, '4.1.1.6'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250, 251, 252], error: [550, 551, 553, 502, 504] }, AUTH_REQUIRED, TLS_REQUIRED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  { verb: 'EXPN', syntax: 'EXPN SP String', purpose: 'Asks the server to expand a mailing list and return its members.', ref: rfc(5321, '4.1.1.7'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250, 252], error: [550, 500, 502, 504] }, AUTH_REQUIRED, TLS_REQUIRED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'standard', vendorDocument: null },
  // RFC 2920 §3.1 names HELP in neither group; it changes no state, so nothing forces it to be last.
  { verb: 'HELP', syntax: 'HELP [SP String]', purpose: 'Asks for help text, in general or about the command named in the argument.', ref: rfc(5321, '4.1.1.8'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [211, 214], error: [502, 504] }, AUTH_REQUIRED, TLS_REQUIRED], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'optional', status: 'standard', vendorDocument: null },
  { verb: 'NOOP', syntax: 'NOOP [SP String]', purpose: 'Does nothing but get a 250, which makes it a keep-alive and a synchronization point in a pipeline.', ref: rfc(5321, '4.1.1.9'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [250] }], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'optional', status: 'standard', vendorDocument: null },
  { verb: 'QUIT', syntax: 'QUIT', purpose: 'Ends the session: the server answers 221 and closes the connection, dropping any unfinished transaction.', ref: rfc(5321, '4.1.1.10'), ehloKeyword: null, replies: [{ from: rfc(5321, '4.3.2'), success: [221] }], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'none', status: 'standard', vendorDocument: null },
  { verb: 'STARTTLS', syntax: 'STARTTLS', purpose: 'Asks to switch the connection to TLS; after the 220 the client starts the handshake and the session begins again from the greeting.', ref: rfc(3207, '4'), ehloKeyword: 'STARTTLS', replies: [{ from: rfc(3207, '4'), success: [220], error: [501, 454] }, AUTH_REQUIRED, NOT_IMPLEMENTED, OUT_OF_SEQUENCE], endsPipelineGroup: true, pipeliningFrom: rfc(3207, '4'), obsolete: false, retiredBy: null, arguments: 'none', status: 'extension', vendorDocument: null },
  { verb: 'AUTH', syntax: 'AUTH SP sasl-mech [SP initial-response]', purpose: 'Starts a SASL exchange with the named mechanism, optionally carrying the first client response in base64 ("=" for an empty one).', ref: rfc(4954, '4'), ehloKeyword: 'AUTH', replies: [{ from: rfc(4954, '4'), success: [235], intermediate: [334], error: [501, 503, 504] }, { from: rfc(4954, '6'), error: [432, 454, 500, 534, 535, 538] }, TLS_REQUIRED, NOT_IMPLEMENTED], endsPipelineGroup: true, pipeliningFrom: rfc(4954, '4'), obsolete: false, retiredBy: null, arguments: 'required', status: 'extension', vendorDocument: null },
  // RFC 3030 §2 lets a client pipeline BDAT chunks; once LAST is sent the final outcome is the same set DATA can end with (RFC 5321 §4.3.2).
  { verb: 'BDAT', syntax: 'BDAT SP chunk-size [SP "LAST"]', purpose: 'Sends the next chunk of content, exactly chunk-size octets right after the command line, with no dot-stuffing; LAST marks the final chunk.', ref: rfc(3030, '2'), ehloKeyword: 'CHUNKING', replies: [{ from: rfc(3030, '2'), success: [250], error: [503] }, { from: rfc(5321, '4.3.2'), error: [552, 554, 451, 452, 450, 550] }, AUTH_REQUIRED, TLS_REQUIRED, NOT_IMPLEMENTED], endsPipelineGroup: false, pipeliningFrom: rfc(3030, '2'), obsolete: false, retiredBy: null, arguments: 'required', status: 'extension', vendorDocument: null },
  { verb: 'ETRN', syntax: 'ETRN SP ["@" / "#"] node-name', purpose: 'Asks the server to start delivering the mail it holds for a host, a domain and its subdomains ("@"), or a named queue ("#").', ref: rfc(1985, '5'), ehloKeyword: 'ETRN', replies: [{ from: rfc(1985, '5.1'), success: [250, 251, 252, 253], error: [458, 459] }, AUTH_REQUIRED, TLS_REQUIRED, NOT_IMPLEMENTED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'extension', vendorDocument: null },
  { verb: 'ATRN', syntax: 'ATRN [SP domain *("," domain)]', purpose: 'On an authenticated connection, asks the server to swap roles and deliver over this connection the mail queued for the client\'s domains.', ref: rfc(2645, '5.2.1'), ehloKeyword: 'ATRN', replies: [{ from: rfc(2645, '7'), success: [250], error: [450, 451, 453, 502, 530] }, TLS_REQUIRED, NOT_IMPLEMENTED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'optional', status: 'extension', vendorDocument: null },
  { verb: 'BURL', syntax: 'BURL SP absolute-URI [SP "LAST"]', purpose: 'Adds content the server fetches itself from a URL (an IMAP URLAUTH URL) instead of the client sending it; LAST ends the content.', ref: rfc(4468, '3'), ehloKeyword: 'BURL', replies: [{ from: rfc(4468, '3'), success: [250], error: [503, 554] }, AUTH_REQUIRED, TLS_REQUIRED, NOT_IMPLEMENTED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'extension', vendorDocument: null },
  // RFC 821 §4.3 gave SEND, SOML and SAML the replies of MAIL; RFC 5321 Appendix F.6 lets servers keep them but tells clients not to use them.
  { verb: 'SEND', syntax: 'SEND FROM:<reverse-path>', purpose: 'RFC 821 transaction start whose message goes to the recipients\' terminals instead of their mailboxes.', ref: rfc(821, '3.4'), ehloKeyword: 'SEND', replies: [{ from: rfc(821, '4.3'), success: [250], error: [552, 451, 452] }, NOT_IMPLEMENTED], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: true, retiredBy: rfc(5321, 'F.6'), arguments: 'required', status: 'obsolete', vendorDocument: null },
  { verb: 'SOML', syntax: 'SOML FROM:<reverse-path>', purpose: 'RFC 821 "send or mail": show the message on the terminal of a logged-in recipient, otherwise put it in the mailbox.', ref: rfc(821, '3.4'), ehloKeyword: 'SOML', replies: [{ from: rfc(821, '4.3'), success: [250], error: [552, 451, 452] }, NOT_IMPLEMENTED], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: true, retiredBy: rfc(5321, 'F.6'), arguments: 'required', status: 'obsolete', vendorDocument: null },
  { verb: 'SAML', syntax: 'SAML FROM:<reverse-path>', purpose: 'RFC 821 "send and mail": show the message on the recipient\'s terminal and also put it in the mailbox.', ref: rfc(821, '3.4'), ehloKeyword: 'SAML', replies: [{ from: rfc(821, '4.3'), success: [250], error: [552, 451, 452] }, NOT_IMPLEMENTED], endsPipelineGroup: false, pipeliningFrom: PIPELINING_RULES, obsolete: true, retiredBy: rfc(5321, 'F.6'), arguments: 'required', status: 'obsolete', vendorDocument: null },
  // RFC 5321 Appendix F.1: without strong authentication TURN lets anyone collect another site's mail, so it is deprecated; ETRN and ATRN replace it.
  { verb: 'TURN', syntax: 'TURN', purpose: 'RFC 821 role swap: the server becomes the client on the same connection and sends the mail it holds.', ref: rfc(821, '3.8'), ehloKeyword: 'TURN', replies: [{ from: rfc(821, '4.3'), success: [250], error: [502, 503] }], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: true, retiredBy: rfc(5321, 'F.1'), arguments: 'none', status: 'obsolete', vendorDocument: null },
  // RFC 2033 §4.1: LHLO has EHLO's semantics and replaces it (and HELO) in LMTP; an SMTP server answers 500. Listed after EHLO and HELO so their typos stay theirs.
  { verb: 'LHLO', syntax: 'LHLO SP ( Domain / address-literal )', purpose: 'Opens an LMTP session (local delivery): the EHLO of LMTP, after which the end of each message gets one reply per accepted recipient.', ref: rfc(2033, '4.1'), ehloKeyword: null, replies: [{ from: rfc(2033, '4.1'), success: [250], error: [504, 550, 502] }], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'lmtp', vendorDocument: null },
  // Private "X" verbs are allowed by RFC 5321 §4.1.5; the facts here come from Postfix. A successful XCLIENT answers with a new 220 greeting, so it ends a group.
  { verb: 'XCLIENT', syntax: 'XCLIENT 1*( SP attribute-name "=" attribute-value )', purpose: 'Lets a trusted proxy or test tool replace the client name, address, port, protocol, HELO name or login the server believes it is talking to.', ref: rfc(5321, '4.1.5'), ehloKeyword: 'XCLIENT', replies: [{ from: postfixXclient, success: [220], error: [421, 501, 503, 550] }, NOT_IMPLEMENTED], endsPipelineGroup: true, pipeliningFrom: PIPELINING_RULES, obsolete: false, retiredBy: null, arguments: 'required', status: 'vendor', vendorDocument: postfixXclient },
  { verb: 'XFORWARD', syntax: 'XFORWARD 1*( SP attribute-name "=" attribute-value )', purpose: 'Lets a content filter pass on the original client\'s name, address, HELO name and queue id so the next server logs those instead of the filter.', ref: rfc(5321, '4.1.5'), ehloKeyword: 'XFORWARD', replies: [{ from: postfixXforward, success: [250], error: [421, 501, 503, 550] }, NOT_IMPLEMENTED], endsPipelineGroup: false, pipeliningFrom: postfixXforward, obsolete: false, retiredBy: null, arguments: 'required', status: 'vendor', vendorDocument: postfixXforward },
];

const COMMANDS_BY_VERB: ReadonlyMap<string, SmtpCommand> = new Map(COMMANDS.map((command) => [command.verb, command]));

/** The command with this verb, matched without regard to case (RFC 5321 §2.4); null when the verb is unknown. */
export function findCommand(verb: string): SmtpCommand | null {
  // Verbs come upper-cased from the parser: one lookup as written before making a trimmed, upper-cased copy.
  return COMMANDS_BY_VERB.get(verb) ?? COMMANDS_BY_VERB.get(verb.trim().toUpperCase()) ?? null;
}

export interface AllowedReplyCodes {
  success: number[];
  intermediate: number[];
  error: number[];
}

/**
 * The codes a server may send for `command` in the given phase: the union of
 * its rows plus the codes any command may get (RFC 5321 §4.3.2), each list
 * sorted and without repeats.
 */
export function allowedReplyCodes(command: SmtpCommand, phase: 'command' | 'after-content' = 'command'): AllowedReplyCodes {
  const success = new Set<number>();
  const intermediate = new Set<number>();
  const error = new Set<number>();
  for (const set of [...command.replies, ANY_COMMAND_REPLIES]) {
    // 421, 500 and 501 can come at any point; every other row belongs to one phase.
    const setPhase = set.phase ?? 'command';
    if (setPhase !== phase && set !== ANY_COMMAND_REPLIES) continue;
    set.success?.forEach((code) => success.add(code));
    set.intermediate?.forEach((code) => intermediate.add(code));
    set.error?.forEach((code) => error.add(code));
  }
  const sorted = (codes: Set<number>) => [...codes].sort((a, b) => a - b);
  return { success: sorted(success), intermediate: sorted(intermediate), error: sorted(error) };
}

/**
 * The known verb closest to `verb` by edit distance (insertions, deletions,
 * substitutions and swaps of neighbouring letters, case ignored), for "did
 * you mean EHLO?" hints. Verbs of up to five letters may be one edit away,
 * longer ones two; anything further is not a typo worth suggesting, so the
 * answer is null. A known verb is its own nearest command.
 */
export function nearestCommand(verb: string): string | null {
  const wanted = verb.trim().toUpperCase();
  const maxDistance = wanted.length <= 5 ? 1 : 2;
  // Each edit changes the length by at most one: a word longer than every verb
  // by more than two edits has no suggestion, and the tables stay verb-sized
  // whatever the input (a 1 MB word costs nothing).
  if (wanted.length === 0 || wanted.length > LONGEST_VERB + maxDistance) return null;
  let best: string | null = null;
  let bestDistance = maxDistance + 1;
  for (const command of COMMANDS) {
    // Each edit changes the length by at most one.
    if (Math.abs(command.verb.length - wanted.length) > maxDistance) continue;
    const distance = editDistance(wanted, command.verb);
    // Strictly smaller: on a tie the earlier (more common) command stays.
    if (distance < bestDistance) {
      best = command.verb;
      bestDistance = distance;
    }
  }
  return best;
}

const LONGEST_VERB = Math.max(...COMMANDS.map((command) => command.verb.length));

/**
 * Optimal string alignment distance: Levenshtein plus one-step swaps of
 * adjacent characters. Three rolling rows of a flat table: both words are at
 * most a dozen characters here, and this runs for every unknown verb of a file.
 */
function editDistance(a: string, b: string): number {
  const columns = b.length + 1;
  let beforePrevious = new Int32Array(columns);
  let previous = new Int32Array(columns);
  let current = new Int32Array(columns);
  for (let j = 0; j < columns; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < columns; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, beforePrevious[j - 2] + 1);
      current[j] = distance;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length];
}

/** True for a fact that comes from an RFC section rather than vendor documentation. */
export function isRfcRef(source: FactSource): source is RfcRef {
  return 'rfc' in source;
}
