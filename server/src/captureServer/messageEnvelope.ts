// The head of a captured message's preview: what the SMTP session said about
// the message rather than what the message says about itself — the envelope
// (MAIL FROM and RCPT TO with their parameters), the TLS and AUTH the
// application used, how long each phase took, and the run that sent it.
// Everything the client sent is shown escaped (escapeForDisplay), so an
// address or parameter cannot add lines to the preview or reorder its text.
import { escapeForDisplay } from '../engine/displayText';
import type { MessageEnvelope } from './localServer';
import type { SessionFacts } from './sessionFacts';

/** Recipients listed before "and N more": a transaction may hold hundreds. */
const SHOWN_RECIPIENTS = 50;
/** A parameter list longer than this is cut: a line of the preview stays readable. */
const MAX_PARAMS_CHARACTERS = 300;

export interface EnvelopeSource {
  envelope: MessageEnvelope;
  facts: SessionFacts;
  /** The run that delivered it: document and 1-based line of its `.`. */
  sentBy: { uri: string; line: number } | null;
}

/** Lines of text (LF) ending with a rule, for above the message's own headers. */
export function envelopeSection({ envelope, facts, sentBy }: EnvelopeSource): string {
  const label = (name: string) => (name === '' ? '' : `${name}:`).padEnd(11);
  const path = (address: string, params: string[]) => {
    const shown = `<${escapeForDisplay(address)}>`;
    const joined = escapeForDisplay(params.join(' '));
    if (joined === '') return shown;
    return `${shown} ${joined.length > MAX_PARAMS_CHARACTERS ? `${joined.slice(0, MAX_PARAMS_CHARACTERS - 1)}…` : joined}`;
  };
  const lines = ['Envelope (as the SMTP session gave it)'];
  lines.push(`  ${label('MAIL FROM')}${path(envelope.mailFrom.address, envelope.mailFrom.params)}`);
  const recipients = envelope.rcptTo.slice(0, SHOWN_RECIPIENTS);
  recipients.forEach((recipient, index) => lines.push(`  ${label(index === 0 ? 'RCPT TO' : '')}${path(recipient.address, recipient.params)}`));
  if (recipients.length === 0) lines.push(`  ${label('RCPT TO')}(none accepted)`);
  if (envelope.rcptTo.length > recipients.length) lines.push(`  ${label('')}and ${envelope.rcptTo.length - recipients.length} more`);
  if (facts.client !== '') lines.push(`  ${label('Client')}${escapeForDisplay(facts.client)}`);
  lines.push(`  ${label('TLS')}${facts.tls ? `${escapeForDisplay(facts.tls.protocol)}, ${escapeForDisplay(facts.tls.cipher)}` : 'none (plain text)'}`);
  const auth = facts.auth;
  lines.push(`  ${label('AUTH')}${auth ? `${escapeForDisplay(auth.mechanism)} as "${escapeForDisplay(auth.username)}"${auth.accepted ? '' : ' (refused)'}` : 'none'}`);
  lines.push(`  ${label('Timing')}${timingText(facts)}`);
  if (sentBy) lines.push(`  ${label('Sent by')}${sentBy.uri}, line ${sentBy.line}`);
  return `${lines.join('\n')}\n${'─'.repeat(60)}\n`;
}

/** `connect 1 ms · EHLO 2 ms · RCPT ×2 3 ms · message 12 ms`: the phases so far. */
export function timingText(facts: SessionFacts): string {
  const { phases, dropped } = facts.timing();
  if (phases.length === 0) return '(no phase finished)';
  const shown = phases.map((phase) => `${phase.name}${phase.count > 1 ? ` ×${phase.count}` : ''} ${Math.round(phase.ms)} ms`).join(' · ');
  return dropped > 0 ? `${shown} · and ${dropped} more` : shown;
}
