// Where a `{{$secret NAME}}` value is kept: per workspace and per server host,
// so a file in another repository — or the same file pointed at another
// server — never receives it without the user typing it again. Plain values
// (no `vscode`): the SecretStorage key of an entry and the index of entries,
// which SecretStorage cannot list itself. The index holds names, hosts and
// workspaces only, never a value.

/** One stored secret, as the index lists it. */
export interface StoredSecret {
  /** The workspace folder's URI (or the file's folder outside any workspace folder). */
  workspace: string;
  /** The server host it was entered for, lower-cased as the language server sends it. */
  host: string;
  name: string;
}

/** Entries kept in the index at most (SecretStorage itself has no limit we could read). */
export const MAX_STORED_SECRETS = 200;

/** The SecretStorage key of an entry: its three parts as JSON, so no name or host can run into the next part. */
export function secretStorageKey(entry: StoredSecret): string {
  return `smtp.secret:${JSON.stringify([entry.workspace, entry.host, entry.name])}`;
}

export function sameSecret(a: StoredSecret, b: StoredSecret): boolean {
  return a.workspace === b.workspace && a.host === b.host && a.name === b.name;
}

/** The index as globalState holds it, checked: anything that is not an entry is dropped. */
export function readSecretIndex(raw: unknown): StoredSecret[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter((entry): entry is StoredSecret => typeof entry === 'object' && entry !== null
    && typeof (entry as StoredSecret).workspace === 'string'
    && typeof (entry as StoredSecret).host === 'string'
    && typeof (entry as StoredSecret).name === 'string');
}

/**
 * The index with `entry` added (moved to the end when it was there), the
 * oldest dropped beyond MAX_STORED_SECRETS, and the entries dropped — whose
 * values the caller deletes from SecretStorage, so nothing is kept unlisted.
 */
export function withSecret(index: readonly StoredSecret[], entry: StoredSecret): { index: StoredSecret[]; dropped: StoredSecret[] } {
  const next = index.filter((known) => !sameSecret(known, entry));
  next.push(entry);
  const over = Math.max(0, next.length - MAX_STORED_SECRETS);
  return { index: next.slice(over), dropped: next.slice(0, over) };
}

/** The host as the password box and the Clear Secrets list show it ('' is a run whose server setting was wrong). */
export function hostLabel(host: string): string {
  if (host === '') return 'no server';
  return host === '127.0.0.1' ? '127.0.0.1 (this machine, e.g. the local server)' : host;
}
