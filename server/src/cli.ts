// The command-line entry point (bundled to dist/cli.js, run by bin/smtp-session.js).
import { processIo } from './cli/io';
import { runCli } from './cli/runCli';

process.exitCode = runCli(process.argv.slice(2), processIo);
