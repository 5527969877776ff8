// A self-signed certificate for the embedded local server's STARTTLS and
// implicit TLS, made with node's crypto and a few lines of DER (RFC 5280
// §4.1) instead of a certificate library: EC P-256, by default CN=localhost,
// SAN localhost, 127.0.0.1 and ::1, valid for a year. Tests make ones with
// other names, to check that the engine verifies the host it was given.
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export interface SelfSignedCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** SHA-256 fingerprint as node prints it: colon-separated upper-case hex. */
  fingerprint256: string;
}

const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateNames {
  /** Default `localhost`. */
  commonName?: string;
  /** Subject alternative names of type dNSName (RFC 5280 §4.2.1.6). Default `localhost`. */
  dnsNames?: readonly string[];
  /** Subject alternative names of type iPAddress, IPv4 or IPv6. Default 127.0.0.1 and ::1. */
  ipAddresses?: readonly string[];
}

export function makeSelfSignedCertificate(names: CertificateNames = {}, now = new Date()): SelfSignedCertificate {
  const commonName = names.commonName ?? 'localhost';
  const dnsNames = names.dnsNames ?? ['localhost'];
  const ipAddresses = names.ipAddresses ?? ['127.0.0.1', '::1'];
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const signatureAlgorithm = sequence(oid(OID.ecdsaWithSha256));
  const name = sequence(set(sequence(oid(OID.commonName), utf8String(commonName))));
  // A minute in the past so that a client whose clock is slightly behind accepts it.
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + 365 * DAY_MS);
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive
  serial[0] |= 0x01; // and without a leading zero octet, so the DER is minimal

  const tbsCertificate = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(
      extension(OID.basicConstraints, true, sequence()), // cA FALSE
      extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extendedKeyUsage, false, sequence(oid(OID.serverAuth))),
      extension(OID.subjectAltName, false, sequence(
        ...dnsNames.map((dnsName) => tlv(0x82, Buffer.from(dnsName, 'ascii'))), // [2] dNSName
        ...ipAddresses.map((address) => tlv(0x87, addressOctets(address))), // [7] iPAddress
      )),
    )),
  );
  // ECDSA signatures from node are DER Ecdsa-Sig-Value, as X.509 wants them.
  const signature = sign('sha256', tbsCertificate, privateKey);
  const certificate = sequence(tbsCertificate, signatureAlgorithm, bitString(signature, 0));
  const certificatePem = pem('CERTIFICATE', certificate);
  return {
    certificatePem,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint256: new X509Certificate(certificatePem).fingerprint256,
  };
}

/** An iPAddress SAN's octets: 4 for IPv4, 16 for IPv6 (RFC 5280 §4.2.1.6). */
function addressOctets(address: string): Buffer {
  if (isIPv4(address)) return Buffer.from(address.split('.').map(Number));
  // IPv4-mapped forms (::ffff:192.0.2.1) are not needed here and not parsed.
  if (!isIPv6(address) || address.includes('.')) throw new RangeError(`not an IPv4 or plain IPv6 address: ${address}`);
  const [head, tail = null] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const before = groups(head);
  const after = tail === null ? [] : groups(tail);
  const all = [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  return Buffer.from(all.flatMap((group) => [group >> 8, group & 0xff]));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// --- DER (X.690 §8, definite lengths only) ---

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const octets: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest & 0xff);
    header = [tag, 0x80 | octets.length, ...octets];
  }
  return Buffer.concat([Buffer.from(header), content]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function explicit(tagNumber: number, content: Buffer): Buffer {
  return tlv(0xa0 | tagNumber, content);
}

/** A non-negative INTEGER from its big-endian octets. */
function integer(octets: Buffer): Buffer {
  return tlv(0x02, octets[0] & 0x80 ? Buffer.concat([Buffer.from([0]), octets]) : octets);
}

function bitString(bits: Buffer, unusedBits: number): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bits]));
}

function utf8String(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const octets = [first * 40 + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) base128.unshift(0x80 | (value & 0x7f));
    octets.push(...base128);
  }
  return tlv(0x06, Buffer.from(octets));
}

/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-23T09:30:00.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') + 'Z'; // 20261123093000Z
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}
