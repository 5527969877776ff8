// The server's code lenses (▶ Run session, Run against local server, Record)
// carry its own command, smtp.lsp.runSession, which would run without the
// editor's environment, secrets and inline results. This middleware gives each
// lens the extension's command for the same run, with the same argument.
import type { CodeLens } from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { RunSessionCommand } from '../../server/src/contract/messages';

export const RUN_SESSION = 'smtp.runSession';
export const RUN_AGAINST_LOCAL_SERVER = 'smtp.runSessionAgainstLocalServer';
export const RECORD_SESSION = 'smtp.recordSession';

/** The extension command for a server run's params: Record, local, or a plain run. */
export function commandForRunParams(params: Partial<RunSessionCommand.Params> | undefined): string {
  if (params?.record === true) return RECORD_SESSION;
  if (params?.local === true) return RUN_AGAINST_LOCAL_SERVER;
  return RUN_SESSION;
}

function mapLens(lens: CodeLens): CodeLens {
  if (lens.command?.command === RunSessionCommand.command) {
    const params = lens.command.arguments?.[0] as Partial<RunSessionCommand.Params> | undefined;
    lens.command = { ...lens.command, command: commandForRunParams(params) };
  }
  return lens;
}

/**
 * `runThroughExtension` handles smtp.lsp.runSession when something executes it
 * as a VS Code command (vscode-languageclient registers every server command
 * as one): a lens resolved later, another extension, a keybinding.
 */
export function codeLensMiddleware(runThroughExtension: (params: unknown) => Promise<unknown>): Middleware {
  return {
    async provideCodeLenses(document, token, next) {
      const lenses = await next(document, token);
      return lenses?.map(mapLens);
    },
    async resolveCodeLens(lens, token, next) {
      const resolved = await next(lens, token);
      return resolved ? mapLens(resolved) : resolved;
    },
    executeCommand(command, args, next) {
      if (command === RunSessionCommand.command) return runThroughExtension(args[0]);
      return next(command, args);
    },
  };
}
