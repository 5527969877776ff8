// Answers the language server's smtp/secret requests: `{{$secret NAME}}` from
// VS Code's SecretStorage (asking once with a password box when it has none,
// then keeping the answer), `{{$prompt LABEL}}` by asking every run. Every
// value handed out goes into the secret mask, so the trace never shows it.
// Also "Set Secret" and "Clear Secrets": SecretStorage cannot list its keys,
// so the names stored are kept in globalState (names only, never values).
import { window, type CancellationToken, type Disposable, type ExtensionContext, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SecretRequest } from '../../../server/src/contract/messages';
import { secretRequest } from '../protocol';
import type { SecretMask } from './secretMask';

const KEY_PREFIX = 'smtp.secret.';
const NAMES_KEY = 'smtp.secretNames';
/** Names kept in the index at most (SecretStorage itself has no limit we could read). */
const MAX_NAMES = 200;

export class SecretAnswers {
  constructor(
    private readonly context: ExtensionContext,
    private readonly mask: SecretMask,
  ) {}

  register(client: LanguageClient): Disposable {
    return client.onRequest(secretRequest, (params, token) => this.answer(params, token));
  }

  async answer(params: SecretRequest.Params, token: CancellationToken): Promise<SecretRequest.Result> {
    const file = params.uri.split('/').pop() ?? params.uri;
    if (params.kind === 'prompt') {
      const value = await window.showInputBox({
        title: `SMTP: ${params.name}`,
        prompt: `${file} asks for "${params.name}" ({{$prompt}}; asked on every run, never stored or shown).`,
        password: true,
        ignoreFocusOut: true,
      }, token);
      return this.handOut(value);
    }
    const stored = await this.context.secrets.get(KEY_PREFIX + params.name);
    if (stored !== undefined) return this.handOut(stored);
    const value = await window.showInputBox({
      title: `SMTP secret ${params.name}`,
      prompt: `${file} uses {{$secret ${params.name}}}. Enter its value: it is kept in VS Code's secret storage and never shown ("SMTP: Clear Secrets" forgets it).`,
      password: true,
      ignoreFocusOut: true,
    }, token);
    if (value !== undefined && !token.isCancellationRequested) await this.store(params.name, value);
    return this.handOut(value);
  }

  /** "SMTP: Set Secret": a name (known ones offered), then its value in a password box. */
  async setSecret(): Promise<void> {
    const known = this.names();
    const name = await pickOrTypeName(known);
    if (!name) return;
    const value = await window.showInputBox({ title: `SMTP secret ${name}`, prompt: `The value of {{$secret ${name}}}; kept in VS Code's secret storage, never shown.`, password: true, ignoreFocusOut: true });
    if (value === undefined) return;
    await this.store(name, value);
    void window.showInformationMessage(`SMTP: the secret ${name} is stored.`);
  }

  /** "SMTP: Clear Secrets": forget some or all of the stored ones. */
  async clearSecrets(): Promise<void> {
    const known = this.names();
    if (known.length === 0) {
      void window.showInformationMessage('SMTP: no secrets are stored.');
      return;
    }
    const picked = await window.showQuickPick(known.map((name): QuickPickItem => ({ label: name, picked: true })), {
      title: 'SMTP: Clear Secrets',
      placeHolder: 'The secrets to forget (they are asked again on the next run that uses them)',
      canPickMany: true,
    });
    if (!picked || picked.length === 0) return;
    const forget = new Set(picked.map((item) => item.label));
    for (const name of forget) await this.context.secrets.delete(KEY_PREFIX + name);
    await this.context.globalState.update(NAMES_KEY, known.filter((name) => !forget.has(name)));
    void window.showInformationMessage(`SMTP: ${forget.size} secret${forget.size === 1 ? '' : 's'} cleared.`);
  }

  private handOut(value: string | undefined): SecretRequest.Result {
    if (value === undefined) return { value: null };
    // Before the answer leaves: the trace prints the response as it is sent.
    this.mask.add(value);
    return { value };
  }

  private async store(name: string, value: string): Promise<void> {
    await this.context.secrets.store(KEY_PREFIX + name, value);
    const names = this.names().filter((known) => known !== name);
    names.push(name);
    await this.context.globalState.update(NAMES_KEY, names.slice(-MAX_NAMES));
  }

  private names(): string[] {
    const names = this.context.globalState.get<unknown>(NAMES_KEY);
    return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
  }
}

async function pickOrTypeName(known: string[]): Promise<string | undefined> {
  const valid = (name: string) => (/^[^\s{}]+$/.test(name) ? null : 'A secret name is one word without spaces or braces, as in {{$secret SMTP_PASSWORD}}.');
  if (known.length === 0) {
    return window.showInputBox({ title: 'SMTP: Set Secret', prompt: 'The NAME in {{$secret NAME}}', validateInput: valid, ignoreFocusOut: true });
  }
  const other = '$(add) Another name…';
  const picked = await window.showQuickPick([...known, other], { title: 'SMTP: Set Secret', placeHolder: 'Which secret (the NAME in {{$secret NAME}})' });
  if (picked !== other) return picked;
  return window.showInputBox({ title: 'SMTP: Set Secret', prompt: 'The NAME in {{$secret NAME}}', validateInput: valid, ignoreFocusOut: true });
}
