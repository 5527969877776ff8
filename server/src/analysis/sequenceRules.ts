import type { CommandStep } from '../transcript/ast';
import type { DialogueState, Transaction } from './dialogueState';

/** Why the state does not allow a command: the rule, its source, what a server answers and what to do. */
export interface SequenceViolation {
  rule: string;
  rfc: string;
  serverReply: string;
  fix: string;
  /** `no-recipients` is the softer case of DATA after every recipient was refused. */
  code: 'bad-sequence' | 'no-recipients';
}

type Rule = (state: DialogueState, command: CommandStep) => SequenceViolation | null;

function violation(rule: string, rfc: string, serverReply: string, fix: string, code: SequenceViolation['code'] = 'bad-sequence'): SequenceViolation {
  return { rule, rfc, serverReply, fix, code };
}

const needsGreeting: Rule = (state, command) => {
  if (state.needsEhloAfterTls) return violation(`${command.verbName} after STARTTLS without a new EHLO`, 'RFC 3207 §4.2', '503 5.5.1', 'send EHLO again once TLS has started: what the server said before is void');
  if (!state.greeted) return violation(`${command.verbName} before HELO/EHLO`, 'RFC 5321 §4.1.4', '503 5.5.1', 'add "C: EHLO <your domain>" before it');
  return null;
};

const mail: Rule = (state, command) => {
  const missing = needsGreeting(state, command);
  if (missing) return missing;
  if (state.transaction) return violation('MAIL inside a mail transaction', 'RFC 5321 §4.1.1.2', '503 5.5.1', 'finish the transaction (DATA or BDAT … LAST) or send RSET first');
  return null;
};

const rcpt: Rule = (state) =>
  state.transaction ? null : violation('RCPT before MAIL', 'RFC 5321 §3.3', '503 5.5.1', 'add a "C: MAIL FROM:<…>" line before it, or make sure MAIL was accepted');

const data: Rule = (state, command) => {
  const transaction = state.transaction;
  if (!transaction) return violation('DATA without a mail transaction', 'RFC 5321 §3.3', '503 5.5.1', 'send MAIL FROM and at least one RCPT TO first');
  if (transaction.dataMethod === 'BDAT') return violation('DATA after BDAT in the same transaction', 'RFC 3030 §2', '503 5.5.1', 'send the rest of the message with BDAT, ending with BDAT … LAST');
  if (transaction.recipients === 0) return violation('DATA with no RCPT', 'RFC 5321 §3.3', '503 5.5.1', 'add at least one "C: RCPT TO:<…>" line before DATA');
  if (transaction.acceptedRecipients === 0) return dataWithoutAcceptedRecipient(transaction, command);
  return null;
};

/**
 * DATA when every RCPT was refused. Sent in the same pipelined group as those
 * RCPTs, the client could not know yet: RFC 2920 §3.1 only asks it to read
 * DATA's reply and, after a 354, to send a lone "." — so only a body with
 * content is reported. Sent after the refusals were read, it is the client's
 * mistake (RFC 5321 §3.3), and what the server answers is told as recorded.
 */
function dataWithoutAcceptedRecipient(transaction: Transaction, command: CommandStep): SequenceViolation | null {
  const intermediate = command.reply?.code?.[0] === '3';
  if (sentWithRecipients(transaction, command)) {
    if (!intermediate || (command.body?.lines.length ?? 0) === 0) return null;
    return violation('A message body after every pipelined recipient was refused', 'RFC 2920 §3.1', '554 (no valid recipients) after the final "."', 'send a lone "." after the 354 and no content', 'no-recipients');
  }
  const reply = intermediate
    ? `503 or 554 (no valid recipients) to DATA; this one answered ${command.reply!.code}, so it refuses the message after the final "." instead`
    : '503 or 554 (no valid recipients)';
  return violation('DATA after every recipient was refused', 'RFC 5321 §3.3', reply, 'add a recipient the server accepts, or expect the refusal', 'no-recipients');
}

/** DATA went out in one pipelined group with a RCPT of its transaction, before any of their replies was read. */
function sentWithRecipients(transaction: Transaction, command: CommandStep): boolean {
  const group = command.group;
  return group !== null && group.pipelined && group.steps.some((step) => step.kind === 'command' && step.verbName === 'RCPT' && step.line > transaction.mail.line);
}

const bdat: Rule = (state) => {
  const transaction = state.transaction;
  if (!transaction) return violation('BDAT without a mail transaction', 'RFC 3030 §2', '503 5.5.1', 'send MAIL FROM and at least one RCPT TO first');
  if (transaction.acceptedRecipients === 0 && transaction.recipients > 0) return violation('BDAT after every recipient was rejected', 'RFC 3030 §2', '554 5.5.1', 'add a recipient the server accepts', 'no-recipients');
  if (transaction.recipients === 0) return violation('BDAT with no RCPT', 'RFC 3030 §2', '503 5.5.1', 'add at least one "C: RCPT TO:<…>" line first');
  return null;
};

const auth: Rule = (state, command) => {
  if (state.needsEhloAfterTls) return needsGreeting(state, command);
  if (!state.greeted || !state.extended) return violation('AUTH before EHLO', 'RFC 4954 §4', '503 5.5.1', 'greet with EHLO (not HELO) first: AUTH is an extension');
  if (state.authenticated) return violation('AUTH after a successful AUTH', 'RFC 4954 §4', '503 5.5.1', 'authenticate once per session; remove the second AUTH');
  if (state.transaction) return violation('AUTH inside a mail transaction', 'RFC 4954 §4', '503 5.5.1', 'authenticate before MAIL FROM');
  return null;
};

const starttls: Rule = (state) => {
  if (state.tls) return violation('STARTTLS on a session that already uses TLS', 'RFC 3207 §4', '503 5.5.1', 'remove the second STARTTLS');
  // Only an EHLO reply tells the client that the server offers STARTTLS (RFC 3207 §3); servers answer 503 before it.
  if (!state.greeted) return violation('STARTTLS before EHLO', 'RFC 3207 §3, RFC 5321 §4.1.4', '503 5.5.1', 'add "C: EHLO <your domain>" before it, and check that its reply lists STARTTLS');
  if (state.transaction) return violation('STARTTLS inside a mail transaction', 'RFC 3207 §4', '503 5.5.1', 'start TLS before MAIL FROM');
  return null;
};

// RFC 2645 §5.2.1: ATRN MUST be refused with 530 on a session that has not authenticated.
const atrn: Rule = (state, command) => {
  const missing = needsGreeting(state, command);
  if (missing) return missing;
  if (!state.authenticated) return violation('ATRN before a successful AUTH', 'RFC 2645 §5.2.1', '530 (authentication required)', 'authenticate with "C: AUTH …" first: ATRN is only valid on an authenticated session');
  return null;
};

// RFC 2033 §4.1: LMTP replaces EHLO and HELO by LHLO, and an LMTP server must not accept them; an SMTP server does not know LHLO.
const smtpGreeting: Rule = (state, command) =>
  state.lmtp ? violation(`${command.verbName} in an LMTP session`, 'RFC 2033 §4.1', '500 (LMTP has no EHLO or HELO)', 'greet with LHLO, as the session did') : null;

const lmtpGreeting: Rule = (state) =>
  state.greeted && !state.lmtp && !state.needsEhloAfterTls ? violation('LHLO in an SMTP session', 'RFC 2033 §4.1', '500 5.5.1 (LHLO is LMTP\'s greeting, unknown to SMTP)', 'greet with EHLO, or start an LMTP session with "###" and LHLO') : null;

// Commands not listed may come at any time before QUIT (RSET, NOOP, VRFY, HELP, EHLO…).
const RULES: Record<string, Rule> = {
  MAIL: mail, SEND: mail, SOML: mail, SAML: mail,
  RCPT: rcpt,
  DATA: data,
  BDAT: bdat,
  AUTH: auth,
  STARTTLS: starttls,
  ATRN: atrn,
  EHLO: smtpGreeting,
  HELO: smtpGreeting,
  LHLO: lmtpGreeting,
};

/** The rule the command breaks in this state, or null when the state allows it. */
export function checkSequence(state: DialogueState, command: CommandStep): SequenceViolation | null {
  if (state.closedBy) {
    const after = state.closedBy === 'QUIT' ? 'QUIT' : `the ${state.closedBy} reply`;
    return violation(`${command.verbName || 'A command'} after ${after}: the server has closed the connection`, 'RFC 5321 §3.8, §4.1.1.10', 'no reply (the connection is closed)', 'start a new session with "###" and a new greeting');
  }
  return RULES[command.verbName]?.(state, command) ?? null;
}
