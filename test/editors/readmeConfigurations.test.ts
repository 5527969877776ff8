// The README's configurations for editors CI cannot run (Helix is not in
// Debian 12; Sublime Text and Zed are not free software in Debian at all) are
// checked for syntax and shape: each parses with a real parser of its format,
// starts `smtp-session lsp`, gives *.smtp files the language the server
// serves, and names only settings the server reads. Neovim's and Emacs's are
// run for real (neovim.editors.ts, emacs.editors.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { otherEditorsSection, readmeBlocks } from './readmeBlocks';

/** The `smtp` settings the language server reads (README, "Other editors", Settings). */
const SERVER_SETTINGS = ['inlayHints.enabled', 'environments', 'confirmRemoteRuns', 'localServer.port', 'localServer.folder'];

/** The extension's settings, as VS Code knows them: another editor's names must be the same. */
function extensionSettings(): string[] {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] } };
  const sections = [manifest.contributes.configuration].flat();
  return sections.flatMap((section) => Object.keys(section.properties));
}

/** `{ inlayHints: { enabled: true } }` → ['inlayHints.enabled'], stopping at a setting the server reads whole (environments). */
function settingNames(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || SERVER_SETTINGS.includes(prefix)) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => settingNames(inner, prefix === '' ? key : `${prefix}.${key}`));
}

function assertServerSettings(smtp: unknown, where: string): void {
  const names = settingNames(smtp);
  const known = extensionSettings();
  for (const name of names) {
    assert.ok(SERVER_SETTINGS.includes(name), `${where} sets smtp.${name}, which the language server does not read (it reads ${SERVER_SETTINGS.join(', ')})`);
    assert.ok(known.includes(`smtp.${name}`), `${where}: smtp.${name} is not one of the extension's settings`);
  }
}

describe('the README\'s configuration for Helix (languages.toml)', () => {
  let config: { 'language-server'?: Record<string, Record<string, unknown>>; language?: Record<string, unknown>[] };

  before(async () => {
    // smol-toml is an ES module only.
    const { parse } = await import('smol-toml');
    config = parse(readmeBlocks('Helix', 'toml')[0]) as typeof config;
  });

  it('starts `smtp-session lsp` as the language server smtp-session, with settings the server reads', () => {
    const server = config['language-server']?.['smtp-session'];
    assert.ok(server, 'no [language-server.smtp-session] table');
    assert.equal(server.command, 'smtp-session');
    assert.deepEqual(server.args, ['lsp']);
    // Helix accepts only these keys in a language server's table.
    for (const key of Object.keys(server)) assert.ok(['command', 'args', 'config', 'environment', 'timeout', 'required-root-patterns'].includes(key), `unknown key ${key}`);
    assertServerSettings((server.config as { smtp?: unknown } | undefined)?.smtp, 'Helix\'s config');
  });

  it('gives *.smtp the language "smtp" (its language id), scope source.smtp, with that server and # comments', () => {
    const languages = config.language ?? [];
    assert.equal(languages.length, 1);
    const [language] = languages;
    assert.equal(language['language-id'] ?? language.name, 'smtp');
    assert.equal(language.scope, 'source.smtp');
    assert.deepEqual(language['file-types'], ['smtp']);
    assert.deepEqual(language['language-servers'], ['smtp-session']);
    assert.equal(language['comment-token'] ?? language['comment-tokens'], '#');
    // Helix refuses a languages.toml with a key it does not know.
    const helixKeys = ['name', 'language-id', 'scope', 'injection-regex', 'file-types', 'shebangs', 'roots', 'comment-token', 'comment-tokens', 'block-comment-tokens', 'indent', 'language-servers', 'grammar', 'formatter', 'auto-format', 'diagnostic-severity', 'auto-pairs', 'text-width', 'soft-wrap', 'rulers', 'workspace-lsp-roots'];
    for (const key of Object.keys(language)) assert.ok(helixKeys.includes(key), `unknown key ${key} in [[language]]`);
  });
});

describe('the README\'s configuration for Sublime Text\'s LSP package', () => {
  const [block] = readmeBlocks('Sublime Text with LSP', 'json');
  const config = JSON.parse(block) as { clients?: Record<string, Record<string, unknown>> };

  it('is JSON whose client smtp-session starts `smtp-session lsp` for source.smtp, with settings the server reads', () => {
    const client = config.clients?.['smtp-session'];
    assert.ok(client, 'no clients.smtp-session');
    assert.equal(client.enabled, true);
    assert.deepEqual(client.command, ['smtp-session', 'lsp']);
    assert.equal(client.selector, 'source.smtp');
    // The LSP package expands dotted keys ("smtp.inlayHints.enabled") into objects.
    const settings = client.settings as Record<string, unknown>;
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(settings)) {
      const path = key.split('.');
      let at = nested;
      for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Record<string, unknown>;
      at[path[path.length - 1]] = value;
    }
    assert.deepEqual(Object.keys(nested), ['smtp']);
    assertServerSettings(nested.smtp, 'Sublime\'s settings');
  });

  it('names the syntax that gives *.smtp the scope source.smtp', () => {
    const section = otherEditorsSection();
    assert.match(section, /file_extensions: \[smtp\]/);
    assert.match(section, /scope: source\.smtp/);
  });
});

describe('the README\'s Neovim and Eglot settings', () => {
  it('name only settings the server reads', () => {
    // Lua tables and plists are not JSON: the names are read from the `settings = { smtp = { … } }` text.
    for (const lua of readmeBlocks('Neovim 0.7 and later', 'lua')) {
      const smtp = /settings = \{ smtp = (\{.*\}) \}/.exec(lua)?.[1];
      assert.ok(smtp, 'the Neovim 0.7 block has no settings');
      assertServerSettings(JSON.parse(smtp.replace(/(\w+) = /g, '"$1": ')), 'Neovim\'s settings');
    }
    const eglot = readmeBlocks('Emacs with Eglot', 'elisp').join('\n');
    assert.match(eglot, /eglot-workspace-configuration '\(:smtp \(:inlayHints \(:enabled t\)\)\)/);
  });
});
