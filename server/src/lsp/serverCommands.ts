// workspace/executeCommand: every command the server executes (SERVER_COMMANDS
// in contract/messages.ts), each checked (commandArguments.ts) and handed to
// the part that does it — runs, the capture server, explain, import, the
// session outline.
import type { CancellationToken, ExecuteCommandParams, WorkDoneProgressReporter } from 'vscode-languageserver';
import type { LocalServerOptions } from '../captureServer/localServer';
import {
  CancelSessionCommand,
  CapturedSessionTranscriptCommand,
  ClearRunResultsCommand,
  ExplainCommand,
  ImportTranscriptCommand,
  ListCapturedMessagesCommand,
  ListSessionsCommand,
  PreviewCapturedMessageCommand,
  RunSessionCommand,
  SERVER_COMMANDS,
  StartLocalServerCommand,
  StopLocalServerCommand,
} from '../contract/messages';
import { explainQuery, ExplainQueryError } from '../features/explainQuery';
import { getSessionOutline } from '../features/sessionOutline';
import { importTranscript } from '../import/importTranscript';
import { CaptureServerService } from './captureServerService';
import {
  cancelParams,
  clearRunResultsParams,
  explainParams,
  importParams,
  invalidParams,
  listSessionsParams,
  previewParams,
  runParams,
  sessionTranscriptParams,
  startParams,
} from './commandArguments';
import type { EditorClient } from './editorClient';
import { readTranscript, type RunDocuments } from './readTranscript';
import { RunCommands, type RunCommandsOptions } from './runCommands';
import { WorkspaceTrust } from './workspaceTrust';

export interface ServerCommandsOptions extends RunCommandsOptions {
  /** Options for the embedded local server under the ones a client gives (tests use them for fault injection). */
  localServer?: LocalServerOptions;
}

export class ServerCommands {
  readonly captureServer: CaptureServerService;
  /** The editor's workspace trust (initialization option and notification): untrusted, nothing runs. */
  readonly trust = new WorkspaceTrust();
  readonly runs: RunCommands;
  /** Drops run diagnostics (the language server owns them, lsp/runOutcome.ts); returns how many documents had some. */
  clearRunResults: (uri: string | undefined) => ClearRunResultsCommand.Result = () => ({ cleared: 0 });

  constructor(client: EditorClient, private readonly documents: RunDocuments, options: ServerCommandsOptions = {}) {
    this.captureServer = new CaptureServerService(client, options.localServer);
    this.runs = new RunCommands(client, documents, this.captureServer, this.trust, options);
  }

  execute(params: ExecuteCommandParams, token?: CancellationToken, workDone?: WorkDoneProgressReporter): Promise<unknown> | unknown {
    const argument: unknown = params.arguments?.[0];
    switch (params.command) {
      case RunSessionCommand.command:
        return this.runs.run(runParams(argument), token, workDone);
      case CancelSessionCommand.command:
        return this.runs.cancel(cancelParams(argument));
      case StartLocalServerCommand.command:
        this.trust.requireTrust('Starting the local server');
        return this.captureServer.start(startParams(argument));
      case StopLocalServerCommand.command:
        return this.captureServer.stop();
      case ListCapturedMessagesCommand.command:
        return this.captureServer.listMessages();
      case PreviewCapturedMessageCommand.command:
        return this.captureServer.preview(previewParams(argument));
      case CapturedSessionTranscriptCommand.command:
        return this.captureServer.sessionTranscript(sessionTranscriptParams(argument));
      case ListSessionsCommand.command:
        return this.listSessions(listSessionsParams(argument));
      case ExplainCommand.command:
        return explain(explainParams(argument));
      case ImportTranscriptCommand.command:
        return importForEditor(importParams(argument));
      case ClearRunResultsCommand.command:
        return this.clearRunResults(clearRunResultsParams(argument).uri);
      default:
        throw invalidParams(`Unknown command "${params.command}"; this server executes ${SERVER_COMMANDS.join(', ')}.`);
    }
  }

  /** On shutdown: every run is cancelled and the embedded server stops, so the port is free when the process exits. */
  async dispose(): Promise<void> {
    this.runs.dispose();
    await this.captureServer.dispose();
  }

  private async listSessions(params: ListSessionsCommand.Params): Promise<ListSessionsCommand.Result> {
    const { file } = await readTranscript(this.documents, params.uri);
    return { sessions: getSessionOutline(file) };
  }
}

function explain(params: ExplainCommand.Params): ExplainCommand.Result {
  try {
    return { markdown: explainQuery(params.text.trim().split(/\s+/).filter((word) => word !== '')).join('\n\n---\n\n') };
  } catch (error) {
    if (error instanceof ExplainQueryError) throw invalidParams(error.message);
    throw error;
  }
}

function importForEditor(params: ImportTranscriptCommand.Params): ImportTranscriptCommand.Result {
  const result = importTranscript(params.text, { from: params.from ?? 'auto' });
  if (!result.ok) throw invalidParams(result.message);
  return { text: result.text, format: result.format, dialogueLines: result.dialogueLines };
}
