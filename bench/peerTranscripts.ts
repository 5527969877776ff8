// The workloads of the side-by-side benchmarks, written so that the engine
// and each peer do the same work: the same envelope, the same message (the
// file smtp-source -F and swaks --data send is the body the transcripts
// write), and the same dialogue shape — lock-step with HELO where the peer
// (smtp-source) does not pipeline, EHLO and RFC 2920 groups where it does (swaks
// --pipeline).

export const SENDER = 'sender@example.com';
export const RECIPIENT = 'rcpt@example.org';
export const CLIENT_NAME = 'bench.example';

/** About 1 KB: headers, a blank line, then text (no line starts with "." so wire form and file agree). */
export const MESSAGE_LINES: readonly string[] = [
  `From: <${SENDER}>`,
  `To: <${RECIPIENT}>`,
  'Subject: benchmark message',
  'Message-ID: <bench@example.com>',
  '',
  ...Array.from({ length: 12 }, (_, i) => `Line ${String(i + 1).padStart(2, '0')} of the benchmark body, long enough to look like real text.`),
];

/** The message as a file for smtp-source -F and swaks --data @FILE (LF endings; both send CRLF). */
export function messageFile(): string {
  return `${MESSAGE_LINES.join('\n')}\n`;
}

function lockStepTransaction(): string[] {
  return [`C: MAIL FROM:<${SENDER}>`, 'S: 250', `C: RCPT TO:<${RECIPIENT}>`, 'S: 250', 'C: DATA', 'S: 354', ...MESSAGE_LINES, '.', 'S: 250'];
}

function pipelinedTransaction(): string[] {
  return [`C: MAIL FROM:<${SENDER}>`, `C: RCPT TO:<${RECIPIENT}>`, 'C: DATA', 'S: 250', 'S: 250', 'S: 354', ...MESSAGE_LINES, '.', 'S: 250'];
}

/** The EHLO exchange of the pipelined workloads: the reply lists PIPELINING, so the files check clean. */
const EHLO_PIPELINING = ['S: 220', `C: EHLO ${CLIENT_NAME}`, 'S: 250-sink.example', 'S: 250 PIPELINING'];

/** One connection, `count` transactions: EHLO and each MAIL/RCPT/DATA as one pipelined group. */
export function pipelinedSession(count: number): string {
  const lines = [...EHLO_PIPELINING];
  for (let i = 0; i < count; i++) lines.push(...pipelinedTransaction());
  lines.push('C: QUIT', 'S: 221');
  return `${lines.join('\n')}\n`;
}

/**
 * Like pipelinedSession, but each message's end of data goes in one group with
 * the next transaction's MAIL, RCPT and DATA (RFC 2920 §3.1: the message
 * content may be the first "command" of a group): one round trip per
 * transaction instead of two.
 */
export function endOfDataPipelinedSession(count: number): string {
  const group = [`C: MAIL FROM:<${SENDER}>`, `C: RCPT TO:<${RECIPIENT}>`, 'C: DATA'];
  const lines = [...EHLO_PIPELINING, ...group, 'S: 250', 'S: 250', 'S: 354'];
  for (let i = 0; i < count; i++) {
    lines.push(...MESSAGE_LINES, '.');
    lines.push(...(i < count - 1 ? [...group, 'S: 250', 'S: 250', 'S: 250', 'S: 354'] : ['S: 250']));
  }
  lines.push('C: QUIT', 'S: 221');
  return `${lines.join('\n')}\n`;
}

/** One connection, `count` transactions, each command waiting for its reply — what smtp-source -d does. */
export function lockStepSession(count: number): string {
  const lines = ['S: 220', `C: HELO ${CLIENT_NAME}`, 'S: 250'];
  for (let i = 0; i < count; i++) lines.push(...lockStepTransaction());
  lines.push('C: QUIT', 'S: 221');
  return `${lines.join('\n')}\n`;
}

/** `count` sessions of one lock-step transaction each — what smtp-source without -d does. */
export function separateSessions(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(`### session ${i + 1}`, 'S: 220', `C: HELO ${CLIENT_NAME}`, 'S: 250', ...lockStepTransaction(), 'C: QUIT', 'S: 221', '');
  }
  return lines.join('\n');
}
