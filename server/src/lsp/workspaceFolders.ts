// The editor's workspace folders, as the client tells them: in `initialize`
// (workspaceFolders, or the older rootUri) and, when it can, on every change.
// They bound what a file's `{{$file}}` may read (run/workspaceRoot.ts).
import type { Connection, InitializeParams, WorkspaceFolder } from 'vscode-languageserver';
import { workspaceRootFor } from '../run/workspaceRoot';
import { filePathOf } from './readTranscript';

export class WorkspaceFolders {
  private paths: string[] = [];
  private clientSendsChanges = false;

  /** From `initialize`; returns the server capability that asks for change notifications. */
  initialize(params: InitializeParams): { workspaceFolders: { supported: true; changeNotifications: boolean } } {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.paths = toPaths(folders);
    this.clientSendsChanges = params.capabilities.workspace?.workspaceFolders === true;
    return { workspaceFolders: { supported: true, changeNotifications: this.clientSendsChanges } };
  }

  /** After `initialized`: follows folders added and removed, when the client said it sends them. */
  listen(connection: Connection): void {
    if (!this.clientSendsChanges) return;
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(toPaths(event.removed));
      this.paths = [...this.paths.filter((path) => !removed.has(path)), ...toPaths(event.added)];
    });
  }

  /** The folder a file's `{{$file}}` paths must stay in: its workspace folder, else its repository, else its own folder. */
  rootFor(filePath: string): string {
    return workspaceRootFor(filePath, this.paths, null);
  }
}

function toPaths(folders: readonly WorkspaceFolder[]): string[] {
  return folders.flatMap((folder) => {
    const path = filePathOf(folder.uri);
    return path === null ? [] : [path];
  });
}
