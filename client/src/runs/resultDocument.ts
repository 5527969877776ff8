// "Open Last Result": the last run's dialogue as it happened, in a read-only
// `.smtp` document (a virtual document of the `smtp-result` scheme, so it
// cannot be edited and is not checked as if it were the user's file), and
// "Save as Transcript", which writes its dialogue to a file the user picks.
import { EventEmitter, Uri, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
import { resultDocument, type ResultDocument } from './resultDocumentText';
import { baseName, type SessionRuns } from './sessionRuns';

export const RESULT_SCHEME = 'smtp-result';
const LAST_RESULT_URI = Uri.from({ scheme: RESULT_SCHEME, path: '/Last SMTP Result.smtp' });

export class ResultDocuments implements Disposable, TextDocumentContentProvider {
  private last: { document: ResultDocument; source: Uri } | null = null;
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: Disposable[] = [];

  constructor(runs: SessionRuns) {
    this.subscriptions.push(
      workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      runs.onDidFinishRun((finished) => {
        // Only runs that ran: a run refused before it started keeps the previous result.
        if (!finished.result || finished.result.sessions.length === 0) return;
        this.last = { document: resultDocument(finished.result, workspace.asRelativePath(finished.request.uri), finished.finishedAt), source: finished.request.uri };
        this.changed.fire(LAST_RESULT_URI);
      }),
      this.changed,
    );
  }

  provideTextDocumentContent(): string {
    return this.last?.document.text ?? '# No SMTP session has run yet in this window.\n';
  }

  async openLast(): Promise<void> {
    if (!this.last) {
      void window.showInformationMessage('SMTP: no session has run yet. Run one with "▶ Run session" above it, or "SMTP: Run Session" (Ctrl+Alt+R).');
      return;
    }
    const document = await workspace.openTextDocument(LAST_RESULT_URI);
    await window.showTextDocument(document, { preview: true });
  }

  /** Writes the dialogue (without the header of timings) to a `.smtp` file the user picks. */
  async saveAsTranscript(): Promise<void> {
    if (!this.last) {
      void window.showInformationMessage('SMTP: there is no result to save yet: run a session first.');
      return;
    }
    const source = this.last.source;
    const folder = source.scheme === 'file' ? Uri.joinPath(source, '..') : workspace.workspaceFolders?.[0]?.uri;
    const suggested = baseName(source).replace(/\.smtp$/i, '') + '.recorded.smtp';
    const target = await window.showSaveDialog({
      title: 'Save as Transcript',
      defaultUri: folder ? Uri.joinPath(folder, suggested) : undefined,
      filters: { 'SMTP transcript': ['smtp'] },
    });
    if (!target) return;
    try {
      await workspace.fs.writeFile(target, new TextEncoder().encode(this.last.document.transcript));
      await window.showTextDocument(target);
    } catch (error) {
      void window.showErrorMessage(`SMTP: could not save the transcript to ${target.fsPath}: ${(error as Error).message}`);
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
