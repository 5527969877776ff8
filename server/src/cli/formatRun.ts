import type { SessionResult, StepResult } from '../engine/playSession';

export interface RunReport {
  file: string;
  ok: boolean;
  sessions: SessionResult[];
}

/** The stable JSON of `run --format json`. */
export function runToJson(report: RunReport): string {
  return JSON.stringify({
    file: report.file,
    ok: report.ok,
    sessions: report.sessions.map((session) => ({
      name: session.name, line: session.line, server: session.server, ok: session.ok, error: session.error, tls: session.tls, warnings: session.warnings,
      steps: session.steps.map((step) => ({
        line: step.line, kind: step.kind, sent: step.sent, reply: step.reply, expected: step.expected, ok: step.ok, mismatch: step.mismatch, skipped: step.skipped, ms: step.ms,
      })),
    })),
  }, null, 2);
}

interface Paint {
  good(text: string): string;
  bad(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Paint = { good: (t) => t, bad: (t) => t, dim: (t) => t, bold: (t) => t };
const colours: Paint = {
  good: (t) => `\x1b[32m${t}\x1b[0m`,
  bad: (t) => `\x1b[31m${t}\x1b[0m`,
  dim: (t) => `\x1b[2m${t}\x1b[0m`,
  bold: (t) => `\x1b[1m${t}\x1b[0m`,
};

/** The dialogue as it happened, in .smtp form, each reply marked against its expectation. */
export function runToText(report: RunReport, colour: boolean): string {
  const paint = colour ? colours : plain;
  const out: string[] = [];
  for (const session of report.sessions) {
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
    out.push('');
  }
  const passed = report.sessions.filter((session) => session.ok).length;
  const failed = report.sessions.length - passed;
  const summary = `${report.sessions.length} session${report.sessions.length === 1 ? '' : 's'}: ${passed} passed${failed ? `, ${failed} failed` : ''}`;
  out.push(failed ? paint.bad(summary) : paint.good(summary));
  return out.join('\n');
}

function stepLines(step: StepResult, paint: Paint): string[] {
  const lines: string[] = [];
  if (step.sent !== null) lines.push(`C: ${step.sent}`);
  if (step.skipped) {
    lines.push(paint.dim(`# line ${step.line}: ${step.mismatch}`));
    return lines;
  }
  const replyLines = step.reply?.lines ?? [];
  const mark = step.ok === true ? paint.good('✓') : step.ok === false ? paint.bad('✗') : paint.dim('·');
  replyLines.forEach((line, index) => {
    const last = index === replyLines.length - 1;
    lines.push(last ? `S: ${line}  ${mark} ${paint.dim(`${step.ms} ms`)}` : `S: ${line}`);
  });
  if (step.ok === false && step.mismatch) lines.push(paint.bad(`# line ${step.line}: ${step.mismatch}`));
  else if (step.reply === null && step.mismatch) lines.push(paint.dim(`# line ${step.line}: ${step.mismatch}`));
  return lines;
}
