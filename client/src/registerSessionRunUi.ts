// Everything the extension shows of session runs: the run service and its
// views (inline results, run diagnostics, status bar, last result document,
// Test Explorer), secrets, environments, Explain Reply Code, Import Transcript
// and the palette commands. Called once, after the language client started.
import type { ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { Environments } from './environments/environments';
import { ExplainReplyCode } from './explainReplyCode';
import { registerImportTranscript } from './importTranscriptCommand';
import { InlineResults } from './runs/inlineResults';
import { ResultDocuments } from './runs/resultDocument';
import { RunDiagnostics } from './runs/runDiagnostics';
import { RunStatus } from './runs/runStatus';
import { SessionRuns } from './runs/sessionRuns';
import { registerRemoteRunConfirmation } from './runs/remoteRunConfirmation';
import { SecretAnswers } from './secrets/secretAnswers';
import type { SecretMask } from './secrets/secretMask';
import type { DocumentSessions } from './testing/documentSessions';
import { SessionTests } from './testing/testController';

export function registerSessionRunUi(context: ExtensionContext, client: LanguageClient, secretMask: SecretMask, documentSessions: DocumentSessions): void {
  const environments = new Environments(context);
  const runs = new SessionRuns(client, (uri) => environments.variablesFor(uri), (uri) => environments.confirmsEveryRun(uri));
  const results = new ResultDocuments(runs);
  const secrets = new SecretAnswers(context, secretMask);
  const explain = new ExplainReplyCode(client);
  const tests = new SessionTests(client, runs, documentSessions);
  context.subscriptions.push(
    environments,
    runs,
    new InlineResults(runs),
    new RunDiagnostics(runs, client),
    new RunStatus(runs),
    results,
    explain,
    tests,
    secrets.register(client),
    registerRemoteRunConfirmation(context, client),
    ...registerCommands({ runs, results, secrets, environments, explain }),
    registerImportTranscript(client),
  );
  // Sessions appear in the Test Explorer without opening it first (the workspace has .smtp files: that is why we are active).
  void tests.discover();
}
