// The editor's workspace trust as the server keeps it (WorkspaceTrustNotification
// in contract/messages.ts): untrusted, the server still reads, checks and
// explains files, but runs nothing — no connection, no `$env`, `$file` or
// `$secret`, no embedded server. A client that never mentions trust is trusted.
import { ResponseError, ErrorCodes } from 'vscode-languageserver';

export class WorkspaceTrust {
  trusted = true;

  /** Throws the error a run or a start of the local server fails with while the workspace is not trusted. */
  requireTrust(what: string): void {
    if (this.trusted) return;
    throw new ResponseError(ErrorCodes.InvalidRequest, `${what} is off in Restricted Mode: this workspace is not trusted, so its .smtp files are read and checked but nothing is run, no file or environment variable is read and no secret is asked for. Trust the workspace (Manage Workspace Trust) to run sessions.`);
  }
}
