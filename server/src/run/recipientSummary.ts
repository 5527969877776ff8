import type { SessionResult, StepResult } from '../engine/playSession';

/** What became of one `RCPT TO`, by its reply's class (RFC 5321 §4.2.1: 2yz done, 4yz try again later, 5yz refused). */
export type RecipientOutcome = 'accepted' | 'deferred' | 'refused' | 'unexpected' | 'unanswered';

/** LMTP (RFC 2033 §4.2) or PRDR: the reply after the message that reports this recipient's delivery. */
export interface DeliveryResult {
  /** 1-based line of the reply's `S:` expectation, else of the step the reply is shown on. */
  line: number;
  code: number | null;
  enhanced: string | null;
}

export interface RecipientResult {
  /** The path as sent, `<…>` included (secrets as ***). */
  address: string;
  /** 1-based line of the RCPT in the file. */
  line: number;
  /** The RCPT's reply. */
  code: number | null;
  enhanced: string | null;
  /**
   * The delivery's when the message was answered per recipient (LMTP, PRDR):
   * a recipient accepted at RCPT and refused after the data is refused.
   * Otherwise the RCPT's.
   */
  outcome: RecipientOutcome;
  /**
   * Present when the message was answered per recipient and this recipient
   * was accepted at RCPT: its delivery reply, or null when the session ended
   * before it came.
   */
  delivery?: DeliveryResult | null;
}

/** One mail transaction: from its MAIL FROM to the next. */
export interface TransactionResult {
  /** 1-based line of the MAIL command. */
  line: number;
  from: string;
  recipients: RecipientResult[];
}

const MAIL = /^MAIL\s+FROM:\s*(\S*)/i;
const RCPT = /^RCPT\s+TO:\s*(\S*)/i;
const LHLO = /^LHLO\b/i;
const LAST_CHUNK = /^BDAT\s+\d+\s+LAST\b/i;

/**
 * Each transaction of a played session with its recipients and their
 * replies — the per-recipient summary swaks users ask for, read from the
 * steps as they were played (steps not played have nothing to say). In LMTP
 * the end of the message gets one reply per recipient accepted at RCPT, in
 * their order (RFC 2033 §4.2), the first as the message step's own; PRDR's
 * come after a 353. Those replies decide the outcome, since a recipient
 * accepted at RCPT can still be refused then.
 */
export function recipientSummary(session: SessionResult): TransactionResult[] {
  const transactions: TransactionResult[] = [];
  let current: TransactionResult | null = null;
  let lmtp = false;
  // The recipients accepted at RCPT whose delivery reply has not been read yet, in RCPT order.
  let awaiting: RecipientResult[] = [];
  for (const step of session.steps) {
    const lmtpEnd = lmtp && step.reply !== null && (step.kind === 'data' || (step.sent !== null && LAST_CHUNK.test(step.sent)));
    // PRDR's 353 says per-recipient replies follow (draft-hall-prdr §4).
    const prdrEnd = !lmtp && step.kind === 'data' && step.reply?.code === 353;
    if (lmtpEnd || prdrEnd) {
      // The message was answered per recipient: one the session ended before did not learn its fate.
      for (const pending of awaiting) Object.assign(pending, { delivery: null, outcome: 'unanswered' });
      const first = lmtpEnd ? awaiting.shift() : undefined;
      if (first) deliver(first, step);
      continue;
    }
    if (step.recipient) {
      const next = awaiting.shift();
      if (next) deliver(next, step);
      continue;
    }
    if (step.kind !== 'command' || step.sent === null) continue;
    if (LHLO.test(step.sent) && step.reply !== null && isClass(step.reply.code, 2)) lmtp = true;
    const mail = MAIL.exec(step.sent);
    if (mail) {
      current = { line: step.line, from: mail[1], recipients: [] };
      transactions.push(current);
      awaiting = [];
      continue;
    }
    const rcpt = RCPT.exec(step.sent);
    if (rcpt && current) {
      const result = recipient(rcpt[1], step);
      current.recipients.push(result);
      if (result.outcome === 'accepted') awaiting.push(result);
    }
  }
  return transactions.filter((transaction) => transaction.recipients.length > 0);
}

function recipient(address: string, step: StepResult): RecipientResult {
  const code = step.reply?.code ?? null;
  return { address, line: step.line, code, enhanced: step.reply?.enhanced ?? null, outcome: outcomeOf(code) };
}

/** The delivery reply decides what became of the recipient; a 1yz or 3yz there is unexpected as at RCPT. */
function deliver(result: RecipientResult, step: StepResult): void {
  const code = step.reply?.code ?? null;
  result.delivery = { line: step.expectedLine ?? step.line, code, enhanced: step.reply?.enhanced ?? null };
  result.outcome = outcomeOf(code);
}

function isClass(code: number, digit: number): boolean {
  return Math.floor(code / 100) === digit;
}

function outcomeOf(code: number | null): RecipientOutcome {
  if (code === null) return 'unanswered';
  if (isClass(code, 2)) return 'accepted';
  if (isClass(code, 4)) return 'deferred';
  if (isClass(code, 5)) return 'refused';
  return 'unexpected'; // 1yz or 3yz: no reply RCPT may get (RFC 5321 §4.3.2)
}
