// TLS on a session's connection: the options of the handshake (implicit TLS
// at connect, or STARTTLS), the upgrade after STARTTLS's 220 (RFC 3207), and
// what is said once TLS is up.

import type { PlayContext } from './playContext';
import type { ServerOffer } from './pipelining';
import type { SmtpConnection, TlsOptions } from './smtpConnection';
import { timeoutFor } from './timeouts';

/** The handshake's options: the certificate is checked against the @server host, trusting the run's extra certificates too. */
export function tlsOptions(context: PlayContext): TlsOptions {
  return { verify: context.settings.verifyTls, host: context.settings.host, ca: context.options.trustedCertificates };
}

/**
 * After 220 to STARTTLS (RFC 3207 §4): the TLS handshake on the same
 * connection. Everything learnt before it is void (§4.2): the server's offer
 * is forgotten, so the transcript's next EHLO learns it again.
 */
export async function upgradeToTls(connection: SmtpConnection, context: PlayContext, offer: ServerOffer): Promise<void> {
  await connection.startTls(tlsOptions(context), timeoutFor('tls-handshake', context.settings.timeoutMs), context.options.signal);
  offer.forget();
  const tls = connection.tlsDetails(context.settings.verifyTls);
  context.result.tls = tls;
  if (tls) context.emit({ type: 'tls', tls });
  warnIfUnverified(context);
}

/** Once TLS is up (either way): a warning in the result when the certificate was not verified. */
export function warnIfUnverified(context: PlayContext): void {
  if (context.settings.verifyTls) return;
  const reason = context.result.tls?.verificationError;
  context.warn(`TLS certificate verification is off (@tls-verify = false or --insecure): the server's identity was not checked${reason ? `, and the certificate would have failed: ${reason}` : ''}.`);
}
