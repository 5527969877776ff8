// The language server as a thin adapter: LSP in, features/ out. No SMTP knowledge
// lives here; it wires documents to the cache and the cache to the features.
// Only the common (transport-free) vscode-languageserver API is used, so the same
// server could run over any connection: node IPC, stdio or in-memory test streams.
import { dirname } from 'node:path';
import { CodeActionKind, CodeLensRefreshRequest, NotificationType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type Connection, type Disposable, type Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisOptions } from '../analysis/analysisOptions';
import { checkTranscript } from '../analysis/checkTranscript';
import { toPublishedDiagnostics } from '../features/diagnostics';
import { createDocumentCache } from '../features/documentCache';
import { internalError, parseForEditor, withinEditorLimit } from '../features/editorLimits';
import { getCodeLenses } from '../features/codeLenses';
import { getDocumentSymbols } from '../features/documentSymbols';
import { getFoldingRanges } from '../features/foldingRanges';
import { ADD_QUIT_KIND, getCodeActions } from '../features/codeActions';
import { COMPLETION_TRIGGER_CHARACTERS, getCompletions } from '../features/completion';
import { getFormattingEdits } from '../features/formatting';
import { getHover } from '../features/hover';
import { CapturedValues } from './capturedValues';
import { PreviousTrees, rangesToCurrent } from './previousTrees';
import { getInlayHints } from '../features/inlayHints';
import { getSessionOutline } from '../features/sessionOutline';
import { DocumentSessionsNotification, SERVER_COMMANDS, WorkspaceTrustNotification } from '../contract/messages';
import { connectionEditorClient } from './editorClient';
import { ServerCommands, type ServerCommandsOptions } from './serverCommands';
import { filePathOf } from './readTranscript';
import { SettingsCache } from './settings';
import { WorkspaceFolders } from './workspaceFolders';
import { readClientFeatures, STANDARD_CLIENT, type ClientFeatures } from './clientFeatures';
import { completionsForClient } from '../features/completionForClient';
import { RunDiagnostics, runSummary } from './runOutcome';
import { getSemanticTokens, SEMANTIC_TOKENS_LEGEND } from '../features/semanticTokens';
import type { Problem, TranscriptFile } from '../transcript/ast';
import { splitLines } from '../transcript/lines';
import { parseTranscript } from '../transcript/parseTranscript';

export interface ServerOptions {
  /** Quiet time after the last keystroke before a document is validated. */
  validationDelayMs?: number;
  /** Seams for tests; the defaults are the real parser and analyzer. */
  parse?: (text: string) => TranscriptFile;
  check?: (file: TranscriptFile, options: AnalysisOptions) => Problem[];
  /** Documents from this size on answer hover and completion from their last parsed version while the newest waits (previousTrees.ts); tests lower it. */
  previousTreeMinCharacters?: number;
  /** The environment and embedded-server options of session runs; tests set them. */
  sessions?: ServerCommandsOptions;
}

const DEFAULT_VALIDATION_DELAY_MS = 200;

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const delay = options.validationDelayMs ?? DEFAULT_VALIDATION_DELAY_MS;
  const check = options.check ?? checkTranscript;
  const parse = options.parse ?? parseTranscript;
  // Every parse goes through `transcripts`, which keeps the last parsed tree of each document for hover and completion (previousTrees.ts).
  const transcripts = new PreviousTrees(createDocumentCache(parseForEditor(parse)), options.previousTreeMinCharacters);
  const documents = new TextDocuments({
    create: TextDocument.create,
    update: (document, changes, version) => {
      transcripts.changed(document.uri, changes);
      return TextDocument.update(document, changes, version);
    },
  });
  const validation = new ValidationScheduler(delay, (uri) => void validate(uri));
  const settings = new SettingsCache(connection);
  const workspaceFolders = new WorkspaceFolders();
  let client: ClientFeatures = STANDARD_CLIENT;
  const capturedValues = new CapturedValues();
  const commands = new ServerCommands(connectionEditorClient(connection, () => client, settings), {
    // A run reads an open document's tree from the cache, like every feature: one parse per version.
    open: (uri) => {
      const document = documents.get(uri);
      if (!document) return undefined;
      // A run plays the whole file: past the editor's limit the cached tree holds only its first part.
      const text = document.getText();
      return { file: withinEditorLimit(text) ? transcripts.get(document) : parse(text), text, version: document.version };
    },
    parse,
    workspaceRoot: (filePath) => workspaceFolders.rootFor(filePath),
  }, { ...options.sessions, capturedValues });
  const documentSessions = new NotificationType<DocumentSessionsNotification.Params>(DocumentSessionsNotification.method);

  // A run's outcome in standard LSP: diagnostics on the lines concerned for every client (VS Code's Problems
  // shows these too), and a summary message for a client that does not show runs from smtp/sessionEvent.
  const runDiagnostics = new RunDiagnostics();
  commands.runs.finished = (result, ran) => {
    if (!client.smtp.sessionEvents) void connection.sendNotification(ShowMessageNotification.type, runSummary(result)).catch((error: unknown) => logError(connection, 'showing a run\'s summary', error));
    // Recorded against the text that ran: the document may have changed since, and its sessions are found again by their text.
    runDiagnostics.record(result.uri, ran.file, splitLines(ran.text), result);
    publishRunOutcome(result.uri);
    // Such a client shows captured values as inlay hints (capturedValues.ts): it fetches them again.
    if (!client.smtp.sessionEvents && client.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  };
  commands.clearRunResults = (uri) => {
    const cleared = runDiagnostics.clear(uri);
    for (const each of cleared) publishRunOutcome(each);
    return { cleared: cleared.length };
  };

  connection.onInitialize((params) => {
    client = readClientFeatures(params.capabilities);
    // Every initialization option is described in README.md, "Other editors".
    // Benchmarks and other editors may set the debounce: `initializationOptions.validationDelayMs`.
    const initializationOptions = params.initializationOptions as { validationDelayMs?: unknown; localServerFolder?: unknown; smtp?: unknown; workspaceTrusted?: unknown } | undefined;
    const requested = initializationOptions?.validationDelayMs;
    if (typeof requested === 'number' && requested >= 0 && requested <= 10_000) validation.delayMs = requested;
    // Where the embedded server saves messages when `smtp.localServer.folder` is empty: the editor's storage for the extension.
    const folder = initializationOptions?.localServerFolder;
    if (typeof folder === 'string' && folder !== '') commands.captureServer.defaultFolder = folder;
    // The `smtp` settings for a client that can neither answer workspace/configuration nor push them.
    settings.initial = initializationOptions?.smtp;
    settings.clientSupportsConfiguration = client.configuration;
    // Only a client that knows about trust says false (VS Code's Restricted Mode); the others are trusted.
    commands.trust.trusted = initializationOptions?.workspaceTrusted !== false;
    const workspace = workspaceFolders.initialize(params);
    return {
      capabilities: {
        workspace,
        textDocumentSync: TextDocumentSyncKind.Incremental,
        foldingRangeProvider: true,
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        hoverProvider: true,
        inlayHintProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGER_CHARACTERS },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, ADD_QUIT_KIND] },
        codeLensProvider: { resolveProvider: false },
        // Running sessions: the commands and the messages around them are declared in contract/messages.ts.
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
      },
      serverInfo: { name: 'SMTP Session' },
    };
  });
  connection.onInitialized(() => workspaceFolders.listen(connection));
  connection.onShutdown(async () => {
    validation.dispose();
    await commands.dispose();
  });
  connection.onDidChangeConfiguration((params) => {
    settings.changed(params.settings);
    // smtp.environments may define or drop a variable some document uses.
    for (const document of documents.all()) validation.schedule(document.uri);
    if (client.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
  });
  connection.onCompletion((params) => atPosition(params.textDocument.uri, params.position, 'completion', (file, document, position) => {
    // The line as it is now: untouched since the tree's version when the tree is an older one.
    const line = params.position.line;
    const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return completionsForClient(getCompletions(file, lineText, position), { snippets: client.snippets, triggerSuggestCommand: client.smtp.triggerSuggestCommand });
  }, []));
  connection.onCodeAction((params) => withDocument(params.textDocument.uri, 'code actions', (file, document) => {
    const actions = getCodeActions(file, params.textDocument.uri, splitLines(document.getText()), params.context.diagnostics, params.range);
    const only = params.context.only;
    // `only` filters by kind prefix: "source" also asks for "source.addQuit".
    return only ? actions.filter((action) => only.some((kind) => action.kind === kind || action.kind?.startsWith(`${kind}.`))) : actions;
  }, []));
  connection.onHover((params) => atPosition(params.textDocument.uri, params.position, 'hover', (file, _document, position) => getHover(file, position, capturedValues.forDocument(params.textDocument.uri)), null));
  connection.languages.inlayHint.on(async (params) => {
    const { inlayHints } = await settings.forDocument(params.textDocument.uri);
    if (!inlayHints) return [];
    return withDocument(params.textDocument.uri, 'inlay hints', (file, document) => [
      ...getInlayHints(file, params.range),
      // A client that draws runs from smtp/sessionEvent (VS Code) shows captured values itself.
      ...(client.smtp.sessionEvents ? [] : capturedValues.hints(params.textDocument.uri, params.range, (line) => lineLength(document, line))),
    ], []);
  });
  connection.onCodeLens((params) => withTranscript(params.textDocument.uri, 'code lenses', (file) => getCodeLenses(file, params.textDocument.uri, commands.trust.trusted), []));
  connection.onNotification(WorkspaceTrustNotification.method, (params: WorkspaceTrustNotification.Params) => {
    commands.trust.trusted = params?.trusted !== false;
    // The lenses change from "Trust this workspace to run" to the run buttons (or back).
    if (client.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
  connection.onFoldingRanges((params) => withTranscript(params.textDocument.uri, 'folding', getFoldingRanges, []));
  connection.onDocumentSymbol((params) => withTranscript(params.textDocument.uri, 'outline', getDocumentSymbols, []));
  connection.onDocumentFormatting((params) => withDocument(params.textDocument.uri, 'formatting', (file, document) => getFormattingEdits(file, splitLines(document.getText())), []));
  connection.onExecuteCommand((params, token, workDone) => commands.execute(params, token, workDone));
  // A client with the extension's TextMate grammar gets tokens only where the parser knows more (features/semanticTokens.ts).
  connection.languages.semanticTokens.on((params) => withDocument(params.textDocument.uri, 'semantic tokens', (file, document) =>
    getSemanticTokens(file, splitLines(document.getText()), client.smtp.textMateGrammar ? 'beyondGrammar' : 'full'), { data: [] }));

  // onDidChangeContent also fires when a document opens.
  documents.onDidChangeContent((change) => validation.schedule(change.document.uri));
  documents.onDidClose((event) => runSafe(connection, 'closing', () => closed(event.document)));

  documents.listen(connection);
  connection.listen();

  /** Runs a feature over the document's cached tree; `fallback` when the document is gone or the feature fails. */
  function withDocument<T>(uri: string, what: string, feature: (file: TranscriptFile, document: TextDocument) => T, fallback: T): T {
    const document = documents.get(uri);
    if (document === undefined) return fallback;
    return runSafe(connection, `${what} for ${uri}`, () => feature(transcripts.get(document), document)) ?? fallback;
  }

  /**
   * Runs a feature at a position: over this version's tree, or on a large
   * document whose newest version waits for its analysis, over the last
   * parsed one (previousTrees.ts) with the answer's ranges brought back to
   * the current text — when one cannot be, the current version is parsed.
   */
  function atPosition<T>(uri: string, position: Position, what: string, feature: (file: TranscriptFile, document: TextDocument, position: Position) => T, fallback: T): T {
    const document = documents.get(uri);
    if (document === undefined) return fallback;
    return runSafe(connection, `${what} for ${uri}`, () => {
      const tree = transcripts.forPosition(document, position);
      const answer = feature(tree.file, document, tree.position);
      if (!tree.previous) return answer;
      return rangesToCurrent(answer, tree.toCurrent) ?? feature(transcripts.get(document), document, position);
    }) ?? fallback;
  }

  function withTranscript<T>(uri: string, what: string, feature: (file: TranscriptFile) => T, fallback: T): T {
    return withDocument(uri, what, (file) => feature(file), fallback);
  }

  async function validate(uri: string): Promise<void> {
    // The environments' names count as defined; the settings are cached, so this waits only after a change of them.
    const { environmentVariables } = await settings.forDocument(uri);
    runSafe(connection, `validating ${uri}`, () => {
      const document = documents.get(uri);
      if (document === undefined) return; // closed while waiting
      const file = transcripts.get(document);
      const path = filePathOf(uri);
      // A `{{$file}}` that leaves the workspace folder is reported where it is written, as a run would refuse it.
      const fileLocation = path === null ? undefined : { base: dirname(path), root: workspaceFolders.rootFor(path) };
      let problems: Problem[];
      try {
        problems = check(file, { externalVariables: environmentVariables, ...(fileLocation ? { fileLocation } : {}) });
      } catch (error) {
        // The parser's problems still stand: an analysis that failed must not take them off the editor.
        logError(connection, `analysing ${uri}`, error);
        problems = [internalError('analysing', error), ...file.problems];
      }
      const diagnostics = [...toPublishedDiagnostics(problems), ...runDiagnostics.forDocument(uri, file, () => splitLines(document.getText()))];
      void connection.sendDiagnostics({ uri, version: document.version, diagnostics }).catch((error: unknown) => logError(connection, `publishing diagnostics for ${uri}`, error));
      if (client.smtp.documentSessions) {
        const params: DocumentSessionsNotification.Params = { uri, version: document.version, sessions: getSessionOutline(file) };
        void connection.sendNotification(documentSessions, params).catch((error: unknown) => logError(connection, `sending the sessions of ${uri}`, error));
      }
    });
  }

  function closed(document: TextDocument): void {
    const { uri } = document;
    validation.cancel(uri);
    settings.evict(uri);
    // A closed file keeps its run's diagnostics, as it keeps its inline results in VS Code: they go when it is reopened changed, runs again or is cleared.
    const diagnostics = runDiagnostics.forDocument(uri, transcripts.get(document), () => splitLines(document.getText()));
    transcripts.evict(uri);
    capturedValues.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics }).catch((error: unknown) => logError(connection, `clearing diagnostics for ${uri}`, error));
  }

  /** Publishes a document's diagnostics after a run changed its run diagnostics: all of them when it is open, else the run's alone. */
  function publishRunOutcome(uri: string): void {
    if (documents.get(uri)) {
      void validate(uri);
      return;
    }
    runSafe(connection, `publishing the run diagnostics of ${uri}`, () => {
      void connection.sendDiagnostics({ uri, diagnostics: runDiagnostics.lastPublished(uri) }).catch((error: unknown) => logError(connection, `publishing the run diagnostics of ${uri}`, error));
    });
  }
}

/** A line's length without its line ending, or null past the end of the document. */
function lineLength(document: TextDocument, line: number): number | null {
  if (line >= document.lineCount) return null;
  return document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '').length;
}

/**
 * Debounces validation per document: a change cancels the validation still
 * waiting for an older version, so typing validates once, after the pause.
 */
class ValidationScheduler implements Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(public delayMs: number, private readonly run: (uri: string) => void) {}

  schedule(uri: string): void {
    this.cancel(uri);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      this.run(uri);
    }, this.delayMs));
  }

  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/** Runs a handler's work; an exception is logged to the client's output channel instead of ending the server. */
export function runSafe<T>(connection: Connection, what: string, work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    logError(connection, what, error);
    return undefined;
  }
}

function logError(connection: Connection, what: string, error: unknown): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  connection.console.error(`SMTP language server: error while ${what}: ${detail}`);
}
