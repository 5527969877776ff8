// Which rules file the local server runs with, from the setting
// smtp.localServer.rules: '' for none, else a path — absolute, `~/…`,
// `${workspaceFolder}/…`, or relative to the first workspace folder, as the
// rules files of a project usually sit in it. No `vscode` import, so it is
// tested without an editor.
import { isAbsolute, resolve } from 'node:path';

export type RulesFileSetting = { path: string | null } | { error: string };

export function resolveRulesFile(setting: unknown, workspaceFolder: string | null, homeFolder: string): RulesFileSetting {
  if (typeof setting !== 'string') return { error: 'The setting smtp.localServer.rules must be the path of a rules file, or empty for none. Change it in the settings.' };
  const value = setting.trim();
  if (value === '') return { path: null };
  if (value.includes('${workspaceFolder}') && workspaceFolder === null) {
    return { error: `The setting smtp.localServer.rules ("${value}") uses \${workspaceFolder}, but no folder is open. Open a folder, or use an absolute path.` };
  }
  const expanded = value.replace(/\$\{workspaceFolder\}/g, workspaceFolder ?? '').replace(/^~(?=$|[\\/])/, homeFolder);
  if (isAbsolute(expanded)) return { path: resolve(expanded) };
  if (workspaceFolder === null) return { error: `The setting smtp.localServer.rules ("${value}") is a relative path, but no folder is open to resolve it against. Use an absolute path.` };
  return { path: resolve(workspaceFolder, expanded) };
}
