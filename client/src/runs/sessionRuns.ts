// The one place that starts runs: it builds the run's parameters from the
// settings and the selected environment, sends smtp.lsp.runSession, tracks
// every run in progress by its id (so Stop and a test run's Cancel can end
// it), routes the server's smtp/sessionEvent notifications into the result
// store, and tells the views (inline results, diagnostics, status, Test
// Explorer, result document) what happened.
import { randomUUID } from 'node:crypto';
import { EventEmitter, ProgressLocation, window, workspace, type CancellationToken, type Disposable, type Event, type Uri } from 'vscode';
import { WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { CancelSessionCommand, RunSessionCommand, type SessionEventNotification } from '../../../server/src/contract/messages';
import { timeoutSetting } from '../environments/runVariables';
import { executeServerCommand, sessionEventNotification } from '../protocol';
import { ResultStore } from './resultStore';
import { sessionLabel } from './resultText';

/** What to run: a session of a document (or all of them), and how. */
export interface RunRequest {
  uri: Uri;
  /** 0-based session index; null: every session of the document. */
  session: number | null;
  /** Against the embedded local server whatever `@server` says. */
  local?: boolean;
}

/** Who asked: the Test Explorer reports its own runs; other runs it shows as they happen. */
export type RunOrigin = 'command' | 'testExplorer';

export interface RunStarted {
  runId: string;
  request: RunRequest;
  origin: RunOrigin;
}

export interface RunFinished extends RunStarted {
  /** The server's answer; null when the run could not start (the reason is in `error`). */
  result: RunSessionCommand.Result | null;
  error: string | null;
  finishedAt: Date;
}

export interface RunOptions {
  origin?: RunOrigin;
  /** Cancelling it stops the run (a test run's Cancel). */
  token?: CancellationToken;
}

/** The variables the selected environment (and smtp.defaultServer) give a document's runs. */
export type VariablesFor = (uri: Uri) => Record<string, string> | null;

interface ActiveRun {
  uri: string;
  /** Set once the first event names the session, for the status bar. */
  label: string;
}

export class SessionRuns implements Disposable {
  readonly store = new ResultStore();
  private readonly active = new Map<string, ActiveRun>();
  private readonly subscriptions: Disposable[] = [];

  private readonly started = new EventEmitter<RunStarted>();
  private readonly events = new EventEmitter<SessionEventNotification.Params>();
  private readonly finished = new EventEmitter<RunFinished>();
  /** The results of a document changed (an event arrived, an edit moved or cleared them, Clear Results). */
  private readonly resultsChanged = new EventEmitter<string | undefined>();

  readonly onDidStartRun: Event<RunStarted> = this.started.event;
  readonly onDidReceiveEvent: Event<SessionEventNotification.Params> = this.events.event;
  readonly onDidFinishRun: Event<RunFinished> = this.finished.event;
  /** Fires with the document's URI string, or undefined for every document. */
  readonly onDidChangeResults: Event<string | undefined> = this.resultsChanged.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly variablesFor: VariablesFor,
    /** The selected environment says `"$confirm": "always"`. */
    private readonly confirmsEveryRun: (uri: Uri) => boolean = () => false,
  ) {
    this.subscriptions.push(
      client.onNotification(sessionEventNotification, (params) => this.receive(params)),
      workspace.onDidChangeTextDocument((change) => {
        const edits = change.contentChanges.map((edit) => ({
          startLine: edit.range.start.line,
          endLine: edit.range.end.line,
          insertedLineBreaks: edit.text.split('\n').length - 1,
        }));
        const uri = change.document.uri.toString();
        if (edits.length > 0 && this.store.applyEdits(uri, edits)) this.resultsChanged.fire(uri);
      }),
      workspace.onDidRenameFiles((rename) => {
        for (const file of rename.files) this.store.rename(file.oldUri.toString(), file.newUri.toString());
        this.resultsChanged.fire(undefined);
      }),
      this.started, this.events, this.finished, this.resultsChanged,
    );
  }

  /** Runs in progress, by id: what the status bar shows and Stop ends. */
  get runningCount(): number {
    return this.active.size;
  }

  /** The label of the most recent run still in progress, for the status bar. */
  get runningLabel(): string | null {
    return [...this.active.values()].at(-1)?.label ?? null;
  }

  /**
   * Runs and resolves when it is over: with the server's result, or null when
   * the run could not start (the user has been told why). Never rejects.
   */
  async run(request: RunRequest, options: RunOptions = {}): Promise<RunFinished> {
    const origin = options.origin ?? 'command';
    const runId = randomUUID();
    const uri = request.uri.toString();
    const started: RunStarted = { runId, request, origin };
    this.active.set(runId, { uri, label: baseName(request.uri) });
    this.started.fire(started);
    const cancelSubscription = options.token?.onCancellationRequested(() => void this.cancel(runId));
    let finished: RunFinished;
    try {
      const result = await this.runWithProgress(runId, request, origin, options.token);
      finished = { ...started, result, error: null, finishedAt: new Date() };
      if (result.cancelled && this.store.markCancelled(uri, runId)) this.resultsChanged.fire(uri);
    } catch (error) {
      const message = errorMessage(error);
      finished = { ...started, result: null, error: message, finishedAt: new Date() };
      // The Test Explorer shows it on the test instead.
      if (origin === 'command') void window.showErrorMessage(`SMTP: the session could not run. ${message}`);
    } finally {
      cancelSubscription?.dispose();
      this.active.delete(runId);
    }
    this.finished.fire(finished);
    return finished;
  }

  /** Stops one run, or every run of a document, or every run. */
  async cancel(runId: string): Promise<void> {
    try {
      await executeServerCommand<CancelSessionCommand.Result>(this.client, CancelSessionCommand.command, { runId } satisfies CancelSessionCommand.Params);
    } catch (error) {
      void window.showErrorMessage(`SMTP: the session could not be stopped: ${errorMessage(error)}`);
    }
  }

  async cancelAll(uri?: Uri): Promise<number> {
    const ids = [...this.active].filter(([, run]) => uri === undefined || run.uri === uri.toString()).map(([id]) => id);
    await Promise.all(ids.map((id) => this.cancel(id)));
    return ids.length;
  }

  clearResults(uri?: Uri): void {
    this.store.clear(uri?.toString());
    this.resultsChanged.fire(uri?.toString());
  }

  dispose(): void {
    // Runs in progress need no cancel here: the client stops first, and the server cancels every run when it shuts down.
    this.active.clear();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /**
   * The notification with Cancel. Progress: the run carries a workDoneToken
   * this client made, so the server reports into it (the session and step as
   * it plays) and does not create a progress of its own; this notification is
   * then the only one, and its Cancel goes through smtp.lsp.cancelSession,
   * which lets the session end with QUIT and still answer with the result.
   * (Accepting the server's own progress instead would show the same run in
   * a second notification whose Cancel the client does not see.) Test runs
   * report in the window's status area: the Test Explorer has their Cancel.
   */
  private runWithProgress(runId: string, request: RunRequest, origin: RunOrigin, token: CancellationToken | undefined): Promise<RunSessionCommand.Result> {
    const configuration = workspace.getConfiguration('smtp', request.uri);
    const params: RunSessionCommand.Params = {
      uri: request.uri.toString(),
      session: request.session,
      insecure: configuration.get<boolean>('tls.verify', true) === false,
      timeoutSeconds: timeoutSetting(configuration.get('timeoutSeconds')),
      variables: this.variablesFor(request.uri),
      local: request.local === true,
      // Always recorded: "Open Last Result" shows the dialogue as it happened.
      record: true,
      runId,
      ...(this.confirmsEveryRun(request.uri) ? { confirm: 'always' as const } : {}),
    };
    const workDoneToken = `smtp-run-${runId}`;
    const title = request.session === null ? `SMTP: running ${baseName(request.uri)}` : 'SMTP';
    // A test run has its own progress and Cancel in the Test Explorer: the status bar is enough there.
    const location = origin === 'testExplorer' ? ProgressLocation.Window : ProgressLocation.Notification;
    return Promise.resolve(window.withProgress({ location, title, cancellable: origin !== 'testExplorer' }, async (progress, cancelButton) => {
      const progressSubscription = this.client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind !== 'end' && value.message) progress.report({ message: value.message });
        else if (value.kind === 'begin') progress.report({ message: value.title.replace(/^SMTP: /, '') });
      });
      const cancelSubscription = cancelButton.onCancellationRequested(() => void this.cancel(runId));
      try {
        if (token?.isCancellationRequested) void this.cancel(runId);
        return await executeServerCommand<RunSessionCommand.Result>(this.client, RunSessionCommand.command, params, { workDoneToken });
      } finally {
        progressSubscription.dispose();
        cancelSubscription.dispose();
      }
    }));
  }

  private receive(params: SessionEventNotification.Params): void {
    const { runId, uri, sessionIndex: index, event } = params;
    const active = this.active.get(runId);
    switch (event.type) {
      case 'started':
        this.store.startSession(uri, runId, index, event);
        if (active) active.label = `${sessionLabel(event.name, event.line)} · line ${event.line}`;
        break;
      case 'step':
        this.store.addStep(uri, runId, index, event.step);
        if (active) active.label = `${active.label.replace(/ · line \d+$/, '')} · line ${event.step.line}`;
        break;
      case 'connected':
        if (event.tls) this.store.setTls(uri, runId, index, event.tls);
        break;
      case 'tls':
        this.store.setTls(uri, runId, index, event.tls);
        break;
      case 'finished':
        this.store.finish(uri, runId, index, event.result);
        break;
      default:
        break;
    }
    this.events.fire(params);
    this.resultsChanged.fire(uri);
  }
}

export function baseName(uri: Uri): string {
  return uri.path.split('/').pop() || uri.toString();
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
