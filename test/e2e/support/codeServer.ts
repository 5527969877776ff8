// code-server (the real VS Code workbench, served to a browser) with a
// throwaway profile: its own user-data and extensions folders, the packaged
// extension installed, and settings that keep the window quiet and the tests
// independent of each other.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startProcess, type StartedProcess } from './processes';

const REPO = resolve(__dirname, '../../..');
const CODE_SERVER = join(REPO, '.vscode-test-web/node_modules/.bin/code-server');

/** What every e2e window starts with; tests may add to it. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  // Workspace trust off (the folder counts as trusted), unless a test asks for Restricted Mode.
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  // The tests read what an editor shows as text, and inlay hints ("service ready" after 220) are drawn
  // inside the line's text, between the reply code and the rest, whenever they arrive. They are tested
  // over a real LSP connection (test/server/features/inlayHints.test.ts); here they would only race the reading.
  'editor.inlayHints.enabled': 'off',
  // Any free port, so parallel runs and a developer's own server never collide.
  'smtp.localServer.port': 0,
};

export interface CodeServer {
  /** The workbench URL with the workspace folder open. */
  readonly url: string;
  readonly process: StartedProcess;
  stop(): Promise<void>;
}

/** Installs `vsix` into `profileDir` and starts code-server on a free loopback port with `folder` open. */
/** `restricted`: workspace trust on, and the folder opens untrusted (Restricted Mode) with no startup prompt. */
export async function startCodeServer(options: { profileDir: string; vsix: string; folder: string; settings?: Record<string, unknown>; restricted?: boolean }): Promise<CodeServer> {
  const userDataDir = join(options.profileDir, 'user-data');
  const extensionsDir = join(options.profileDir, 'extensions');
  await mkdir(join(userDataDir, 'User'), { recursive: true });
  await mkdir(extensionsDir, { recursive: true });
  const trust = options.restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {};
  const settings = { ...BASE_SETTINGS, ...trust, ...options.settings };
  await writeFile(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));

  // Its own config file: nothing is written to the user's ~/.config.
  const common = ['--config', join(options.profileDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  await promisify(execFile)(CODE_SERVER, [...common, '--install-extension', options.vsix, '--force'], { timeout: 120_000, env: profileEnvironment(options.profileDir) });

  // Port 0: the system picks a free port and code-server prints which.
  const server = startProcess(CODE_SERVER, [
    ...common,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    options.folder,
  ], { env: profileEnvironment(options.profileDir) });
  try {
    const [, address] = await server.waitForOutput(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    return {
      url: `${address}/?folder=${encodeURIComponent(options.folder)}`,
      process: server,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** What VS Code would write under ~/.config and ~/.cache (device id, logs) goes into the profile instead. */
function profileEnvironment(profileDir: string): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: join(profileDir, 'xdg-config'), XDG_CACHE_HOME: join(profileDir, 'xdg-cache') };
}
