// How a run's results read in the editor: the text after each C: line, its
// colour, the hover, the diagnostic message, the status bar summary. Pure
// functions of the server's StepReport and SessionReport (no `vscode`), so the
// exact wording the e2e tests look for is tested here.
import type { CaptureReport, RunSessionCommand, SessionReport, StepReport, TlsReport } from '../../../server/src/contract/messages';
import { visibleName } from '../visibleText';

/** Green, red or grey: the theme colours smtp.result.passed / failed / neutral. */
export type StepVerdict = 'passed' | 'failed' | 'neutral';

/** The command the hover of a message end offers when the embedded server captured it (arguments: its queue id). */
export const OPEN_CAPTURED_MESSAGE = 'smtp.openCapturedMessage';

/** Inline texts longer than this are cut: the hover has the whole reply. */
const MAX_INLINE_CHARACTERS = 80;

export function stepVerdict(step: StepReport): StepVerdict {
  if (step.skipped) return 'neutral';
  if (step.ok === true) return 'passed';
  if (step.ok === false) return 'failed';
  return 'neutral';
}

/**
 * The text shown after a step's line: `250 2.1.5 Ok · 3 ms`. A multi-line
 * reply shows its first line and how many follow; a skipped step says so; a
 * step sent but never answered (the session ended first) says that.
 */
export function inlineText(step: StepReport): string {
  if (step.skipped) return step.expected ? `skipped (expected ${step.expected})` : 'skipped';
  if (!step.reply) return `no reply · ${formatMs(step.ms)}`;
  const [first = String(step.reply.code), ...rest] = step.reply.lines;
  // `250-mx.example.org` reads as a reply, not a continuation, on its own.
  const head = cut(first.replace(/^(\d{3})-/, '$1 '), MAX_INLINE_CHARACTERS);
  const more = rest.length > 0 ? ` (+${rest.length} line${rest.length === 1 ? '' : 's'})` : '';
  // LMTP and PRDR answer the message once per recipient: say whose delivery this reply reports.
  const recipient = step.recipient ? ` · for ${step.recipient}` : '';
  // The message is in the inbox: the hover on this line opens it.
  const captured = step.capturedMessageId ? ' · ✉ in the SMTP Inbox (hover to open)' : '';
  return `${head}${more}${recipient} · ${formatMs(step.ms)}${captured}`;
}

/**
 * The text shown after a capture line (`@qid = {{$reply /queued as (\S+)/}}`)
 * once its session ran: `captured 4XyZ1` — the value as the run reported it,
 * so a secret is *** already; cut like a reply, hidden characters escaped.
 */
export function captureInlineText(capture: CaptureReport): string {
  return capture.value === '' ? 'captured an empty value' : `captured ${cut(visibleName(capture.value), MAX_INLINE_CHARACTERS)}`;
}

/** `3 ms`, `1.2 s`: whole milliseconds below a second. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/**
 * The diagnostic for an unmet expectation, on its `S:` line:
 * `expected 250, got 550 5.1.1 <bob@example.org>: Recipient address rejected`,
 * then the run's own reason (`mismatch`) when it is about something else than the code
 * (an enhanced code, or the text under @strict). Null for a met expectation.
 */
export function mismatchMessage(step: StepReport): string | null {
  if (step.ok !== false || !step.reply) return null;
  const got = step.reply.lines[0] ?? String(step.reply.code);
  const base = `expected ${step.expected ?? '?'}, got ${got}`;
  return step.mismatch && !step.mismatch.startsWith('expected ' + (step.expected ?? '') + ',') ? `${base} — ${step.mismatch}` : base;
}

/** The hover on a step's inline result: the whole reply, what was expected, timing, and TLS details when this step brought TLS. */
export function stepHoverMarkdown(step: StepReport, tls: TlsReport | null): string {
  const parts: string[] = [];
  if (step.skipped) {
    parts.push(`**Skipped**: an earlier step failed or the server ended the session${step.expected ? ` (expected ${escapeMarkdown(step.expected)})` : ''}.`);
  } else if (step.reply) {
    parts.push(fence(step.reply.lines.join('\n')));
    const verdict = step.ok === true ? `✓ met the expectation ${escapeMarkdown(step.expected ?? '')}` : step.ok === false ? `✗ ${escapeMarkdown(mismatchMessage(step) ?? '')}` : 'no expectation recorded';
    parts.push(`${verdict} · ${formatMs(step.ms)}`);
  } else {
    parts.push(`No reply: the session ended before the server answered (${formatMs(step.ms)}).`);
  }
  if (step.sent) parts.push(`Sent: \`${step.sent.replace(/`/g, "'")}\``);
  if (step.capturedMessageId) parts.push(`[Open Captured Message](${openCapturedMessageLink(step.capturedMessageId)}) — the local server's copy, with its envelope and session`);
  if (tls) parts.push(tlsMarkdown(tls));
  return parts.join('\n\n');
}

/** A `command:` link whose one argument, the queue id, is JSON in the query (as VS Code reads command links). */
export function openCapturedMessageLink(id: string): string {
  return `command:${OPEN_CAPTURED_MESSAGE}?${encodeURIComponent(JSON.stringify([id]))}`;
}

/** TLS as a person checking a certificate wants it: protocol, cipher, verified (or why not), subject, issuer, validity, fingerprint. */
export function tlsMarkdown(tls: TlsReport): string {
  const verified = tls.verified ? 'yes' : `no${tls.verificationError ? ` — ${tls.verificationError}` : ' (verification was off)'}`;
  return [
    '**TLS**',
    '',
    `- Protocol: ${escapeMarkdown(tls.protocol)}`,
    `- Cipher: ${escapeMarkdown(tls.cipher)}`,
    `- Certificate verified: ${escapeMarkdown(verified)}`,
    `- Subject: ${escapeMarkdown(tls.subject)}`,
    `- Issuer: ${escapeMarkdown(tls.issuer)}`,
    `- Valid until: ${escapeMarkdown(tls.validTo)}`,
    `- SHA-256: \`${tls.fingerprint256}\``,
  ].join('\n');
}

/** TLS as plain lines (for the result document's comments). */
export function tlsLines(tls: TlsReport): string[] {
  const verified = tls.verified ? 'verified' : `not verified${tls.verificationError ? ` (${tls.verificationError})` : ''}`;
  return [
    `TLS: ${tls.protocol}, ${tls.cipher}, certificate ${verified}`,
    `  subject: ${tls.subject}`,
    `  issuer: ${tls.issuer}`,
    `  valid until: ${tls.validTo}`,
    `  SHA-256: ${tls.fingerprint256}`,
  ];
}

/** The step that brought TLS up: the STARTTLS command answered 220 (when TLS is not implicit). */
export function isStartTlsStep(step: StepReport): boolean {
  return step.kind === 'command' && step.sent !== null && /^STARTTLS\s*$/i.test(step.sent) && step.reply?.code === 220;
}

export interface RunSummary {
  /** Expectations that held. */
  met: number;
  /** Expectations checked or skipped. */
  total: number;
  /** Sessions that could not run or ended in an error. */
  errors: number;
  ok: boolean;
}

/** Counts for the status bar and notifications: `5/5` expectations. */
export function summarize(results: SessionReport[]): RunSummary {
  let met = 0;
  let total = 0;
  let errors = 0;
  for (const result of results) {
    if (result.error) errors++;
    for (const step of result.steps) {
      if (step.expected === null) continue;
      total++;
      if (step.ok === true) met++;
    }
  }
  return { met, total, errors, ok: results.length > 0 && results.every((result) => result.ok) };
}

/** The status bar text after a run: `$(pass) SMTP 5/5`, `$(error) SMTP 4/5`. */
export function summaryStatusText(summary: RunSummary, cancelled: boolean): string {
  const icon = cancelled ? '$(circle-slash)' : summary.ok ? '$(pass)' : '$(error)';
  const suffix = cancelled ? ' (cancelled)' : summary.errors > 0 ? ` · ${summary.errors} error${summary.errors === 1 ? '' : 's'}` : '';
  return `${icon} SMTP ${summary.met}/${summary.total}${suffix}`;
}

/**
 * What a run read from this machine, by name only (never a value or a file's
 * content): `read from this machine: environment SMTP_HOST, USER; file
 * attachments/report.pdf`, or null when it read nothing. The same wording as
 * the CLI's summary line. Names are shown with control and bidirectional
 * characters escaped: a file name can hold any of them.
 */
export function inputsText(inputs: RunSessionCommand.Result['inputs'] | undefined): string | null {
  const parts: string[] = [];
  const environment = inputs?.environment ?? [];
  const files = inputs?.files ?? [];
  if (environment.length > 0) parts.push(`environment ${environment.map(visibleName).join(', ')}`);
  if (files.length > 0) parts.push(`file${files.length === 1 ? '' : 's'} ${files.map(visibleName).join(', ')}`);
  return parts.length > 0 ? `read from this machine: ${parts.join('; ')}` : null;
}

/** The label of a session for people: its `###` name, or where it starts. */
export function sessionLabel(name: string | null, line: number): string {
  return name && name.trim() !== '' ? name : `Session at line ${line}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
