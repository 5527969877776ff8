// The servers scripts/interop/run.sh started, as it describes them in
// $INTEROP_SERVERS/NAME.json (scripts/interop/lib.sh, describe_server).

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SERVER_NAMES = ['postfix', 'exim', 'opensmtpd', 'aiosmtpd'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];

export interface RunningServer {
  name: ServerName;
  /** "Postfix 3.7.11", as the server reports it. */
  version: string;
  port: number;
  /** A second listener configured to fail (421), when the server has one. */
  faultPort: number | null;
  /** Where the server writes the messages it accepts, when it does (aiosmtpd). */
  messagesDir: string | null;
  /** Its LMTP server's TCP port (RFC 2033), when it runs one (aiosmtpd). */
  lmtpPort: number | null;
  /** Its LMTP server's Unix socket, when it runs one (aiosmtpd). */
  lmtpSocket: string | null;
}

/** Every server of SERVER_NAMES, or an error saying which is missing and how to start them. */
export function loadRunningServers(folder = process.env.INTEROP_SERVERS): RunningServer[] {
  if (!folder) {
    throw new Error('INTEROP_SERVERS is not set: the interop suite runs against the servers scripts/interop/run.sh starts. Run it with `npm run test:interop` (as root on Debian).');
  }
  const found = new Map<string, RunningServer>();
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.json'))) {
    const server = JSON.parse(readFileSync(join(folder, file), 'utf8')) as RunningServer;
    found.set(server.name, server);
  }
  const missing = SERVER_NAMES.filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new Error(`${folder} describes no running ${missing.join(', ')}: scripts/interop/run.sh starts every server before the suite (see its output for the one that failed).`);
  }
  return SERVER_NAMES.map((name) => found.get(name) as RunningServer);
}
