/**
 * Base64 as SASL uses it (RFC 4954 §4 points to RFC 4648 §4): the standard
 * alphabet, padded to a multiple of four characters. Written by hand rather
 * than with Buffer so that a malformed line is reported as such instead of
 * being decoded leniently, and so the server code stays free of Node globals.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((char, index) => [char, index]));
const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The octets `text` encodes, or null when it is not padded standard base64. The empty string decodes to no octets. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!CANONICAL.test(text)) return null;
  const unpadded = text.replace(/=+$/, '');
  const octets = new Uint8Array(Math.floor((unpadded.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (const char of unpadded) {
    buffer = (buffer << 6) | VALUES.get(char)!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      octets[written++] = (buffer >> bits) & 0xff;
    }
  }
  return octets;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text `text` encodes when it is base64 of printable UTF-8 (no control
 * characters), such as the "Username:" of an AUTH LOGIN prompt; null for
 * anything else, so binary challenges are never shown as garbage.
 */
export function decodeBase64Text(text: string): string | null {
  const octets = decodeBase64(text);
  if (!octets) return null;
  let decoded: string;
  try {
    decoded = utf8.decode(octets);
  } catch {
    return null;
  }
  // C0 controls, DEL and C1 controls: a terminal or hover would show them as nothing or as noise.
  return /[\u0000-\u001f\u007f-\u009f]/.test(decoded) ? null : decoded;
}
