import type { Connection } from 'vscode-languageserver';

/** The `smtp.*` settings the server reads, per document (see package.json's contributes.configuration). */
export interface DocumentSettings {
  inlayHints: boolean;
}

export const DEFAULT_SETTINGS: DocumentSettings = { inlayHints: true };

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
  const inlayHints = (section as { inlayHints?: { enabled?: unknown } } | null)?.inlayHints?.enabled;
  return { inlayHints: typeof inlayHints === 'boolean' ? inlayHints : DEFAULT_SETTINGS.inlayHints };
}
