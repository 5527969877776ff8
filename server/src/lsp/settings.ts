import type { Connection } from 'vscode-languageserver';

/** The `smtp.*` settings the server reads, per document (see package.json's contributes.configuration). */
export interface DocumentSettings {
  inlayHints: boolean;
  /** Every variable name some environment of `smtp.environments` defines: known to the analysis, whichever is selected. */
  environmentVariables: ReadonlySet<string>;
}

export const DEFAULT_SETTINGS: DocumentSettings = { inlayHints: true, environmentVariables: new Set() };

/**
 * Asks the client for a document's settings once and keeps them until the
 * configuration changes or the document closes. Clients that cannot answer
 * `workspace/configuration` get the defaults.
 */
export class SettingsCache {
  clientSupportsConfiguration = false;
  private readonly cache = new Map<string, Promise<DocumentSettings>>();

  constructor(private readonly connection: Connection) {}

  forDocument(uri: string): Promise<DocumentSettings> {
    if (!this.clientSupportsConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'smtp' }).then(readSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  evict(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}

function readSettings(section: unknown): DocumentSettings {
  const settings = section as { inlayHints?: { enabled?: unknown }; environments?: unknown } | null;
  const inlayHints = settings?.inlayHints?.enabled;
  return {
    inlayHints: typeof inlayHints === 'boolean' ? inlayHints : DEFAULT_SETTINGS.inlayHints,
    environmentVariables: environmentNames(settings?.environments),
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
