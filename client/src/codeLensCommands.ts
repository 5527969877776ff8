// The server's code lenses (▶ Run session, Run against local server, Record)
// name its own command, smtp.lsp.runSession, with the run's arguments —
// `{ uri, session }`, plus `local: true` or `record: true` — and the editor
// shows them as the server made them. vscode-languageclient registers that
// command in VS Code; when it is executed (a lens clicked, a keybinding,
// another extension), this middleware hands its one argument, unchanged, to
// the extension's Run Session instead of sending it on as it is. That run
// sends smtp.lsp.runSession with the lens's uri, session and local, plus what
// only the editor knows: the TLS and timeout settings, the selected
// environment's variables and a run id to cancel it by; `record: true` opens
// the dialogue as a new transcript afterwards.
import type { Middleware } from 'vscode-languageclient/node';
import { RunSessionCommand } from '../../server/src/contract/messages';

export const RUN_SESSION = 'smtp.runSession';
export const RUN_AGAINST_LOCAL_SERVER = 'smtp.runSessionAgainstLocalServer';
export const RECORD_SESSION = 'smtp.recordSession';

export function codeLensMiddleware(runThroughExtension: (params: unknown) => Promise<unknown>): Middleware {
  return {
    executeCommand(command, args, next) {
      if (command === RunSessionCommand.command) return runThroughExtension(args[0]);
      return next(command, args);
    },
  };
}
