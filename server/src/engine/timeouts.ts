// RFC 5321 §4.5.3.2: how long a client waits for each reply before giving up.
// One row per wait, with its section; `@timeout` or --timeout replaces them all.

export type Wait = 'connect' | 'greeting' | 'MAIL' | 'RCPT' | 'DATA' | 'data-block' | 'data-end' | 'command' | 'tls-handshake';

const MINUTE = 60_000;

export const DEFAULT_TIMEOUTS_MS: Readonly<Record<Wait, number>> = {
  connect: 30_000,          // not in the RFC: a TCP connect that takes longer is almost always a filtered port
  greeting: 5 * MINUTE,     // §4.5.3.2.1 Initial 220 Message
  MAIL: 5 * MINUTE,         // §4.5.3.2.2 MAIL Command
  RCPT: 5 * MINUTE,         // §4.5.3.2.3 RCPT Command
  DATA: 2 * MINUTE,         // §4.5.3.2.4 DATA Initiation
  'data-block': 3 * MINUTE, // §4.5.3.2.5 Data Block
  'data-end': 10 * MINUTE,  // §4.5.3.2.6 DATA Termination
  command: 5 * MINUTE,      // §4.5.3.2.7 Server Timeout: the server waits 5 minutes, so waiting longer gains nothing
  'tls-handshake': MINUTE,  // not in the RFC: a handshake is a few round trips
};

/** The wait for a command's reply, by verb. */
export function waitForVerb(verb: string): Wait {
  if (verb === 'MAIL' || verb === 'RCPT' || verb === 'DATA') return verb;
  if (verb === 'BDAT') return 'data-end';
  return 'command';
}

export function timeoutFor(wait: Wait, overrideMs: number | null): number {
  return overrideMs ?? DEFAULT_TIMEOUTS_MS[wait];
}
