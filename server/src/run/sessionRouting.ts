import { visibleVariables } from '../analysis/variableScope';
import { SessionError } from '../engine/sessionErrors';
import { sessionSettings, type SettingOverrides } from '../engine/sessionSettings';
import type { Session, TranscriptFile } from '../transcript/ast';

/** Where a run sends its sessions, as the user asked for it. */
export interface RunTarget {
  /** `host:port` that replaces every session's `@server` (`--server`, the editor's "server"). */
  server: string | null;
  /** Every session goes to the embedded capture server, whatever `@server` says (the code lens "Run against local server"). */
  local: boolean;
  /** Variables from outside the file (an environment): a `server` among them counts as the session naming one. */
  variables: Readonly<Record<string, string>> | null;
}

/**
 * A session goes to the embedded capture server when the user asked for it,
 * or when nothing names a server: no override, no environment's `server`, no
 * `@server` in the file above or in the session.
 */
export function goesToCaptureServer(file: TranscriptFile, session: Session, target: RunTarget): boolean {
  if (target.local) return true;
  if (target.server !== null || target.variables?.server !== undefined) return false;
  return !visibleVariables(file, session, Number.MAX_SAFE_INTEGER).has('server');
}

/**
 * The host and port a session will connect to (the host lower-cased, as
 * secrets and the remote-run guard key it), or null when its connection
 * settings are wrong — the session then fails with its own error before
 * connecting.
 */
export function sessionServer(file: TranscriptFile, session: Session, overrides: SettingOverrides): { host: string; port: number } | null {
  try {
    const { host, port } = sessionSettings(file, session, overrides);
    return { host: host.toLowerCase(), port };
  } catch (error) {
    if (error instanceof SessionError) return null;
    throw error;
  }
}
