// Credentials on the wire: when the engine refuses to send them, and how it
// keeps them out of everything shown (a server that echoes one shows `***`).

import { isLoopbackHost } from '../protocol/loopbackHosts';
import { findSaslMechanism } from '../protocol/ehloKeywords';
import type { CommandStep } from '../transcript/ast';
import type { Redactor } from './redaction';
import { SessionError } from './sessionErrors';
import type { SessionSettings } from './sessionSettings';

/**
 * Readable credentials never cross an unencrypted link to another host unless the file says so: RFC 4954 §4
 * asks servers not to accept plaintext password mechanisms without STARTTLS, and RFC 8314 §4.1 deprecates
 * cleartext authentication. Loopback is exempt (nobody is on that path).
 *
 * Judged on `sent`, the line as it goes on the wire (variables substituted): `C: AUTH {{mech}} …` with
 * `@mech = PLAIN` is AUTH PLAIN. A mechanism this tool does not know, or one that came from a variable
 * (whose value another environment or file may change), counts as one that sends credentials readable.
 */
export function refuseClearTextCredentials(sent: string, step: CommandStep, encrypted: boolean, settings: SessionSettings): void {
  const words = /^[ \t]*(\S+)(?:[ \t]+(\S+))?/.exec(sent);
  if (!words || words[1].toUpperCase() !== 'AUTH' || words[2] === undefined) return;
  if (encrypted || settings.allowPlaintextAuth || isLoopbackHost(settings.host)) return;
  const name = words[2];
  const mechanism = findSaslMechanism(name);
  const substituted = step.verbName !== 'AUTH' || (step.words[0]?.text ?? '').includes('{{');
  if (mechanism && !mechanism.sendsSecretInClear && !substituted) return;
  const line = step.line + 1;
  const why = mechanism?.sendsSecretInClear
    ? `would send the credentials unencrypted to ${settings.host}`
    : mechanism
      ? `takes its mechanism from a variable, so it is treated as one that sends the credentials readable, and the connection to ${settings.host} is unencrypted`
      : `names a mechanism this tool does not know, so it is treated as one that sends the credentials readable, and the connection to ${settings.host} is unencrypted`;
  const from = substituted ? ` (as sent, from "${step.text.text.split(/[ \t]+/, 2).join(' ')}")` : '';
  throw new SessionError('refused-input', `line ${line}: AUTH ${name}${from} ${why}; nothing was sent. Add "C: STARTTLS" (and a new EHLO) before it, use "@tls = implicit", or set "@allow-plaintext-auth = true" if you really mean it.`, line);
}

/** AUTH's initial response in a command line as sent (RFC 4954 §4), or undefined when it has none. */
export function initialResponse(sent: string): string | undefined {
  return /^AUTH[ \t]+\S+[ \t]+(\S.*)$/i.exec(sent)?.[1];
}

/**
 * A credential sent (a SASL response, an AUTH initial response) joins the
 * secrets, whether or not it came from $secret, so a server that echoes it
 * shows `***`. So does the password inside it: the last part of AUTH
 * PLAIN's `authzid\0user\0password` (RFC 4616), or the decoded response
 * itself unless the server asked for a user name (AUTH LOGIN's first step:
 * hiding the user everywhere would hide the sender too). `challenge` is the
 * server's 334 text, decoded (null when there was none).
 */
export function protectCredential(redactor: Redactor, credential: string, challenge: string | null): void {
  redactor.add(credential);
  const decoded = fromBase64(credential);
  if (decoded === null) return;
  const parts = decoded.split('\0');
  if (parts.length === 3) {
    redactor.add(decoded);
    redactor.add(parts[2]);
  } else if (!/user|name|login/i.test(challenge ?? '')) {
    redactor.add(decoded);
  }
}

/**
 * A command line as shown: credentials in AUTH's initial response never are, whatever they are made of —
 * judged on what was sent, since a variable may hold the mechanism and the response together.
 */
export function displayCommand(sent: string, display: (text: string) => string): string {
  const auth = /^(AUTH[ \t]+\S+)[ \t]+\S/i.exec(sent);
  if (auth) return `${display(auth[1])} ***`;
  return display(sent);
}

/** The text a base64 string stands for, or null when it is not base64 (RFC 4648 §4). */
export function fromBase64(text: string): string | null {
  if (text === '' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  return Buffer.from(text, 'base64').toString('utf8');
}
