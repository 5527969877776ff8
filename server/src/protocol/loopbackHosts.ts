/**
 * Which host names and addresses stay on this machine. The run refuses to
 * send readable credentials over an unencrypted link to any other host, and
 * the check warns about the same lines, so both ask this one function.
 */

import { isIP } from 'node:net';

/**
 * True for `localhost` and names under `.localhost` (RFC 6761 §6.3), IPv4
 * 127.0.0.0/8 (RFC 1122 §3.2.1.3) and IPv6 ::1 (RFC 4291 §2.5.3), with or
 * without the brackets of an address literal.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return isIP(name) === 6 && /^(?:0{0,4}:){2,7}0{0,3}1$|^::1$/.test(name);
}
