// Answers the language server's smtp/secret requests: `{{$secret NAME}}` from
// VS Code's SecretStorage, kept per workspace and per server host
// (storedSecrets.ts) — asked with a password box that names the host when
// this workspace has none for that host, then kept — and `{{$prompt LABEL}}`
// by asking every run. Every value handed out goes into the secret mask, so
// the trace never shows it. Also "Set Secret" and "Clear Secrets", from an
// index in globalState (names, hosts and workspaces, never values).
import { Uri, window, workspace, type CancellationToken, type Disposable, type ExtensionContext, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SecretRequest } from '../../../server/src/contract/messages';
import { secretRequest } from '../protocol';
import type { SecretMask } from './secretMask';
import { hostLabel, readSecretIndex, sameSecret, secretStorageKey, withSecret, type StoredSecret } from './storedSecrets';

const INDEX_KEY = 'smtp.storedSecrets';
/** Before secrets were bound to a host: values under `smtp.secret.NAME`, names in this list. */
const LEGACY_NAMES_KEY = 'smtp.secretNames';
const LEGACY_KEY_PREFIX = 'smtp.secret.';

export class SecretAnswers {
  constructor(
    private readonly context: ExtensionContext,
    private readonly mask: SecretMask,
  ) {}

  register(client: LanguageClient): Disposable {
    void this.forgetUnboundSecrets();
    return client.onRequest(secretRequest, (params, token) => this.answer(params, token));
  }

  async answer(params: SecretRequest.Params, token: CancellationToken): Promise<SecretRequest.Result> {
    // The server runs nothing in Restricted Mode; should anything ask anyway, nothing is handed out.
    if (!workspace.isTrusted) return { value: null };
    const uri = Uri.parse(params.uri);
    const file = uri.path.split('/').pop() || params.uri;
    // An older server does not say the host: its secrets are bound to "no server", apart from every real host.
    const host = typeof params.host === 'string' ? params.host : '';
    if (params.kind === 'prompt') {
      const value = await window.showInputBox({
        title: `SMTP: ${params.name} (for ${hostLabel(host)})`,
        prompt: `${file} asks for "${params.name}" to send to ${hostLabel(host)} ({{$prompt}}; asked on every run, never stored or shown).`,
        password: true,
        ignoreFocusOut: true,
      }, token);
      return this.handOut(value);
    }
    const entry: StoredSecret = { workspace: workspaceKeyFor(uri), host, name: params.name };
    const stored = await this.context.secrets.get(secretStorageKey(entry));
    if (stored !== undefined) return this.handOut(stored);
    const value = await window.showInputBox({
      title: `SMTP secret ${params.name} for ${hostLabel(host)}`,
      prompt: `${file} uses {{$secret ${params.name}}} with the server ${hostLabel(host)}. Enter its value: it is kept in VS Code's secret storage for this workspace and this host only, never shown ("SMTP: Clear Secrets" forgets it).`,
      password: true,
      ignoreFocusOut: true,
    }, token);
    if (value !== undefined && !token.isCancellationRequested) await this.store(entry, value);
    return this.handOut(value);
  }

  /** "SMTP: Set Secret": a name and a host (known ones offered), then the value in a password box; for the active file's workspace. */
  async setSecret(): Promise<void> {
    if (!workspace.isTrusted) {
      void window.showInformationMessage('SMTP: secrets are off in Restricted Mode. Trust this workspace to store one.');
      return;
    }
    const index = this.index();
    const name = await pickOrType('name', index.map((entry) => entry.name), (text) => (/^[^\s{}]+$/.test(text) ? null : 'A secret name is one word without spaces or braces, as in {{$secret SMTP_PASSWORD}}.'));
    if (!name) return;
    const host = await pickOrType('host', index.map((entry) => entry.host).filter((known) => known !== ''), (text) => (/^[^\s/]+$/.test(text) ? null : 'A host name or address, as in @server (without the port): smtp.example.org, 192.0.2.7.'));
    if (!host) return;
    const active = window.activeTextEditor?.document.uri;
    const entry: StoredSecret = { workspace: active ? workspaceKeyFor(active) : workspace.workspaceFolders?.[0]?.uri.toString() ?? '', host: host.toLowerCase().replace(/^\[(.*)\]$/, '$1'), name };
    const value = await window.showInputBox({ title: `SMTP secret ${name} for ${hostLabel(entry.host)}`, prompt: `The value of {{$secret ${name}}} for the server ${hostLabel(entry.host)} in this workspace; kept in VS Code's secret storage, never shown.`, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    await this.store(entry, value);
    void window.showInformationMessage(`SMTP: the secret ${name} for ${hostLabel(entry.host)} is stored.`);
  }

  /** "SMTP: Clear Secrets": forget some or all of the stored ones, listed with their hosts and workspaces. */
  async clearSecrets(): Promise<void> {
    const index = this.index();
    if (index.length === 0) {
      void window.showInformationMessage('SMTP: no secrets are stored.');
      return;
    }
    const items = index.map((entry) => ({
      label: entry.name,
      description: `for ${hostLabel(entry.host)}`,
      detail: workspaceLabel(entry.workspace),
      picked: true,
      entry,
    } satisfies QuickPickItem & { entry: StoredSecret }));
    const picked = await window.showQuickPick(items, {
      title: 'SMTP: Clear Secrets',
      placeHolder: 'The secrets to forget (they are asked again on the next run that uses them)',
      canPickMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked || picked.length === 0) return;
    await this.forget(picked.map((item) => item.entry));
    void window.showInformationMessage(`SMTP: ${picked.length} secret${picked.length === 1 ? '' : 's'} cleared.`);
  }

  private handOut(value: string | undefined): SecretRequest.Result {
    if (value === undefined) return { value: null };
    // Before the answer leaves: the trace prints the response as it is sent.
    this.mask.add(value);
    return { value };
  }

  private async store(entry: StoredSecret, value: string): Promise<void> {
    await this.context.secrets.store(secretStorageKey(entry), value);
    const { index, dropped } = withSecret(this.index(), entry);
    await this.context.globalState.update(INDEX_KEY, index);
    for (const old of dropped) await this.context.secrets.delete(secretStorageKey(old));
  }

  private async forget(entries: readonly StoredSecret[]): Promise<void> {
    for (const entry of entries) await this.context.secrets.delete(secretStorageKey(entry));
    await this.context.globalState.update(INDEX_KEY, this.index().filter((known) => !entries.some((entry) => sameSecret(entry, known))));
  }

  private index(): StoredSecret[] {
    return readSecretIndex(this.context.globalState.get<unknown>(INDEX_KEY));
  }

  /**
   * Secrets stored by name alone (before they were bound to a workspace and a
   * host) would answer any file against any server: they are deleted once, and
   * asked again where they are used.
   */
  private async forgetUnboundSecrets(): Promise<void> {
    const names = this.context.globalState.get<unknown>(LEGACY_NAMES_KEY);
    if (!Array.isArray(names)) return;
    for (const name of names) if (typeof name === 'string') await this.context.secrets.delete(LEGACY_KEY_PREFIX + name);
    await this.context.globalState.update(LEGACY_NAMES_KEY, undefined);
  }
}

/** Which workspace a file's secrets belong to: its workspace folder, else its own folder. */
export function workspaceKeyFor(uri: Uri): string {
  const folder = workspace.getWorkspaceFolder(uri);
  if (folder) return folder.uri.toString();
  return uri.scheme === 'untitled' ? 'untitled:' : Uri.joinPath(uri, '..').toString();
}

function workspaceLabel(key: string): string {
  if (key === 'untitled:') return 'Untitled files';
  const uri = Uri.parse(key);
  return uri.scheme === 'file' ? uri.fsPath : key;
}

async function pickOrType(what: 'name' | 'host', known: string[], validateInput: (text: string) => string | null): Promise<string | undefined> {
  const prompt = what === 'name' ? 'The NAME in {{$secret NAME}}' : 'The server host it is for (as in @server, without the port)';
  const distinct = [...new Set(known)];
  if (distinct.length === 0) return window.showInputBox({ title: 'SMTP: Set Secret', prompt, validateInput, ignoreFocusOut: true });
  const other = what === 'name' ? '$(add) Another name…' : '$(add) Another host…';
  const picked = await window.showQuickPick([...distinct, other], { title: 'SMTP: Set Secret', placeHolder: prompt });
  if (picked !== other) return picked;
  return window.showInputBox({ title: 'SMTP: Set Secret', prompt, validateInput, ignoreFocusOut: true });
}
