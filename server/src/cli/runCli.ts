import type { checkCommand } from './checkCommand';
import type { explainCliCommand } from './explainCommand';
import type { importCommand } from './importCommand';
import type { CliIo } from './io';
import { UsageError } from './parseArguments';
import { runCommand } from './runCommand';
import { USAGE } from './usage';

declare const SMTP_SESSION_VERSION: string | undefined;

/** A command returns its exit status; long-running ones (serve, run) return it as a promise. */
type CommandHandler = (args: string[], io: CliIo) => number | Promise<number>;

// check, explain and import set up their modules (the analysis and its rules, the explanations, the
// importers) when they run, not at every start: `run`, whose start-up is most of a short session, needs none
// of them. require(), not import(): they answer at once, as they always have.
const COMMANDS: Record<string, CommandHandler> = {
  check: (args, io) => (require('./checkCommand') as { checkCommand: typeof checkCommand }).checkCommand(args, io),
  explain: (args, io) => (require('./explainCommand') as { explainCliCommand: typeof explainCliCommand }).explainCliCommand(args, io),
  import: (args, io) => (require('./importCommand') as { importCommand: typeof importCommand }).importCommand(args, io),
  run: runCommand,
  load: (args, io) => import('./loadCommand.js').then(({ loadCommand }) => loadCommand(args, io)),
  // Loaded on use: the embedded server's dependencies would slow every other command's start-up.
  serve: (args, io) => import('./serveCommand.js').then(({ serveCommand }) => serveCommand(args, io)),
};

/**
 * Runs one CLI invocation and returns its exit status — synchronously for the
 * commands that finish at once (check, explain), as a promise for the others.
 * Never throws, and the promise never rejects.
 */
export function runCli(args: string[], io: CliIo): number | Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(typeof SMTP_SESSION_VERSION === 'string' ? SMTP_SESSION_VERSION : 'development');
    return 0;
  }
  const handler = COMMANDS[command];
  try {
    if (!handler) throw new UsageError(`Unknown command "${command}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(USAGE);
      return 0;
    }
    const status = handler(rest, io);
    return typeof status === 'number' ? status : status.catch((error: unknown) => reportFailure(error, io));
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr(`smtp-session: ${error.message}\nRun "smtp-session --help" for usage.`);
    return 2;
  }
  io.stderr(`smtp-session: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\nPlease report this with the file that caused it.`);
  return 2;
}
