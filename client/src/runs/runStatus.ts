// The status bar item of runs: what is running now ("$(sync~spin) SMTP:
// Plain delivery · line 14"), then the last run's outcome ("$(pass) SMTP 5/5");
// clicking it opens the last result.
import { StatusBarAlignment, ThemeColor, window, type Disposable } from 'vscode';
import { inputsText, summarize, summaryStatusText } from './resultText';
import type { RunFinished, SessionRuns } from './sessionRuns';

export class RunStatus implements Disposable {
  private readonly item = window.createStatusBarItem('smtp.runStatus', StatusBarAlignment.Left, 50);
  private readonly subscriptions: Disposable[] = [];
  private last: RunFinished | null = null;

  constructor(private readonly runs: SessionRuns) {
    this.item.name = 'SMTP Session Runs';
    this.item.command = 'smtp.openLastResult';
    this.subscriptions.push(
      runs.onDidStartRun(() => this.show()),
      runs.onDidReceiveEvent(() => this.show()),
      // After the run has left the list of active ones.
      runs.onDidFinishRun((finished) => {
        this.last = finished;
        this.show();
      }),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }

  private show(): void {
    const running = this.runs.runningLabel;
    if (running !== null) {
      const more = this.runs.runningCount > 1 ? ` (+${this.runs.runningCount - 1})` : '';
      this.item.text = `$(sync~spin) SMTP: ${running}${more}`;
      this.item.tooltip = 'An SMTP session is running. Stop it with "SMTP: Stop Session".';
      this.item.backgroundColor = undefined;
      this.item.show();
      return;
    }
    const last = this.last;
    if (!last) {
      this.item.hide();
      return;
    }
    if (last.result === null) {
      this.item.text = '$(error) SMTP: could not run';
      this.item.tooltip = last.error ?? undefined;
      this.item.backgroundColor = new ThemeColor('statusBarItem.errorBackground');
    } else {
      const summary = summarize(last.result.sessions.map((session) => session.result));
      this.item.text = summaryStatusText(summary, last.result.cancelled);
      const read = inputsText(last.result.inputs);
      this.item.tooltip = `${summary.met} of ${summary.total} expectations met${summary.errors > 0 ? `, ${summary.errors} session error(s)` : ''}.${read ? ` The run ${read}.` : ''} Click to open the last result.`;
      this.item.backgroundColor = summary.ok || last.result.cancelled ? undefined : new ThemeColor('statusBarItem.errorBackground');
    }
    this.item.show();
  }
}
