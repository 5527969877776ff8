// The palette commands of runs, results, secrets and environments (category
// "SMTP"), each a few lines into the service that does the work. Which
// session to run comes from the arguments (a code lens's run params, or a URI
// and a 0-based index) or the cursor — placed in the document's outline,
// where the server's symbols say where each session begins and ends.
import { commands, Uri, window, workspace, type Disposable, type DocumentSymbol } from 'vscode';
import type { RunSessionCommand } from '../../server/src/contract/messages';
import { RECORD_SESSION, RUN_AGAINST_LOCAL_SERVER, RUN_SESSION } from './codeLensCommands';
import type { Environments } from './environments/environments';
import type { ExplainReplyCode } from './explainReplyCode';
import type { ResultDocuments } from './runs/resultDocument';
import { errorMessage, type RunRequest, type SessionRuns } from './runs/sessionRuns';
import { sessionAtLine } from './sessionAtCursor';
import type { SecretAnswers } from './secrets/secretAnswers';

export interface CommandServices {
  runs: SessionRuns;
  results: ResultDocuments;
  secrets: SecretAnswers;
  environments: Environments;
  explain: ExplainReplyCode;
}

export function registerCommands(services: CommandServices): Disposable[] {
  const { runs, results, secrets, environments, explain } = services;
  const runFrom = (local: boolean) => async (first?: unknown, second?: unknown) => {
    const request = await requestFrom(first, second, 'cursor');
    if (request) await runs.run({ ...request, local: local || request.local === true });
  };
  return [
    commands.registerCommand(RUN_SESSION, async (first?: unknown, second?: unknown) => {
      // A lens's params may ask for a recording or the local server: the same run as their own commands.
      if (isRunParams(first) && first.record === true) return record(runs, first);
      return runFrom(false)(first, second);
    }),
    commands.registerCommand('smtp.runAllSessions', async (first?: unknown) => {
      const request = await requestFrom(first, undefined, 'all');
      if (request) await runs.run({ ...request, session: null });
    }),
    commands.registerCommand(RUN_AGAINST_LOCAL_SERVER, runFrom(true)),
    commands.registerCommand(RECORD_SESSION, (first?: unknown, second?: unknown) => record(runs, first, second)),
    commands.registerCommand('smtp.stopSession', async (uri?: unknown) => {
      const document = uri instanceof Uri ? uri : undefined;
      const stopped = (document && (await runs.cancelAll(document))) || (await runs.cancelAll());
      if (stopped === 0) void window.showInformationMessage('SMTP: no session is running.');
    }),
    commands.registerCommand('smtp.clearResults', (uri?: unknown) => {
      runs.clearResults(uri instanceof Uri ? uri : undefined);
    }),
    commands.registerCommand('smtp.openLastResult', () => results.openLast()),
    commands.registerCommand('smtp.saveResultAsTranscript', (shown?: unknown) => results.saveAsTranscript(shown)),
    commands.registerCommand('smtp.showRunHistory', () => results.showHistory()),
    commands.registerCommand('smtp.explainReplyCode', (text?: unknown) => explain.explain(text)),
    commands.registerCommand('smtp.setSecret', () => secrets.setSecret()),
    commands.registerCommand('smtp.clearSecrets', () => secrets.clearSecrets()),
    commands.registerCommand('smtp.selectEnvironment', () => environments.select()),
  ];
}

/** "Record": run, then open the dialogue as it happened as a new, unsaved `.smtp` document. */
async function record(runs: SessionRuns, first?: unknown, second?: unknown): Promise<void> {
  const request = await requestFrom(first, second, 'cursor');
  if (!request) return;
  const finished = await runs.run(request);
  if (!finished.result) return;
  if (finished.result.transcript === undefined) {
    void window.showWarningMessage('SMTP: the language server did not return a recording of this run (it may be older than this extension).');
    return;
  }
  const document = await workspace.openTextDocument({ language: 'smtp', content: finished.result.transcript });
  await window.showTextDocument(document, { preview: false });
}

function isRunParams(value: unknown): value is Partial<RunSessionCommand.Params> & { uri: string } {
  return typeof value === 'object' && value !== null && !(value instanceof Uri) && typeof (value as { uri?: unknown }).uri === 'string';
}

/**
 * The run the arguments ask for: a run params object (code lens), or a URI
 * (or its string) and an optional 0-based index; without arguments, the
 * active `.smtp` editor. Without an index: the session at the cursor (or
 * every session, for Run All).
 */
async function requestFrom(first: unknown, second: unknown, fallback: 'cursor' | 'all'): Promise<RunRequest | undefined> {
  if (isRunParams(first)) {
    return { uri: Uri.parse(first.uri), session: typeof first.session === 'number' ? first.session : null, local: first.local === true };
  }
  const editor = window.activeTextEditor;
  const uri = first instanceof Uri ? first : typeof first === 'string' ? Uri.parse(first) : editor?.document.languageId === 'smtp' ? editor.document.uri : undefined;
  if (!uri) {
    void window.showInformationMessage('SMTP: open a .smtp file and put the cursor in a session to run it.');
    return undefined;
  }
  if (typeof second === 'number' && Number.isInteger(second) && second >= 0) return { uri, session: second };
  if (fallback === 'all') return { uri, session: null };
  const cursorEditor = editor && editor.document.uri.toString() === uri.toString() ? editor : undefined;
  if (!cursorEditor) return { uri, session: null };
  // The outline of the document as it is now, saved or not: one top-level symbol per session, in order.
  let symbols: DocumentSymbol[] | undefined;
  try {
    symbols = await commands.executeCommand<DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
  } catch (error) {
    void window.showErrorMessage(`SMTP: could not find the session at the cursor: ${errorMessage(error)}`);
    return undefined;
  }
  const sessions = (symbols ?? []).map((symbol) => ({ startLine: symbol.range.start.line, endLine: symbol.range.end.line }));
  const index = sessionAtLine(sessions, cursorEditor.selection.active.line);
  if (index === null) {
    void window.showInformationMessage('SMTP: this file has no session to run yet: write C: and S: lines (see docs/format.md).');
    return undefined;
  }
  return { uri, session: index };
}
