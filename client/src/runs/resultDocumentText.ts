// The text of "Open Last Result": the dialogue as it happened (the server's
// recording, Result.transcript) under a header of comments with each session's
// outcome, TLS details and step timings. Comments keep it a valid `.smtp`
// file. Pure (no `vscode`); secrets never reach it (the server redacts them).
import type { RunSessionCommand, StepReport } from '../../../server/src/contract/messages';
import { formatMs, inputsText, sessionLabel, tlsLines } from './resultText';

export interface ResultDocument {
  /** Header and dialogue, as shown. */
  text: string;
  /** What "Save as Transcript" writes: the dialogue only, replayable. */
  transcript: string;
}

export function resultDocument(result: RunSessionCommand.Result, fileLabel: string, finishedAt: Date): ResultDocument {
  const header: string[] = [];
  const outcome = result.cancelled ? 'cancelled' : result.ok ? 'passed' : 'failed';
  header.push(`# Run of ${fileLabel} at ${finishedAt.toISOString()}: ${outcome}`);
  for (const { index, result: session } of result.sessions) {
    header.push('#');
    header.push(`# ${sessionLabel(session.name, session.line)} (session ${index + 1}, line ${session.line})${session.server ? ` → ${session.server}` : ''}: ${session.ok ? 'passed' : 'failed'}`);
    if (session.error) header.push(`#   error${session.error.line ? ` (line ${session.error.line})` : ''}: ${session.error.message}`);
    if (session.tls) header.push(...tlsLines(session.tls).map((line) => `#   ${line}`));
    for (const warning of session.warnings) header.push(`#   warning: ${warning}`);
    for (const step of session.steps) header.push(`#   ${stepTiming(step)}`);
  }
  const read = inputsText(result.inputs);
  if (read) header.push('#', `# ${read}`);
  const transcript = result.transcript ?? dialogueFromSteps(result);
  const text = `${header.map(oneLine).join('\n')}\n\n${transcript.endsWith('\n') ? transcript : `${transcript}\n`}`;
  return { text, transcript };
}

/** `line 12: 250 2.1.5 Ok ✓ · 3 ms`. */
function stepTiming(step: StepReport): string {
  if (step.skipped) return `line ${step.line}: skipped`;
  const reply = step.reply ? (step.reply.lines[0] ?? String(step.reply.code)) : 'no reply';
  const verdict = step.ok === true ? ' ✓' : step.ok === false ? ` ✗ expected ${step.expected ?? '?'}` : '';
  return `line ${step.line}: ${reply}${verdict} · ${formatMs(step.ms)}`;
}

/** Without a recording (a server that does not return one): the steps as C:/S: lines, bodies left out. */
function dialogueFromSteps(result: RunSessionCommand.Result): string {
  const lines: string[] = [];
  for (const { result: session } of result.sessions) {
    lines.push(`### ${session.name ?? `Session at line ${session.line}`}`);
    for (const step of session.steps) {
      if (step.skipped) continue;
      if (step.sent !== null) lines.push(step.kind === 'data' ? 'C: .' : `C: ${step.sent}`);
      for (const line of step.reply?.lines ?? []) lines.push(`S: ${line}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** A header line never spans lines: a server's text could hold a line break. */
function oneLine(line: string): string {
  return line.replace(/[\r\n]+/g, ' ');
}
