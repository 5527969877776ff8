// Where the local server saves messages, from the setting smtp.localServer.folder.
// No `vscode` import, so it is tested without an editor.
import { isAbsolute, join, resolve } from 'node:path';

export interface InboxFolderContext {
  /** The extension's global storage folder as a file path; null when it is not on this file system. */
  globalStorageFolder: string | null;
  /** The first workspace folder's path, for relative settings and `${workspaceFolder}`. */
  workspaceFolder: string | null;
  homeFolder: string;
}

export type InboxFolder = { dir: string | null } | { error: string };

/**
 * "" means the extension's global storage folder `inbox/`, so messages are
 * always saved as `.eml` and the inbox can open them. `~/…` is the home
 * folder, `${workspaceFolder}` the first workspace folder; any other relative
 * path is relative to that folder too.
 */
export function resolveInboxFolder(setting: string, context: InboxFolderContext): InboxFolder {
  const value = setting.trim();
  if (value === '') return { dir: context.globalStorageFolder === null ? null : join(context.globalStorageFolder, 'inbox') };
  if (value.includes('${workspaceFolder}') && context.workspaceFolder === null) {
    return { error: `The setting smtp.localServer.folder ("${value}") uses \${workspaceFolder}, but no folder is open. Open a folder, or use an absolute path.` };
  }
  const expanded = value.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder ?? '').replace(/^~(?=$|[\\/])/, context.homeFolder);
  if (isAbsolute(expanded)) return { dir: resolve(expanded) };
  if (context.workspaceFolder === null) {
    return { error: `The setting smtp.localServer.folder ("${value}") is a relative path, but no folder is open to resolve it against. Use an absolute path, or leave it empty for the extension's own folder.` };
  }
  return { dir: resolve(context.workspaceFolder, expanded) };
}
