// Restricted Mode: the extension runs in an untrusted workspace with what
// only reads (highlighting, diagnostics, hover, completion, formatting,
// outline, explain). The language server is told at start-up
// (initializationOptions.workspaceTrusted) and when trust is granted
// (smtp/workspaceTrust); it then shows "Trust this workspace to run" on each
// session and refuses runs and the local server itself. When the user grants
// trust, everything turns on without a reload.
import { commands, workspace, type Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TRUST_WORKSPACE_COMMAND } from '../../server/src/contract/messages';
import { workspaceTrustNotification } from './protocol';

/** The part of initializationOptions that tells the server about trust. */
export function trustInitializationOptions(): { workspaceTrusted: boolean } {
  return { workspaceTrusted: workspace.isTrusted };
}

/** Tells the server when trust is granted, and gives the untrusted lens its command. */
export function registerWorkspaceTrust(client: LanguageClient): Disposable[] {
  return [
    workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(workspaceTrustNotification, { trusted: true })),
    commands.registerCommand(TRUST_WORKSPACE_COMMAND, () => commands.executeCommand('workbench.trust.manage')),
  ];
}
