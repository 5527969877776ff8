// Start and stop the embedded local server, and the status bar's menu while it
// runs (open the inbox, copy the address, open the folder, stop).
import { commands, env, Uri, UIKind, window, type ExtensionContext, type LogOutputChannel } from 'vscode';
import type { LocalServerStatus } from '../../../server/src/contract/messages';
import type { LocalServerRequests } from './localServerRequests';
import type { LocalServerStatusStore } from './localServerStatus';
import { readLocalServerSettings } from './localServerSettings';
import { describeStartFailure, settingToChange } from './localServerStartError';
import { localServerAddress } from './localServerStatusText';

export const START_LOCAL_SERVER = 'smtp.startLocalServer';
export const STOP_LOCAL_SERVER = 'smtp.stopLocalServer';
/** The status bar's click while the server runs; not in the palette (package.json does not list it). */
export const LOCAL_SERVER_MENU = 'smtp.localServer.menu';
export const INBOX_VIEW_ID = 'smtp.inbox';

export function registerLocalServerCommands(
  context: ExtensionContext,
  requests: LocalServerRequests,
  store: LocalServerStatusStore,
  log: LogOutputChannel,
): void {
  const start = async (): Promise<LocalServerStatus | null> => {
    const settings = readLocalServerSettings(context);
    if ('error' in settings) {
      await offerSetting(settings.error, /folder/.test(settings.error) ? 'smtp.localServer.folder' : 'smtp.localServer.port');
      return null;
    }
    try {
      const status = await requests.start(settings.params);
      // The answer is authoritative even if its notification is still on its way.
      store.update(status);
      if (status.running && (settings.params.port !== 0 && status.port !== settings.params.port)) {
        log.info(`The local SMTP server was already running on ${localServerAddress(status)}; stop and start it to use port ${settings.params.port}.`);
      }
      return status;
    } catch (error) {
      const reason = messageOf(error);
      log.error(`Starting the local SMTP server failed: ${reason}`);
      await offerSetting(describeStartFailure(reason, settings.params), settingToChange(reason));
      return null;
    }
  };

  const stop = async (): Promise<void> => {
    try {
      store.update(await requests.stop());
    } catch (error) {
      log.error(`Stopping the local SMTP server failed: ${messageOf(error)}`);
      void window.showErrorMessage(`The local SMTP server could not be stopped: ${messageOf(error)}`);
    }
  };

  const menu = async (): Promise<void> => {
    const status = store.status;
    if (!status.running) {
      await start();
      return;
    }
    const address = localServerAddress(status);
    // Revealing a folder needs the desktop's file manager; a remote or browser window gets the path to copy instead.
    const canReveal = env.uiKind === UIKind.Desktop && env.remoteName === undefined;
    const picks = [
      { label: '$(inbox) Open Inbox', run: () => commands.executeCommand(`${INBOX_VIEW_ID}.focus`) },
      { label: '$(copy) Copy Address', description: address, run: () => copy(address, 'address') },
      ...(status.dir === null ? [] : [canReveal
        ? { label: '$(folder-opened) Open Folder', description: status.dir, run: () => commands.executeCommand('revealFileInOS', Uri.file(status.dir!)) }
        : { label: '$(copy) Copy Folder Path', description: status.dir, run: () => copy(status.dir!, 'folder path') }]),
      { label: '$(debug-stop) Stop Local Server', run: stop },
    ];
    const picked = await window.showQuickPick(picks, { title: `Local SMTP server on ${address}`, placeHolder: 'What do you want to do?' });
    await picked?.run();
  };

  context.subscriptions.push(
    commands.registerCommand(START_LOCAL_SERVER, start),
    commands.registerCommand(STOP_LOCAL_SERVER, stop),
    commands.registerCommand(LOCAL_SERVER_MENU, menu),
  );
}

async function copy(text: string, what: string): Promise<void> {
  await env.clipboard.writeText(text);
  window.setStatusBarMessage(`Copied the local SMTP server's ${what}: ${text}`, 3000);
}

/** An error that a setting can fix offers to open that setting. */
async function offerSetting(message: string, setting: string | null): Promise<void> {
  const openSetting = 'Open Setting';
  const answer = setting === null ? await window.showErrorMessage(message) : await window.showErrorMessage(message, openSetting);
  if (answer === openSetting && setting !== null) await commands.executeCommand('workbench.action.openSettings', setting);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
