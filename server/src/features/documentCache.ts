/** What the cache needs of a document: TextDocument from vscode-languageserver-textdocument fits. */
export interface VersionedText {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

export interface DocumentCache<T> {
  /** The model for this version of the document, parsed now only if this version was not seen yet. */
  get(document: VersionedText): T;
  /** Forgets a document (call it when the document closes). */
  evict(uri: string): void;
  clear(): void;
  readonly size: number;
}

interface Entry<T> {
  version: number;
  model: T;
}

/**
 * Parse once per document version: every feature asks the cache, so a change is
 * parsed once however many features look at it. Like VS Code's languageModelCache,
 * entries go when their document closes; the least recently used go first should
 * more than maxEntries documents be open at once.
 */
export function createDocumentCache<T>(parse: (text: string) => T, maxEntries = 100): DocumentCache<T> {
  // A Map iterates in insertion order; re-inserting on every hit keeps it in LRU order.
  const entries = new Map<string, Entry<T>>();

  return {
    get(document) {
      const cached = entries.get(document.uri);
      entries.delete(document.uri);
      if (cached !== undefined && cached.version === document.version) {
        entries.set(document.uri, cached);
        return cached.model;
      }
      const entry = { version: document.version, model: parse(document.getText()) };
      entries.set(document.uri, entry);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      return entry.model;
    },
    evict(uri) {
      entries.delete(uri);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
