// Runs for the language server's clients: turns RunSessionCommand into the one
// run orchestrator's request (run/runTranscript.ts) and its progress into the
// editor's notifications and work-done progress, and stops a run when asked.
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { ErrorCodes, ResponseError, type CancellationToken, type Disposable, type WorkDoneProgressReporter } from 'vscode-languageserver';
import type { CancelSessionCommand, RunEvent, RunSessionCommand, SessionReport, SessionRun, StepReport } from '../contract/messages';
import type { StepResult } from '../engine/playSession';
import { runTranscript } from '../run/runTranscript';
import { RunRequestError } from '../run/selectSessions';
import type { TranscriptFile } from '../transcript/ast';
import type { CapturedValues } from './capturedValues';
import type { CaptureServerService } from './captureServerService';
import { invalidParams } from './commandArguments';
import type { EditorClient, RunProgress } from './editorClient';
import { editorSecrets, type EditorSecretsState } from './editorSecrets';
import { filePathOf, readTranscript, type RunDocuments } from './readTranscript';
import { RemoteRunGuard } from './remoteRunGuard';
import { finishedEvent, runEvent, sessionReport, startedEvent } from './wireReports';
import type { WorkspaceTrust } from './workspaceTrust';

export interface RunCommandsOptions {
  /** Where `{{$env}}` and, for clients without smtp/secret, `{{$secret}}` come from. Default: the server's environment. */
  env?: NodeJS.ProcessEnv;
  /** Where the values a run captured from replies are kept for hover. */
  capturedValues?: CapturedValues;
}

export class RunCommands {
  private readonly runs = new Map<string, AbortController>();
  private readonly secretsState: EditorSecretsState = { clientLacksSecrets: false };
  private readonly remoteRuns: RemoteRunGuard;
  private disposed = false;
  /** Told of every run that finished (cancelled ones too), with the text that ran, before its response is sent: the outcome in standard LSP (runOutcome.ts). */
  finished: ((result: RunSessionCommand.Result, ran: { file: TranscriptFile; text: string }) => void) | null = null;

  constructor(
    private readonly client: EditorClient,
    private readonly documents: RunDocuments,
    private readonly captureServer: CaptureServerService,
    private readonly trust: WorkspaceTrust,
    private readonly options: RunCommandsOptions = {},
  ) {
    this.remoteRuns = new RemoteRunGuard(client);
  }

  async run(params: RunSessionCommand.Params, token?: CancellationToken, workDone?: WorkDoneProgressReporter): Promise<RunSessionCommand.Result> {
    if (this.disposed) throw new ResponseError(ErrorCodes.InvalidRequest, 'The SMTP language server is shutting down; no new sessions are run.');
    this.trust.requireTrust('Running sessions');
    const runId = params.runId ?? randomUUID();
    if (this.runs.has(runId)) throw invalidParams(`A run with the id "${runId}" is still in progress; give each run its own runId.`);
    const controller = new AbortController();
    // Registered before the first await, so a cancel sent right after the request finds the run.
    this.runs.set(runId, controller);
    const cancel = () => controller.abort();
    const subscriptions: Disposable[] = [];
    if (token) subscriptions.push(token.onCancellationRequested(cancel));
    let progress: RunProgress | null = null;
    try {
      const document = await readTranscript(this.documents, params.uri);
      const { file } = document;
      const env = this.options.env ?? process.env;
      const emit = (sessionIndex: number, event: RunEvent) => this.client.sessionEvent({ runId, uri: params.uri, sessionIndex, event });
      let share = 0;
      let label = '';
      let position = 0;
      /** Each session's report, made once for its `finished` event and the response. */
      const reports = new Map<number, SessionReport>();
      /** The server each session connected to, and the captured message each message end delivered to the embedded one (by `session:line`). */
      const servers = new Map<number, string>();
      const capturedIds = new Map<string, string>();
      const withCapturedId = (index: number, step: StepReport): StepReport => {
        const id = capturedIds.get(`${index}:${step.line}`);
        return id === undefined ? step : { ...step, capturedMessageId: id };
      };
      const outcome = await runTranscript({
        file,
        filePath: document.filePath,
        workspaceRoot: document.workspaceRoot,
        sessions: params.session == null ? { kind: 'all' } : { kind: 'index', index: params.session },
        server: params.server ?? null,
        local: params.local === true,
        variables: params.variables ?? null,
        insecure: params.insecure === true,
        timeoutSeconds: params.timeoutSeconds ?? null,
        secrets: editorSecrets(this.client, this.secretsState, { runId, uri: params.uri }, env, controller.signal),
        env,
        signal: controller.signal,
        recording: params.record === true ? { source: basename(document.filePath), recordingPath: document.filePath } : null,
        captureServer: () => this.captureServer.forRun(),
        confirmAlways: params.confirm === 'always',
        confirmRemote: async (question) => this.remoteRuns.confirm(params.uri, question, await this.client.confirmRemoteRuns(params.uri), controller.signal),
      }, {
        runStarting: async (indexes) => {
          progress = await this.client.progress(workDone);
          if (progress.cancellation) subscriptions.push(progress.cancellation.onCancellationRequested(cancel));
          if (token?.isCancellationRequested) cancel();
          progress.begin(`SMTP: ${runTitle(file, indexes, params.uri)}`, 0, undefined, true);
        },
        sessionStarted: ({ index, session, position: at, count }) => {
          position = at;
          share = 100 / count;
          label = sessionLabel(file, index);
          emit(index, startedEvent(session, document.version));
          progress?.report(position * share, label);
        },
        sessionEvent: (index, event) => {
          if (event.type === 'connecting') servers.set(index, event.server);
          const reply = event.type === 'step' && !event.step.skipped ? event.step.reply : null;
          if (event.type === 'step' && reply && reply.code >= 200 && reply.code < 300) {
            const id = this.captureServer.linkRun(servers.get(index) ?? '', reply.lines, { uri: params.uri, line: event.step.line });
            if (id !== null) capturedIds.set(`${index}:${event.step.line}`, id);
          }
          const wire = runEvent(event);
          emit(index, wire.type === 'step' ? { type: 'step', step: withCapturedId(index, wire.step) } : wire);
          if (event.type === 'step') progress?.report(position * share, `${label} · ${describeStep(event.step)}`);
        },
        sessionFinished: (index, result) => {
          this.options.capturedValues?.record(params.uri, result);
          const report = sessionReport(result);
          report.steps = report.steps.map((step) => withCapturedId(index, step));
          reports.set(index, report);
          emit(index, finishedEvent(report));
        },
      });
      const sessions: SessionRun[] = outcome.sessions.map(({ index, result }) => ({ index, result: reports.get(index) ?? sessionReport(result) }));
      const result: RunSessionCommand.Result = {
        runId, uri: params.uri, version: document.version, ok: outcome.ok, cancelled: outcome.cancelled, sessions, inputs: outcome.inputs,
        ...(outcome.declined ? { declined: true } : {}),
        ...(outcome.transcript !== null ? { transcript: outcome.transcript } : {}),
      };
      this.finished?.(result, { file, text: document.text });
      return result;
    } catch (error) {
      if (error instanceof RunRequestError) throw invalidParams(error.message);
      throw error;
    } finally {
      this.runs.delete(runId);
      for (const subscription of subscriptions) subscription.dispose();
      (progress as RunProgress | null)?.done();
    }
  }

  cancel(params: CancelSessionCommand.Params): CancelSessionCommand.Result {
    const run = this.runs.get(params.runId);
    if (!run) return { cancelled: false };
    run.abort();
    return { cancelled: true };
  }

  /** On shutdown: every run is cancelled. */
  dispose(): void {
    this.disposed = true;
    for (const run of this.runs.values()) run.abort();
  }

}

function sessionLabel(file: TranscriptFile, index: number): string {
  return file.sessions[index].name ?? `session ${index + 1}`;
}

function runTitle(file: TranscriptFile, indexes: readonly number[], uri: string): string {
  const name = basename(filePathOf(uri) ?? uri);
  return indexes.length === 1 ? `${sessionLabel(file, indexes[0])} (${name})` : `${indexes.length} sessions of ${name}`;
}

/** A step for the progress line: its line and reply code, never what was sent. */
function describeStep(step: StepResult): string {
  if (step.skipped) return `line ${step.line}: skipped`;
  const verdict = step.ok === false ? ' ✗' : step.ok === true ? ' ✓' : '';
  return `line ${step.line}: ${step.reply?.code ?? '…'}${verdict}`;
}
