// The status bar item: "$(mail) SMTP :2525" while the local server runs (click:
// its menu), "$(circle-slash) SMTP server off" otherwise (click: start it).
import { StatusBarAlignment, window, type Disposable } from 'vscode';
import type { LocalServerStatus } from '../../../server/src/contract/messages';
import { LOCAL_SERVER_MENU, START_LOCAL_SERVER } from './localServerCommands';
import type { LocalServerStatusStore } from './localServerStatus';
import { localServerStatusBarText } from './localServerStatusText';

export function createLocalServerStatusItem(store: LocalServerStatusStore): Disposable {
  const item = window.createStatusBarItem('smtp.localServer', StatusBarAlignment.Left, 10);
  item.name = 'SMTP Local Server';
  const show = (status: LocalServerStatus) => {
    const { text, tooltip } = localServerStatusBarText(status);
    item.text = text;
    item.tooltip = tooltip;
    item.command = status.running ? LOCAL_SERVER_MENU : START_LOCAL_SERVER;
    item.accessibilityInformation = { label: status.running ? `SMTP local server running on port ${status.port}` : 'SMTP local server off', role: 'button' };
  };
  show(store.status);
  item.show();
  const subscription = store.onDidChange(show);
  return { dispose: () => { subscription.dispose(); item.dispose(); } };
}
