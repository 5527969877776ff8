// The run buttons above each session. They name the server's own command
// (smtp.lsp.runSession) with its arguments, so any LSP editor can run a
// session from them; the VS Code client, when one is executed, hands the same
// arguments to its own run, which adds environments, secrets and inline
// results.
import type { CodeLens } from 'vscode-languageserver';
import { RunSessionCommand, TRUST_WORKSPACE_COMMAND } from '../contract/messages';
import type { TranscriptFile } from '../transcript/ast';

export const RUN_SESSION_TITLE = '▶ Run session';
export const RUN_LOCAL_TITLE = 'Run against local server';
export const RECORD_TITLE = 'Record';
export const TRUST_TITLE = 'Trust this workspace to run';

/** `trusted` false (the editor's Restricted Mode): one lens per session that offers trust instead of the run buttons. */
export function getCodeLenses(file: TranscriptFile, uri: string, trusted = true): CodeLens[] {
  const lenses: CodeLens[] = [];
  file.sessions.forEach((session, index) => {
    // On the session's first line (its ### separator when it has one), at its start.
    const line = session.range.start.line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    if (!trusted) {
      lenses.push({ range, command: { title: TRUST_TITLE, tooltip: 'This workspace is in Restricted Mode: its sessions are checked but not run. Trust it to run them.', command: TRUST_WORKSPACE_COMMAND } });
      return;
    }
    const lens = (title: string, tooltip: string, extra: Partial<RunSessionCommand.Params>): CodeLens => ({
      range,
      command: { title, tooltip, command: RunSessionCommand.command, arguments: [{ uri, session: index, ...extra } satisfies RunSessionCommand.Params] },
    });
    lenses.push(
      lens(RUN_SESSION_TITLE, 'Play this session against its @server (or the embedded local server when it names none) and check every reply', {}),
      lens(RUN_LOCAL_TITLE, 'Play this session against the embedded local capture server, whatever @server says', { local: true }),
      lens(RECORD_TITLE, 'Play this session and open what really happened as a new .smtp transcript', { record: true }),
    );
  });
  return lenses;
}
