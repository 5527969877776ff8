// Node entry point of the language server (bundled to dist/server.js), also
// started by `smtp-session lsp` (bin/smtp-session.js). The transport (--node-ipc
// from the VS Code client, --stdio for other editors and the tests,
// --socket=N) is chosen from the command line by createConnection; without
// one, serverArguments.ts says how to start the server instead of the
// library's "Connection input stream is not set".
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './languageServer';
import { serverStart } from './serverArguments';

const start = serverStart(process.argv);
if (start.kind === 'exit') {
  (start.status === 0 ? process.stdout : process.stderr).write(`${start.text}\n`);
  process.exitCode = start.status;
} else {
  process.argv = start.argv;
  startServer(createConnection(ProposedFeatures.all));
}
