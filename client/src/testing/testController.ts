// The Test Explorer: each session of the workspace's `.smtp` files is a test,
// grouped by file. An open document's sessions come from the server's
// smtp/documentSessions after each change it checks; a file no editor has open
// is listed from disk (smtp.lsp.listSessions) when it is discovered and when
// it changes on disk. Running tests goes through the run service like every
// other run; runs started elsewhere (a code lens, a command) show their
// outcome here too.
import {
  Location,
  Position,
  Range,
  TestMessage,
  TestRunProfileKind,
  TestRunRequest,
  tests,
  Uri,
  workspace,
  type CancellationToken,
  type Disposable,
  type TestController,
  type TestItem,
  type TestRun,
} from 'vscode';
import { ListSessionsCommand, type SessionOutline, type SessionRun } from '../../../server/src/contract/messages';
import type { LanguageClient } from 'vscode-languageclient/node';
import { executeServerCommand } from '../protocol';
import { sessionLabel } from '../runs/resultText';
import { baseName, errorMessage, type RunFinished, type RunStarted, type SessionRuns } from '../runs/sessionRuns';
import type { DocumentSessions } from './documentSessions';
import { testOutcome } from './testOutcome';

export const TEST_CONTROLLER_ID = 'smtpSessions';
export const TEST_CONTROLLER_LABEL = 'SMTP Sessions';
/** Files searched in the workspace at most: discovery must stay quick in a huge repository. */
const MAX_FILES = 1000;
/** Quiet time after a file changes on disk before its sessions are listed again (a checkout writes many at once). */
const REFRESH_DELAY_MS = 500;

export class SessionTests implements Disposable {
  private readonly controller: TestController = tests.createTestController(TEST_CONTROLLER_ID, TEST_CONTROLLER_LABEL);
  private readonly subscriptions: Disposable[] = [this.controller];
  private readonly pendingRefresh = new Map<string, ReturnType<typeof setTimeout>>();
  /** Runs started elsewhere, shown here: their test run once the file's items are known. */
  private readonly mirrored = new Map<string, Promise<{ run: TestRun; items: Map<number, TestItem> } | null>>();
  private discovered: Promise<void> | null = null;

  constructor(
    private readonly client: LanguageClient,
    private readonly runs: SessionRuns,
    private readonly documentSessions: DocumentSessions,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (item === undefined) await this.discover();
      else if (item.uri && item.parent === undefined) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = async () => {
      this.discovered = null;
      await this.discover();
    };
    this.controller.createRunProfile('Run', TestRunProfileKind.Run, (request, token) => this.runTests(request, token), true);

    const watcher = workspace.createFileSystemWatcher('**/*.smtp');
    this.subscriptions.push(
      watcher,
      // What an open document holds is the server's to announce; the disk matters for the others.
      watcher.onDidCreate((uri) => this.refreshFromDisk(uri)),
      watcher.onDidChange((uri) => this.refreshFromDisk(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      documentSessions.onDidChange((announced) => {
        const uri = Uri.parse(announced.uri);
        if (uri.scheme === 'file') this.showSessions(uri, announced.sessions);
      }),
      // Closed without saving, the file on disk is what counts again.
      workspace.onDidCloseTextDocument((document) => {
        if (document.languageId === 'smtp' && document.uri.scheme === 'file') this.scheduleRefresh(document.uri);
      }),
      runs.onDidStartRun((started) => this.mirrorStart(started)),
      runs.onDidReceiveEvent((params) => {
        if (params.event.type !== 'started') return;
        void this.mirrored.get(params.runId)?.then((mirror) => {
          const item = mirror?.items.get(params.sessionIndex);
          if (mirror && item) mirror.run.started(item);
        });
      }),
      runs.onDidFinishRun((finished) => this.mirrorFinish(finished)),
    );
  }

  dispose(): void {
    for (const timer of this.pendingRefresh.values()) clearTimeout(timer);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** Finds the workspace's `.smtp` files once (again on Refresh). */
  discover(): Promise<void> {
    this.discovered ??= (async () => {
      const files = await workspace.findFiles('**/*.smtp', '**/{node_modules,.git}/**', MAX_FILES);
      for (const document of workspace.textDocuments) {
        if (document.languageId === 'smtp' && document.uri.scheme === 'file' && !files.some((file) => file.toString() === document.uri.toString())) files.push(document.uri);
      }
      // One at a time: the server answers quickly, and the workspace may hold many files.
      for (const file of files) await this.refreshFile(file);
    })();
    return this.discovered;
  }

  /**
   * A file's sessions: an open document's as the server last announced them,
   * else listed by the server (from disk, or from the open document before its
   * first announcement). The file's item goes when it has none.
   */
  async refreshFile(uri: Uri, token?: CancellationToken): Promise<TestItem | undefined> {
    const id = uri.toString();
    const announced = this.documentSessions.get(id);
    if (announced) return this.showSessions(uri, announced.sessions);
    let sessions: SessionOutline[];
    try {
      ({ sessions } = await executeServerCommand<ListSessionsCommand.Result>(this.client, ListSessionsCommand.command, { uri: id } satisfies ListSessionsCommand.Params, { token }));
    } catch (error) {
      const existing = this.controller.items.get(id);
      if (existing) existing.error = `The sessions of this file could not be listed: ${errorMessage(error)}`;
      return existing;
    }
    return this.showSessions(uri, sessions);
  }

  /** The file's item with one child per session; removed when the file has none. */
  private showSessions(uri: Uri, sessions: readonly SessionOutline[]): TestItem | undefined {
    const id = uri.toString();
    if (sessions.length === 0) {
      this.controller.items.delete(id);
      return undefined;
    }
    let file = this.controller.items.get(id);
    if (!file) {
      file = this.controller.createTestItem(id, baseName(uri), uri);
      file.description = folderOf(uri);
      this.controller.items.add(file);
    }
    file.error = undefined;
    const parent = file;
    parent.children.replace(sessions.map((session) => {
      const item = this.controller.createTestItem(sessionId(id, session.index), sessionLabel(session.name, session.line), uri);
      item.range = new Range(session.line - 1, 0, Math.max(session.line, session.endLine) - 1, 0);
      item.sortText = String(session.index).padStart(6, '0');
      return item;
    }));
    return parent;
  }

  /** A file changed on disk: listed again, unless it is open (then the server announces the document's sessions, and a change on disk reaches it as an edit). */
  private refreshFromDisk(uri: Uri): void {
    if (!this.documentSessions.get(uri.toString())) this.scheduleRefresh(uri);
  }

  private scheduleRefresh(uri: Uri): void {
    const id = uri.toString();
    clearTimeout(this.pendingRefresh.get(id));
    this.pendingRefresh.set(id, setTimeout(() => {
      this.pendingRefresh.delete(id);
      void this.refreshFile(uri);
    }, REFRESH_DELAY_MS));
  }

  /** The Run profile: every selected session (or all), one after the other; Cancel stops the one running and skips the rest. */
  private async runTests(request: TestRunRequest, token: CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const sessions = await this.selectedSessions(request);
      for (const item of sessions) run.enqueued(item);
      for (const item of sessions) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          continue;
        }
        run.started(item);
        const index = sessionIndexOf(item);
        const finished = await this.runs.run({ uri: item.uri as Uri, session: index }, { origin: 'testExplorer', token });
        report(run, item, index, finished);
      }
    } finally {
      run.end();
    }
  }

  private async selectedSessions(request: TestRunRequest): Promise<TestItem[]> {
    if (!request.include) await this.discover();
    const roots: TestItem[] = request.include ? [...request.include] : [];
    if (!request.include) this.controller.items.forEach((item) => roots.push(item));
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const sessions: TestItem[] = [];
    for (const root of roots) {
      if (excluded.has(root.id)) continue;
      if (root.parent !== undefined) {
        sessions.push(root);
        continue;
      }
      // A file: its sessions as last announced or listed.
      root.children.forEach((child) => {
        if (!excluded.has(child.id)) sessions.push(child);
      });
    }
    return sessions;
  }

  /** A run from a code lens or a command: shown as a test run of the sessions it plays. */
  private mirrorStart(started: RunStarted): void {
    if (started.origin === 'testExplorer' || started.request.uri.scheme !== 'file') return;
    this.mirrored.set(started.runId, (async () => {
      const file = this.controller.items.get(started.request.uri.toString()) ?? (await this.refreshFile(started.request.uri));
      if (!file) return null;
      const items = new Map<number, TestItem>();
      file.children.forEach((child) => {
        const index = sessionIndexOf(child);
        if (started.request.session === null || started.request.session === index) items.set(index, child);
      });
      if (items.size === 0) return null;
      const run = this.controller.createTestRun(new TestRunRequest([...items.values()]), baseName(started.request.uri), false);
      for (const item of items.values()) run.enqueued(item);
      return { run, items };
    })().catch(() => null));
  }

  private mirrorFinish(finished: RunFinished): void {
    const mirror = this.mirrored.get(finished.runId);
    if (!mirror) return;
    this.mirrored.delete(finished.runId);
    void mirror.then((shown) => {
      if (!shown) return;
      for (const [index, item] of shown.items) report(shown.run, item, index, finished);
      shown.run.end();
    });
  }
}

/** One session's outcome into a test run. */
function report(run: TestRun, item: TestItem, index: number, finished: RunFinished): void {
  const uri = item.uri as Uri;
  if (finished.result === null) {
    run.errored(item, new TestMessage(finished.error ?? 'The session could not run.'));
    return;
  }
  const session: SessionRun | undefined = finished.result.sessions.find((ran) => ran.index === index);
  if (!session) {
    // Cancelled before it started.
    run.skipped(item);
    return;
  }
  if (finished.result.cancelled && session.result.error !== null) {
    // The session the user's Cancel cut short: not a failure of the file.
    run.skipped(item);
    return;
  }
  const outcome = testOutcome(session.result, finished.result.inputs);
  for (const line of outcome.output) run.appendOutput(line, undefined, item);
  const messages = outcome.messages.map((message) => {
    const testMessage = message.expected !== null && message.actual !== null
      ? TestMessage.diff(message.message, message.expected, message.actual)
      : new TestMessage(message.message);
    testMessage.location = new Location(uri, new Position(Math.max(0, message.line - 1), 0));
    return testMessage;
  });
  if (outcome.state === 'passed') run.passed(item, outcome.durationMs);
  else if (outcome.state === 'failed') run.failed(item, messages, outcome.durationMs);
  else run.errored(item, messages, outcome.durationMs);
}

function sessionId(fileId: string, index: number): string {
  return `${fileId}#session-${index}`;
}

function sessionIndexOf(item: TestItem): number {
  return Number(item.id.slice(item.id.lastIndexOf('#session-') + '#session-'.length));
}

function folderOf(uri: Uri): string | undefined {
  const relative = workspace.asRelativePath(uri, false);
  const slash = relative.lastIndexOf('/');
  return slash > 0 ? relative.slice(0, slash) : undefined;
}

