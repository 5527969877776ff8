// The `smtp.*` settings (package.json's contributes.configuration), from
// wherever the client keeps them. Editors differ: VS Code, Neovim, Helix and
// Eglot answer workspace/configuration; some clients only push the settings
// with workspace/didChangeConfiguration; some can only pass them once, in
// initializationOptions. The first source the client offers wins, in that order.
import type { Connection } from 'vscode-languageserver';

/** The `smtp.*` settings the server reads, per document. */
export interface DocumentSettings {
  inlayHints: boolean;
  /** Every variable name some environment of `smtp.environments` defines: known to the analysis, whichever is selected. */
  environmentVariables: ReadonlySet<string>;
  /** `smtp.confirmRemoteRuns`: ask before the first run in a window to a remote host. */
  confirmRemoteRuns: boolean;
}

export const DEFAULT_SETTINGS: DocumentSettings = { inlayHints: true, environmentVariables: new Set(), confirmRemoteRuns: true };

/** The `smtp` section's `localServer` object as given, or null when the client gave none. */
export type LocalServerSection = { port?: unknown; folder?: unknown; rules?: unknown } | null;

/**
 * Asks the client for a document's settings once and keeps them until the
 * configuration changes or the document closes; without workspace/configuration,
 * the last didChangeConfiguration payload's `smtp` section, else
 * initializationOptions' `smtp`, else the defaults.
 */
export class SettingsCache {
  clientSupportsConfiguration = false;
  /** initializationOptions.smtp, set once at initialize. */
  initial: unknown = undefined;
  /** The `smtp` section of the last didChangeConfiguration payload that carried one. */
  private pushed: unknown = undefined;
  private readonly cache = new Map<string, Promise<DocumentSettings>>();

  constructor(private readonly connection: Connection) {}

  forDocument(uri: string): Promise<DocumentSettings> {
    if (!this.clientSupportsConfiguration) return Promise.resolve(readSettings(this.given()));
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'smtp' }).then(readSettings, () => readSettings(this.given()));
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** `smtp.localServer`, read each time the embedded server starts on demand. */
  async localServer(): Promise<LocalServerSection> {
    const section = this.clientSupportsConfiguration
      ? await this.connection.workspace.getConfiguration('smtp.localServer').then((value: unknown) => value, () => objectAt(this.given(), 'localServer'))
      : objectAt(this.given(), 'localServer');
    return typeof section === 'object' && section !== null ? (section as LocalServerSection) : null;
  }

  /** workspace/didChangeConfiguration: `settings` is the client's payload, `{ smtp: {…} }` from most clients, null from VS Code. */
  changed(settings: unknown): void {
    const section = objectAt(settings, 'smtp');
    if (section !== undefined) this.pushed = section;
    this.cache.clear();
  }

  evict(uri: string): void {
    this.cache.delete(uri);
  }

  private given(): unknown {
    return this.pushed ?? this.initial;
  }
}

function objectAt(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function readSettings(section: unknown): DocumentSettings {
  const inlayHints = objectAt(objectAt(section, 'inlayHints'), 'enabled');
  return {
    inlayHints: typeof inlayHints === 'boolean' ? inlayHints : DEFAULT_SETTINGS.inlayHints,
    environmentVariables: environmentNames(objectAt(section, 'environments')),
    confirmRemoteRuns: typeof objectAt(section, 'confirmRemoteRuns') === 'boolean' ? objectAt(section, 'confirmRemoteRuns') as boolean : DEFAULT_SETTINGS.confirmRemoteRuns,
  };
}

/** `{"local": {"server": …}, "staging": {"server": …, "user": …}}` → server, user. Anything else in the setting is ignored. */
function environmentNames(environments: unknown): ReadonlySet<string> {
  const names = new Set<string>();
  if (typeof environments !== 'object' || environments === null) return names;
  for (const variables of Object.values(environments)) {
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) continue;
    for (const name of Object.keys(variables)) names.add(name);
  }
  return names;
}
