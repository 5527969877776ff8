// VS Code glue only: start the bundled language server and hand it .smtp
// documents. Everything the extension knows about SMTP lives in the server.
import { window, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_NODE_FLAGS } from '../../server/src/serverProcess';
import { registerLocalServerUi } from './localServer/registerLocalServerUi';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  // One log channel for the client, the server's window/logMessage output and,
  // when its log level is Trace, the LSP trace (smtp.trace.server).
  const outputChannel = window.createOutputChannel('SMTP', { log: true });
  context.subscriptions.push(outputChannel);

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
    outputChannel,
  };

  // The id 'smtp' makes the client read its trace level from `smtp.trace.server`.
  client = new LanguageClient('smtp', 'SMTP Session', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    // Highlighting and the language configuration still work without the server,
    // so report the failure instead of failing activation.
    outputChannel.error('The SMTP language server did not start.', error);
  }
  registerLocalServerUi(context, client, outputChannel);
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
