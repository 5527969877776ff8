// The older fault options (`serve --reject-rcpt`, `--tempfail-rcpt`,
// `--disconnect-after`, `--delay`) as the rules they stand for, so the server
// has one implementation of faults: the rules engine.
import { findCommand } from '../../protocol/commands';
import type { FaultRule, RuleReply } from './faultRule';

export interface ShorthandFaults {
  /** A recipient matching any of these gets 550 5.1.1. */
  rejectRcpt?: RegExp[];
  /** A recipient matching any of these (and no rejectRcpt) gets 450 4.2.1. */
  tempfailRcpt?: RegExp[];
  /** A verb: a command with it drops the connection without a reply. */
  disconnectAfter?: string | null;
  /** Milliseconds to wait before the greeting and every reply. */
  delayMs?: number;
}

const BLANK: Omit<FaultRule, 'label' | 'on'> = { address: null, parameter: null, regex: null, count: null, reply: null, disconnect: false, delayMs: 0 };

export function shorthandRules(faults: ShorthandFaults): FaultRule[] {
  const rules: FaultRule[] = [];
  // A delay rule only waits, so its place among the others does not matter; first, it reads as "always".
  if (faults.delayMs) rules.push({ ...BLANK, label: `--delay ${faults.delayMs}`, on: ['connect', 'any', 'end-of-data'], delayMs: faults.delayMs });
  const recipients = (option: string, patterns: RegExp[] | undefined, reply: RuleReply) => {
    for (const pattern of patterns ?? []) rules.push({ ...BLANK, label: `--${option} ${pattern.source}`, on: ['RCPT'], address: stateless(pattern), reply });
  };
  recipients('reject-rcpt', faults.rejectRcpt, { code: 550, enhanced: '5.1.1', text: '<{address}>: Recipient address rejected: User unknown' });
  recipients('tempfail-rcpt', faults.tempfailRcpt, { code: 450, enhanced: '4.2.1', text: '<{address}>: Recipient address rejected: Mailbox temporarily unavailable, try again later' });
  if (faults.disconnectAfter) {
    const command = findCommand(faults.disconnectAfter);
    if (!command) throw new RangeError(`disconnectAfter must be an SMTP verb such as MAIL, RCPT or DATA, not "${faults.disconnectAfter}"`);
    rules.push({ ...BLANK, label: `--disconnect-after ${command.verb}`, on: [command.verb], disconnect: true });
  }
  return rules;
}

/** A pattern without the g/y flags, whose test() would otherwise remember where it stopped. */
function stateless(pattern: RegExp): RegExp {
  return pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern;
}
