// What a run would deliver to hosts other than this machine, worked out
// before anything connects, so a front end can ask the user first (the
// editor's "guard before real mail"). One rule for every front end: a session
// is remote when its server is neither a loopback address (isLoopbackHost)
// nor the embedded capture server.
import type { SettingOverrides } from '../engine/sessionSettings';
import { isLoopbackHost } from '../protocol/loopbackHosts';
import type { Session, TranscriptFile } from '../transcript/ast';
import { sessionServer } from './sessionRouting';

/** What the selected sessions would send to one remote server, as written in the file (variables unresolved, so no secret). */
export interface RemoteDelivery {
  /** The host as named (`@server`, an environment's `server`, the run's override), lower-cased. */
  host: string;
  port: number;
  /** 0-based indexes of the sessions going there. */
  sessions: number[];
  /** Messages whose end would be sent: DATA with a body, BDAT … LAST. */
  messages: number;
  /** The RCPT TO paths as written (`<bob@example.org>`, `<{{to}}>`), each once. */
  recipients: string[];
  /** Some session sends AUTH: credentials go to this host. */
  auth: boolean;
}

/**
 * The remote servers the given sessions go to, one entry per host (in the
 * order first met). Sessions bound for the embedded server (`toCaptureServer`)
 * and sessions whose connection settings are wrong (they fail before
 * connecting, with their own error) are left out.
 */
export function remoteDeliveries(file: TranscriptFile, sessions: readonly { index: number; toCaptureServer: boolean }[], overrides: SettingOverrides): RemoteDelivery[] {
  const byHost = new Map<string, RemoteDelivery>();
  for (const { index, toCaptureServer } of sessions) {
    if (toCaptureServer) continue;
    const session = file.sessions[index];
    const server = sessionServer(file, session, overrides);
    if (server === null || isLoopbackHost(server.host)) continue;
    let delivery = byHost.get(server.host);
    if (!delivery) {
      delivery = { host: server.host, port: server.port, sessions: [], messages: 0, recipients: [], auth: false };
      byHost.set(server.host, delivery);
    }
    delivery.sessions.push(index);
    addSession(delivery, session);
  }
  return [...byHost.values()];
}

function addSession(delivery: RemoteDelivery, session: Session): void {
  for (const step of session.steps) {
    if (step.kind !== 'command') continue;
    switch (step.verbName) {
      case 'RCPT': {
        const path = step.path?.address?.text ?? step.argument?.text ?? '';
        if (path !== '' && !delivery.recipients.includes(path)) delivery.recipients.push(path);
        break;
      }
      case 'DATA':
        if (step.body) delivery.messages += 1;
        break;
      case 'BDAT':
        if (step.words.some((word) => word.text.toUpperCase() === 'LAST')) delivery.messages += 1;
        break;
      case 'AUTH':
        delivery.auth = true;
        break;
    }
  }
}

/** One line for a question or a refusal: "2 messages to <a@example.org>, <b@example.org>, with AUTH (credentials)". */
export function describeDelivery(delivery: RemoteDelivery): string {
  const messages = delivery.messages === 0 ? 'no message' : delivery.messages === 1 ? '1 message' : `${delivery.messages} messages`;
  const shown = delivery.recipients.slice(0, 5).join(', ');
  const more = delivery.recipients.length > 5 ? ` and ${delivery.recipients.length - 5} more` : '';
  const recipients = delivery.recipients.length === 0 ? 'no recipient' : `${shown}${more}`;
  const auth = delivery.auth ? ', with AUTH (your credentials go to this server)' : ', without AUTH';
  return `${messages} to ${recipients}${auth}`;
}
