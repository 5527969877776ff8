// A run's diagnostics (source "smtp-session run": an unmet expectation on its
// S: line, a session that could not run where it failed) are the language
// server's, published to every editor alike (server/src/lsp/runOutcome.ts);
// vscode-languageclient puts them in Problems with the analysis's. The server
// moves them with their session and drops them when it is edited or runs
// again. What only the extension knows is "SMTP: Clear Results": when a
// document's inline results are cleared, its run diagnostics go too.
import type { Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClearRunResultsCommand } from '../../../server/src/contract/messages';
import { executeServerCommand } from '../protocol';
import { coalesce } from './coalesce';
import type { SessionRuns } from './sessionRuns';

export class RunDiagnostics implements Disposable {
  /** Documents that have inline results: when one has none any more, the server is told. */
  private readonly withResults = new Set<string>();
  private readonly subscription: Disposable;
  private readonly pending = coalesce((uris) => {
    for (const uri of uris === 'all' ? [...this.withResults, ...this.runs.store.uris()] : uris) this.update(uri);
  });

  constructor(private readonly runs: SessionRuns, private readonly client: LanguageClient) {
    this.subscription = runs.onDidChangeResults((uri) => this.pending.add(uri));
  }

  dispose(): void {
    this.subscription.dispose();
    this.pending.dispose();
  }

  private update(uri: string): void {
    if (this.runs.store.sessions(uri).length > 0) {
      this.withResults.add(uri);
      return;
    }
    if (!this.withResults.delete(uri)) return;
    const params: ClearRunResultsCommand.Params = { uri };
    executeServerCommand<ClearRunResultsCommand.Result>(this.client, ClearRunResultsCommand.command, params).catch((error: unknown) => {
      // The server stopping (a window reload) takes its diagnostics with it; anything else belongs in its log.
      this.client.warn(`Clearing the run diagnostics of ${uri} failed`, error, false);
    });
  }
}
