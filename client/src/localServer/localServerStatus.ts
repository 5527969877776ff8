// The embedded local server's last known status, as the language server last
// announced it (smtp/localServerStatus) — never polled. Mirrored into the
// context key `smtp.localServer.running` for menus and the inbox's welcome.
import { commands, EventEmitter, type Disposable, type Event } from 'vscode';
import type { LocalServerStatus } from '../../../server/src/contract/messages';

export const RUNNING_CONTEXT_KEY = 'smtp.localServer.running';

export class LocalServerStatusStore implements Disposable {
  private current: LocalServerStatus = { running: false };
  private readonly changed = new EventEmitter<LocalServerStatus>();
  readonly onDidChange: Event<LocalServerStatus> = this.changed.event;

  get status(): LocalServerStatus {
    return this.current;
  }

  update(status: LocalServerStatus): void {
    this.current = status;
    void commands.executeCommand('setContext', RUNNING_CONTEXT_KEY, status.running);
    this.changed.fire(status);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
