import { escapeForDisplay } from '../engine/displayText';
import type { InputsRead, SessionResult, StepResult } from '../engine/playSession';
import { recipientSummary, type TransactionResult } from '../run/recipientSummary';
import type { FileRun } from './runFiles';
import { describeSummary, type RunSummary } from './runSummary';

export interface RunReport {
  files: FileRun[];
  summary: RunSummary;
  ok: boolean;
}

/** The stable JSON of `run --format json` (and `--report FILE.json`). */
export function runToJson(report: RunReport): string {
  return JSON.stringify({
    ok: report.ok,
    summary: report.summary,
    files: report.files.map((run) => ({
      file: run.file,
      ok: run.error === null && run.notPlayed.length === 0 && run.sessions.every(({ result }) => result.ok),
      error: run.error,
      ms: run.ms,
      sessions: run.sessions.map(({ result: session, ms }) => ({
        name: session.name, line: session.line, server: session.server, ok: session.ok, error: session.error, tls: session.tls, warnings: session.warnings, ms,
        steps: session.steps.map(stepToJson),
        transactions: recipientSummary(session),
        captures: session.captures ?? [],
      })),
      notPlayed: run.notPlayed,
      inputs: { environment: run.inputs.environment, files: run.inputs.files.map(escapeForDisplay) },
    })),
  }, null, 2);
}

/**
 * One step of the JSON, its keys in this order. `recipient` is set after the others when there is one, rather
 * than spread from a new object on every step: a run of 4,000 steps built 4,000 empty objects to spread.
 */
function stepToJson(step: StepResult): Record<string, unknown> {
  const json: Record<string, unknown> = {
    line: step.line, kind: step.kind, sent: step.sent, reply: step.reply, expected: step.expected, ok: step.ok, mismatch: step.mismatch, skipped: step.skipped, ms: step.ms,
  };
  if (step.recipient) json.recipient = step.recipient;
  return json;
}

export interface Paint {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const plain: Paint = { good: (t) => t, bad: (t) => t, dim: (t) => t, bold: (t) => t };
const colours: Paint = {
  good: (t) => `\x1b[32m${t}\x1b[0m`,
  bad: (t) => `\x1b[31m${t}\x1b[0m`,
  dim: (t) => `\x1b[2m${t}\x1b[0m`,
  bold: (t) => `\x1b[1m${t}\x1b[0m`,
};

export function paintFor(colour: boolean): Paint {
  return colour ? colours : plain;
}

/** The whole run as text: each file's dialogue (`fileToText`), then the summary line. */
export function runToText(report: RunReport, colour: boolean): string {
  const paint = paintFor(colour);
  const several = report.files.length > 1;
  const out = report.files.map((run) => fileToText(run, paint, several));
  out.push(summaryToText(report, paint));
  return out.join('\n');
}

/** The last line of the text output: the counts, green when the run passed. */
export function summaryToText(report: RunReport, paint: Paint): string {
  const summary = describeSummary(report.summary);
  return report.ok ? paint.good(summary) : paint.bad(summary);
}

/** One file's dialogues as they happened, in .smtp form, each reply marked against its expectation; ends with an empty line. */
export function fileToText(run: FileRun, paint: Paint, withHeading: boolean): string {
  const out: string[] = [];
  if (withHeading) out.push(paint.bold(`=== ${run.file}`));
  if (run.error !== null) out.push(paint.bad(`# error: ${run.error}`), '');
  for (const { result } of run.sessions) out.push(sessionToText(result, paint), '');
  for (const session of run.notPlayed) out.push(paint.dim(`### ${session.name ?? `Session at line ${session.line}`}  (not run)`), '');
  const read = describeInputs(run.inputs);
  if (read) out.push(paint.dim(read), '');
  return out.join('\n');
}

/** `# read from this machine: environment SMTP_HOST, USER; file attachments/report.pdf`, or null when nothing was read. */
function describeInputs(inputs: InputsRead): string | null {
  const parts: string[] = [];
  if (inputs.environment.length > 0) parts.push(`environment ${inputs.environment.join(', ')}`);
  if (inputs.files.length > 0) parts.push(`file${inputs.files.length === 1 ? '' : 's'} ${inputs.files.map(escapeForDisplay).join(', ')}`);
  return parts.length > 0 ? `# read from this machine: ${parts.join('; ')}` : null;
}

/** One session: its heading, the dialogue, what was not played, its error, and its recipients. */
export function sessionToText(session: SessionResult, paint: Paint): string {
  const out: string[] = [];
  const title = session.name ?? `Session at line ${session.line}`;
  out.push(paint.bold(`### ${title}`) + paint.dim(`  (${session.server || 'no server'}${session.tls ? `, ${session.tls.protocol}${session.tls.verified ? '' : ', certificate not verified'}` : ''})`));
  for (const warning of session.warnings) out.push(paint.dim(`# warning: ${warning}`));
  const skipped = session.steps.filter((step) => step.skipped && !step.mismatch).length;
  for (const step of session.steps) {
    if (step.skipped && !step.mismatch) continue;
    out.push(...stepLines(step, paint));
  }
  if (skipped > 0) out.push(paint.dim(`# ${skipped} step${skipped === 1 ? '' : 's'} not played`));
  if (session.error) out.push(paint.bad(`# error${session.error.line ? ` (line ${session.error.line})` : ''}: ${session.error.message}`));
  for (const capture of session.captures ?? []) out.push(paint.dim(`# captured @${capture.name} = ${capture.value} (line ${capture.line})`));
  for (const transaction of recipientSummary(session)) out.push(paint.dim(describeTransaction(transaction)));
  return out.join('\n');
}

/**
 * "# recipients of MAIL FROM:<a@example.com> (line 4): <b@example.org> accepted (250 2.1.5), <c@example.org> refused (550 5.1.1)";
 * in LMTP, what the reply after the data said of each recipient accepted at RCPT: "<d@example.org> deferred at delivery (452 4.2.2, line 18)".
 */
function describeTransaction(transaction: TransactionResult): string {
  const recipients = transaction.recipients.map((recipient) => {
    const code = (value: number, enhanced: string | null) => `${value}${enhanced ? ` ${enhanced}` : ''}`;
    const { delivery } = recipient;
    if (delivery === undefined) return `${recipient.address} ${recipient.outcome}${recipient.code === null ? '' : ` (${code(recipient.code, recipient.enhanced)})`}`;
    const reply = delivery === null || delivery.code === null ? '' : ` (${code(delivery.code, delivery.enhanced)}, line ${delivery.line})`;
    return `${recipient.address} ${recipient.outcome} at delivery${reply}`;
  });
  return `# recipients of MAIL FROM:${transaction.from} (line ${transaction.line}): ${recipients.join(', ')}`;
}

function stepLines(step: StepResult, paint: Paint): string[] {
  const lines: string[] = [];
  if (step.sent !== null) lines.push(`C: ${step.sent}`);
  if (step.skipped) {
    lines.push(paint.dim(`# line ${step.line}: ${step.mismatch}`));
    return lines;
  }
  const replyLines = step.reply?.lines ?? [];
  // LMTP and PRDR: whose delivery the reply after the message reports.
  if (step.recipient) lines.push(paint.dim(`# for ${step.recipient}:`));
  const mark = step.ok === true ? paint.good('✓') : step.ok === false ? paint.bad('✗') : paint.dim('·');
  replyLines.forEach((line, index) => {
    const last = index === replyLines.length - 1;
    lines.push(last ? `S: ${line}  ${mark} ${paint.dim(`${step.ms} ms`)}` : `S: ${line}`);
  });
  if (step.ok === false && step.mismatch) lines.push(paint.bad(`# line ${step.line}: ${step.mismatch}`));
  else if (step.reply === null && step.mismatch) lines.push(paint.dim(`# line ${step.line}: ${step.mismatch}`));
  return lines;
}
