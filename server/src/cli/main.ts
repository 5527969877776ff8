// The command-line entry point (bundled to dist/cli.js, run by bin/smtp-session.js).
import { tuneCompilerForShortRuns } from './compilerTuning';
import { exitWhenIdle } from './exitWhenIdle';
import { processIo } from './io';
import { runCli } from './runCli';

// load and serve keep running whatever the transcript's size; other commands tune once they read a large file.
if (process.argv[2] === 'load' || process.argv[2] === 'serve') tuneCompilerForShortRuns();

// Commands that finish at once return a number; serve and run return a promise.
void Promise.resolve(runCli(process.argv.slice(2), processIo)).then(exitWhenIdle);
