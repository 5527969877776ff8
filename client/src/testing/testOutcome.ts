// What the Test Explorer reports for one session's result: passed, failed
// (each unmet expectation with expected/actual at its S: line) or errored (the
// session could not run or broke off), and a line of output per step. Pure
// (no `vscode`), so the verdicts are tested without an editor.
import type { RunSessionCommand, SessionReport } from '../../../server/src/contract/messages';
import { formatMs, inlineText, inputsText, mismatchMessage } from '../runs/resultText';

export interface OutcomeMessage {
  message: string;
  /** For a diff view: what the file expected and what came. */
  expected: string | null;
  actual: string | null;
  /** 1-based line the message belongs to, as the run reported it. */
  line: number;
}

export interface TestOutcome {
  state: 'passed' | 'failed' | 'errored';
  messages: OutcomeMessage[];
  /** One line per step (CRLF, as the test output terminal wants), and the error. */
  output: string[];
  durationMs: number;
}

/** `inputs`: what the run read from this machine (names only), listed after the steps. */
export function testOutcome(result: SessionReport, inputs?: RunSessionCommand.Result['inputs']): TestOutcome {
  const messages: OutcomeMessage[] = [];
  const output: string[] = [];
  let durationMs = 0;
  for (const step of result.steps) {
    durationMs += step.ms;
    const mismatch = mismatchMessage(step);
    if (mismatch !== null && step.reply) {
      messages.push({ message: mismatch, expected: step.expected, actual: step.reply.lines.join('\n'), line: step.expectedLine ?? step.line });
    }
    const mark = step.ok === true ? '✓' : step.ok === false ? '✗' : step.skipped ? '-' : ' ';
    output.push(`${mark} line ${step.line}: ${step.sent !== null ? `${step.sent} → ` : ''}${inlineText(step)}\r\n`);
  }
  if (result.warnings.length > 0) output.push(...result.warnings.map((warning) => `! ${warning}\r\n`));
  const read = inputsText(inputs);
  if (read) output.push(`the run ${read}\r\n`);
  if (result.error) {
    output.push(`error: ${result.error.message}\r\n`);
    return { state: 'errored', messages: [{ message: result.error.message, expected: null, actual: null, line: result.error.line ?? result.line }, ...messages], output, durationMs };
  }
  if (!result.ok) {
    const skipped = result.steps.filter((step) => step.skipped).length;
    if (messages.length === 0) messages.push({ message: `${skipped} step${skipped === 1 ? ' was' : 's were'} not played.`, expected: null, actual: null, line: result.line });
    return { state: 'failed', messages, output, durationMs };
  }
  output.push(`passed · ${formatMs(durationMs)}\r\n`);
  return { state: 'passed', messages, output, durationMs };
}
