// Reads smtp.localServer.port, smtp.localServer.folder and
// smtp.localServer.rules into what smtp.lsp.startLocalServer takes.
import { homedir } from 'node:os';
import { workspace, type ExtensionContext } from 'vscode';
import type { StartLocalServerCommand } from '../../../server/src/contract/messages';
import { resolveInboxFolder } from './inboxFolder';
import { resolveRulesFile } from './rulesFileSetting';

export const DEFAULT_LOCAL_SERVER_PORT = 2525;

export type LocalServerSettings = { params: Required<StartLocalServerCommand.Params> } | { error: string };

/**
 * Where messages go when smtp.localServer.folder is empty, for the language
 * server's `initializationOptions.localServerFolder`: its on-demand starts then
 * save where the Start command would.
 */
export function defaultInboxFolder(context: ExtensionContext): string | null {
  const folder = resolveInboxFolder('', { globalStorageFolder: globalStorageFolder(context), workspaceFolder: null, homeFolder: homedir() });
  return 'dir' in folder ? folder.dir : null;
}

export function readLocalServerSettings(context: ExtensionContext): LocalServerSettings {
  const configuration = workspace.getConfiguration('smtp.localServer');
  const port = configuration.get<unknown>('port', DEFAULT_LOCAL_SERVER_PORT);
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    return { error: `The setting smtp.localServer.port must be a whole number from 0 (any free port) to 65535, not ${JSON.stringify(port)}. Change it in the settings.` };
  }
  const folderSetting = configuration.get<unknown>('folder', '');
  if (typeof folderSetting !== 'string') {
    return { error: 'The setting smtp.localServer.folder must be a folder path, or empty for the extension\'s own folder. Change it in the settings.' };
  }
  const workspaceFolder = workspace.workspaceFolders?.find((candidate) => candidate.uri.scheme === 'file')?.uri.fsPath ?? null;
  const folder = resolveInboxFolder(folderSetting, { globalStorageFolder: globalStorageFolder(context), workspaceFolder, homeFolder: homedir() });
  if ('error' in folder) return folder;
  const rules = resolveRulesFile(configuration.get<unknown>('rules', ''), workspaceFolder, homedir());
  if ('error' in rules) return rules;
  return { params: { port, dir: folder.dir, rules: rules.path } };
}

/** In a browser-only editor the storage is not a file path the server can write to: messages then stay in memory. */
function globalStorageFolder(context: ExtensionContext): string | null {
  return context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : null;
}
