// The VS Code side of the guard before real mail: the language server decides
// when a run goes to a remote host and what it would deliver, and asks with
// smtp/confirmRemoteRun (contract/messages.ts); this shows its question in a
// modal dialog — "Run" / "Don't ask again for this host" — and keeps the hosts
// the user let through for good in workspaceState, so this workspace's later
// windows answer for them without asking. An environment with
// `"$confirm": "always"` asks anyway, without the "don't ask again" button.
import { window, type Disposable, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ConfirmRemoteRunRequest } from '../../../server/src/contract/messages';
import { confirmRemoteRunRequest } from '../protocol';

const REMEMBERED_KEY = 'smtp.remoteHostsConfirmed';
const RUN = 'Run';
const REMEMBER = "Don't ask again for this host";
const REMEMBER_MANY = "Don't ask again for these hosts";

export function registerRemoteRunConfirmation(context: ExtensionContext, client: LanguageClient): Disposable {
  const remembered = (): string[] => {
    const hosts = context.workspaceState.get<unknown>(REMEMBERED_KEY);
    return Array.isArray(hosts) ? hosts.filter((host): host is string => typeof host === 'string') : [];
  };
  return client.onRequest(confirmRemoteRunRequest, async (params, token): Promise<ConfirmRemoteRunRequest.Result> => {
    const hosts = params.deliveries.map((delivery) => delivery.host);
    if (!params.always && hosts.every((host) => remembered().includes(host))) return { decision: 'run' };
    const remember = hosts.length === 1 ? REMEMBER : REMEMBER_MANY;
    const buttons = params.always ? [RUN] : [RUN, remember];
    const detail = params.always
      ? 'The selected environment says "$confirm": "always", so every run against it asks.'
      : 'Asked once per host in this window. Turn this question off with the setting smtp.confirmRemoteRuns.';
    const picked = await Promise.race([
      window.showWarningMessage(params.question, { modal: true, detail }, ...buttons),
      new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined))),
    ]);
    if (picked === remember) {
      await context.workspaceState.update(REMEMBERED_KEY, [...new Set([...remembered(), ...hosts])]);
      return { decision: 'remember' };
    }
    return { decision: picked === RUN ? 'run' : 'cancel' };
  });
}
