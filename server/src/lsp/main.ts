// Node entry point of the language server (bundled to dist/server.js). The
// transport (--node-ipc from the VS Code client, --stdio for other editors and
// the tests, --socket=N) is chosen from the command line by createConnection.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './languageServer';

startServer(createConnection(ProposedFeatures.all));
