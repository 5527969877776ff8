#!/usr/bin/env node
// The npm bin entry: a tiny launcher for the bundled CLI so that `npx smtp-session`
// works from a checkout after `npm run build` and from an installed package.
// `smtp-session lsp` (and `--stdio`, which editors pass by habit) starts the
// language server instead: its own bundle, so the CLI's start-up stays small.
const command = process.argv[2];
if (command === 'lsp' || command === '--stdio') require('../dist/server.js');
else require('../dist/cli.js');
