// Draws the results of runs in the editors: after each step's line, the real
// reply in green (met), red (not met) or grey (no expectation, skipped), with a
// hover holding the whole reply, its timing and TLS details; and after each
// capture line (`@name = {{$reply …}}`) the value the run took (its hover is
// the language server's). The text and colours come from resultText.ts; the
// lines from the result store.
import { Disposable, MarkdownString, Range, ThemeColor, window, type DecorationOptions, type TextEditor, type TextEditorDecorationType } from 'vscode';
import { coalesce } from './coalesce';
import { shiftedLine, type TrackedSession } from './resultStore';
import { captureInlineText, inlineText, isStartTlsStep, OPEN_CAPTURED_MESSAGE, stepHoverMarkdown, stepVerdict, type StepVerdict } from './resultText';
import type { SessionRuns } from './sessionRuns';

const VERDICTS: readonly StepVerdict[] = ['passed', 'failed', 'neutral'];

export class InlineResults implements Disposable {
  private readonly types: Record<StepVerdict, TextEditorDecorationType>;
  private readonly subscriptions: Disposable[] = [];
  private readonly pending = coalesce((uris) => this.redraw(uris));

  constructor(private readonly runs: SessionRuns) {
    const type = (verdict: StepVerdict) => window.createTextEditorDecorationType({
      after: { color: new ThemeColor(`smtp.result.${verdict}`), margin: '0 0 0 2em', fontStyle: 'italic' },
      isWholeLine: false,
    });
    this.types = { passed: type('passed'), failed: type('failed'), neutral: type('neutral') };
    this.subscriptions.push(
      runs.onDidChangeResults((uri) => this.pending.add(uri)),
      window.onDidChangeVisibleTextEditors(() => this.redraw('all')),
      this.pending,
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const verdict of VERDICTS) this.types[verdict].dispose();
  }

  private redraw(uris: Set<string> | 'all'): void {
    for (const editor of window.visibleTextEditors) {
      if (uris === 'all' || uris.has(editor.document.uri.toString())) this.draw(editor);
    }
  }

  private draw(editor: TextEditor): void {
    const byVerdict: Record<StepVerdict, DecorationOptions[]> = { passed: [], failed: [], neutral: [] };
    const document = editor.document;
    for (const session of this.runs.store.sessions(document.uri.toString())) {
      for (const step of session.steps) {
        const line = shiftedLine(session, step.line) - 1;
        if (line < 0 || line >= document.lineCount) continue;
        const text = document.lineAt(line).text;
        // The whole line is the hover's target: the injected text itself cannot be hovered on its own.
        const range = new Range(line, 0, line, text.length);
        const hover = new MarkdownString(stepHoverMarkdown(step, tlsOf(session, step)));
        // Links run only the one command they need, and only on a message end the embedded server captured.
        if (step.capturedMessageId) hover.isTrusted = { enabledCommands: [OPEN_CAPTURED_MESSAGE] };
        byVerdict[stepVerdict(step)].push({ range, hoverMessage: hover, renderOptions: { after: { contentText: inlineText(step) } } });
      }
      for (const capture of session.captures) {
        const line = shiftedLine(session, capture.line) - 1;
        if (line < 0 || line >= document.lineCount) continue;
        const range = new Range(line, 0, line, document.lineAt(line).text.length);
        // No hover of its own: the language server's hover on this line (and on each use) already names the value.
        byVerdict.neutral.push({ range, renderOptions: { after: { contentText: captureInlineText(capture) } } });
      }
    }
    for (const verdict of VERDICTS) editor.setDecorations(this.types[verdict], byVerdict[verdict]);
  }
}

/** TLS belongs on the STARTTLS line, or on the greeting when the connection was TLS from the start. */
function tlsOf(session: TrackedSession, step: TrackedSession['steps'][number]): TrackedSession['tls'] {
  if (!session.tls) return null;
  if (isStartTlsStep(step)) return session.tls;
  const startTls = session.steps.some(isStartTlsStep);
  return step.kind === 'greeting' && !startTls ? session.tls : null;
}
