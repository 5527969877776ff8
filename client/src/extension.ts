// VS Code glue only: start the bundled language server and hand it .smtp
// documents. Everything the extension knows about SMTP lives in the server.
import { commands, window, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../server/src/contract/messages';
import { codeLensMiddleware, RUN_SESSION } from './codeLensCommands';
import { localServerConfigurationMiddleware } from './localServer/localServerConfigurationMiddleware';
import { defaultInboxFolder } from './localServer/localServerSettings';
import { registerLocalServerUi } from './localServer/registerLocalServerUi';
import { registerSessionRunUi } from './registerSessionRunUi';
import { DocumentSessions } from './testing/documentSessions';
import { MaskedOutputChannel } from './secrets/maskedOutputChannel';
import { SecretMask } from './secrets/secretMask';
import { smtpClientCapabilities } from './smtpClientCapabilities';
import { registerWorkspaceTrust, trustInitializationOptions } from './workspaceTrust';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  // One log channel for the client, the server's window/logMessage output and,
  // when its log level is Trace, the LSP trace (smtp.trace.server).
  const outputChannel = window.createOutputChannel('SMTP', { log: true });
  context.subscriptions.push(outputChannel);
  // Every secret value handed to the server, so the client's log and trace can mask it.
  const secretMask = new SecretMask();

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'smtp' },
      { scheme: 'untitled', language: 'smtp' },
    ],
    // Tells the server when `smtp.*` settings change; it then asks for the new values per document.
    synchronize: { configurationSection: 'smtp' },
    // The client writes its errors and the protocol trace (smtp.trace.server = verbose prints the answers to smtp/secret) here: masked.
    outputChannel: new MaskedOutputChannel(outputChannel, secretMask),
    // The server's code lenses name its own command: executed, its arguments go to the extension's run, with environments, secrets and inline results.
    middleware: {
      ...codeLensMiddleware((params) => Promise.resolve(commands.executeCommand(RUN_SESSION, params))),
      workspace: localServerConfigurationMiddleware(context),
    },
    // Where the embedded server saves messages when a run starts it and smtp.localServer.folder is empty.
    // Whether the workspace is trusted: in Restricted Mode the server runs nothing (workspaceTrust.ts).
    initializationOptions: { localServerFolder: defaultInboxFolder(context) ?? undefined, ...trustInitializationOptions() },
  };

  // The id 'smtp' makes the client read its trace level from `smtp.trace.server`.
  client = new LanguageClient('smtp', 'SMTP Session', serverOptions, clientOptions);
  client.registerFeature(smtpClientCapabilities);
  // Before start, so it hears the sessions of the documents already open.
  const documentSessions = new DocumentSessions(client);
  context.subscriptions.push(documentSessions);
  context.subscriptions.push(...registerWorkspaceTrust(client));
  try {
    await client.start();
  } catch (error) {
    // Highlighting and the language configuration still work without the server,
    // so report the failure instead of failing activation.
    outputChannel.error('The SMTP language server did not start.', error);
  }
  registerLocalServerUi(context, client, outputChannel);
  registerSessionRunUi(context, client, secretMask, documentSessions);
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
