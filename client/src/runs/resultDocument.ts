// "Open Last Result": the last run's dialogue as it happened, in a read-only
// `.smtp` document (a virtual document of the `smtp-result` scheme, so it
// cannot be edited and is not checked as if it were the user's file);
// "Show Run History": the same for each of the window's recent runs; and
// "Save as Transcript", which writes the shown result's dialogue to a file.
import { EventEmitter, Uri, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
import { resultDocument, type ResultDocument } from './resultDocumentText';
import { historyItemText, RunHistory } from './runHistory';
import { baseName, type SessionRuns } from './sessionRuns';

export const RESULT_SCHEME = 'smtp-result';
const LAST_RESULT_URI = Uri.from({ scheme: RESULT_SCHEME, path: '/Last SMTP Result.smtp' });
const HISTORY_PATH = /^\/history\/(\d+)\//;

interface KeptResult {
  document: ResultDocument;
  source: Uri;
}

export class ResultDocuments implements Disposable, TextDocumentContentProvider {
  private last: KeptResult | null = null;
  private readonly history = new RunHistory<KeptResult>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Disposable[] = [];

  constructor(runs: SessionRuns) {
    this.subscriptions.push(
      workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      runs.onDidFinishRun((finished) => {
        // Only runs that ran: a run refused before it started keeps the previous result.
        if (!finished.result || finished.result.sessions.length === 0) return;
        const fileLabel = workspace.asRelativePath(finished.request.uri);
        this.last = { document: resultDocument(finished.result, fileLabel, finished.finishedAt), source: finished.request.uri };
        this.history.add({ finishedAt: finished.finishedAt, fileLabel, cancelled: finished.result.cancelled, sessions: finished.result.sessions.map((run) => run.result), value: this.last });
        this.changed.fire(LAST_RESULT_URI);
      }),
      this.changed,
    );
  }

  provideTextDocumentContent(uri: Uri): string {
    const historyId = HISTORY_PATH.exec(uri.path);
    if (historyId) return this.history.get(Number(historyId[1]))?.value.document.text ?? '# This run is no longer in the history (it keeps the last 20 runs of this window).\n';
    return this.last?.document.text ?? '# No SMTP session has run yet in this window.\n';
  }

  /** A quick pick of the window's recent runs, newest first; the one picked opens like the last result. */
  async showHistory(): Promise<void> {
    const entries = this.history.list();
    if (entries.length === 0) {
      void window.showInformationMessage('SMTP: no session has run yet in this window, so there is no history. Run one with "▶ Run session" above it.');
      return;
    }
    const picked = await window.showQuickPick(entries.map((entry) => ({ ...historyItemText(entry), entry })), {
      title: 'SMTP: Run History',
      placeHolder: 'Pick a run to open what happened (the last 20 runs of this window)',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked) return;
    const name = baseName(picked.entry.value.source).replace(/\.smtp$/i, '');
    const uri = Uri.from({ scheme: RESULT_SCHEME, path: `/history/${picked.entry.id}/${name} (run ${picked.entry.id}).smtp` });
    await window.showTextDocument(await workspace.openTextDocument(uri), { preview: true });
  }

  async openLast(): Promise<void> {
    if (!this.last) {
      void window.showInformationMessage('SMTP: no session has run yet. Run one with "▶ Run session" above it, or "SMTP: Run Session" (Ctrl+Alt+R).');
      return;
    }
    const document = await workspace.openTextDocument(LAST_RESULT_URI);
    await window.showTextDocument(document, { preview: true });
  }

  /**
   * Writes the dialogue (without the header of timings) to a `.smtp` file the
   * user picks: the result shown in `shown` (the editor title's button passes
   * it), else the last one.
   */
  async saveAsTranscript(shown?: unknown): Promise<void> {
    // From the palette there is no argument: the result in the active editor, if it is one.
    const uri = shown instanceof Uri ? shown : window.activeTextEditor?.document.uri;
    const historyId = uri?.scheme === RESULT_SCHEME ? HISTORY_PATH.exec(uri.path) : null;
    const kept = historyId ? this.history.get(Number(historyId[1]))?.value ?? null : this.last;
    if (!kept) {
      void window.showInformationMessage(historyId ? 'SMTP: this run is no longer in the history, so it cannot be saved.' : 'SMTP: there is no result to save yet: run a session first.');
      return;
    }
    const source = kept.source;
    const folder = source.scheme === 'file' ? Uri.joinPath(source, '..') : workspace.workspaceFolders?.[0]?.uri;
    const suggested = baseName(source).replace(/\.smtp$/i, '') + '.recorded.smtp';
    const target = await window.showSaveDialog({
      title: 'Save as Transcript',
      defaultUri: folder ? Uri.joinPath(folder, suggested) : undefined,
      filters: { 'SMTP transcript': ['smtp'] },
    });
    if (!target) return;
    try {
      await workspace.fs.writeFile(target, new TextEncoder().encode(kept.document.transcript));
      await window.showTextDocument(target);
    } catch (error) {
      void window.showErrorMessage(`SMTP: could not save the transcript to ${target.fsPath}: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
