import type { SessionResult, StepResult } from '../engine/playSession';

/** What became of one `RCPT TO`, by its reply's class (RFC 5321 §4.2.1: 2yz done, 4yz try again later, 5yz refused). */
export type RecipientOutcome = 'accepted' | 'deferred' | 'refused' | 'unexpected' | 'unanswered';

export interface RecipientResult {
  /** The path as sent, `<…>` included (secrets as ***). */
  address: string;
  /** 1-based line of the RCPT in the file. */
  line: number;
  code: number | null;
  enhanced: string | null;
  outcome: RecipientOutcome;
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

/**
 * Each transaction of a played session with its recipients and their
 * replies — the per-recipient summary swaks users ask for, read from the
 * steps as they were played (steps not played have nothing to say).
 */
export function recipientSummary(session: SessionResult): TransactionResult[] {
  const transactions: TransactionResult[] = [];
  let current: TransactionResult | null = null;
  for (const step of session.steps) {
    if (step.kind !== 'command' || step.sent === null) continue;
    const mail = MAIL.exec(step.sent);
    if (mail) {
      current = { line: step.line, from: mail[1], recipients: [] };
      transactions.push(current);
      continue;
    }
    const rcpt = RCPT.exec(step.sent);
    if (rcpt && current) current.recipients.push(recipient(rcpt[1], step));
  }
  return transactions.filter((transaction) => transaction.recipients.length > 0);
}

function recipient(address: string, step: StepResult): RecipientResult {
  const code = step.reply?.code ?? null;
  return { address, line: step.line, code, enhanced: step.reply?.enhanced ?? null, outcome: outcomeOf(code) };
}

function outcomeOf(code: number | null): RecipientOutcome {
  if (code === null) return 'unanswered';
  if (code >= 200 && code < 300) return 'accepted';
  if (code >= 400 && code < 500) return 'deferred';
  if (code >= 500 && code < 600) return 'refused';
  return 'unexpected'; // 1yz or 3yz: no reply RCPT may get (RFC 5321 §4.3.2)

}
