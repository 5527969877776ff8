// The certificate is checked against the host the user named in @server, for
// STARTTLS and implicit TLS alike: to 127.0.0.1, a certificate for
// "localhost" only is refused, one with 127.0.0.1 as an IP address SAN
// passes. Real TLS servers, real certificates made here.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { makeSelfSignedCertificate, type CertificateNames, type SelfSignedCertificate } from '../../../server/src/captureServer/localServerCertificate';
import { playSession, type PlayOptions, type SessionResult } from '../../../server/src/engine/playSession';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** Reads CRLF lines from a socket, one at a time. */
function lineReader(socket: Socket): () => Promise<string> {
  let buffer = '';
  const waiting: (() => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (const wake of waiting.splice(0)) wake();
  });
  return async () => {
    for (;;) {
      const end = buffer.indexOf('\r\n');
      if (end !== -1) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return line;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
}

/** After the greeting: EHLO, then 250 to everything and 221 to QUIT. */
async function converse(socket: Socket): Promise<void> {
  const line = lineReader(socket);
  for (;;) {
    const command = (await line()).toUpperCase();
    if (command.startsWith('QUIT')) {
      socket.end('221 2.0.0 bye\r\n');
      return;
    }
    socket.write(command.startsWith('EHLO') ? '250-test.example\r\n250 8BITMIME\r\n' : '250 2.0.0 ok\r\n');
  }
}

/** A server on 127.0.0.1 that speaks TLS from the first byte (RFC 8314) with `certificate`. */
async function implicitTlsServer(certificate: SelfSignedCertificate): Promise<number> {
  return listen((plain) => {
    const socket = new TLSSocket(plain, { isServer: true, cert: certificate.certificatePem, key: certificate.privateKeyPem });
    socket.on('error', () => undefined);
    socket.once('secure', () => {
      socket.write('220 test.example ESMTP\r\n');
      converse(socket).catch(() => socket.destroy());
    });
  });
}

/** A server on 127.0.0.1 that offers STARTTLS (RFC 3207) and then presents `certificate`. */
async function startTlsServer(certificate: SelfSignedCertificate): Promise<number> {
  return listen((plain) => {
    (async () => {
      plain.write('220 test.example ESMTP\r\n');
      const line = lineReader(plain);
      await line(); // EHLO
      plain.write('250-test.example\r\n250 STARTTLS\r\n');
      await line(); // STARTTLS
      plain.removeAllListeners('data');
      plain.write('220 2.0.0 go ahead\r\n');
      const socket = new TLSSocket(plain, { isServer: true, cert: certificate.certificatePem, key: certificate.privateKeyPem });
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('secure', resolve));
      await converse(socket);
    })().catch(() => plain.destroy());
  });
}

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const noSecrets: PlayOptions['secrets'] = {
  secret: async () => assert.fail('no secret expected'),
  prompt: async () => assert.fail('no prompt expected'),
};

/** Plays `lines` against 127.0.0.1:port, trusting `certificate` as the embedded server's is trusted. */
async function play(port: number, certificate: SelfSignedCertificate, lines: string[], options: Partial<PlayOptions> = {}): Promise<SessionResult> {
  const file = parseTranscript([`@server = 127.0.0.1:${port}`, ...lines].join('\n'));
  return playSession(file, file.sessions[0], { filePath: '/tmp/t.smtp', secrets: noSecrets, timeoutSeconds: 5, trustedCertificates: [certificate.certificatePem], ...options });
}

const STARTTLS_SESSION = ['S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: QUIT', 'S: 221'];
const IMPLICIT_SESSION = ['@tls = implicit', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: QUIT', 'S: 221'];

const forLocalhostOnly: CertificateNames = { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: [] };
const forTheAddress: CertificateNames = { commonName: 'smtp test', dnsNames: [], ipAddresses: ['127.0.0.1'] };
const TIMEOUT = { timeout: 20_000 };

describe('certificates are checked against the @server host', () => {
  for (const [mode, serve, session] of [['STARTTLS', startTlsServer, STARTTLS_SESSION], ['implicit TLS', implicitTlsServer, IMPLICIT_SESSION]] as const) {
    it(`${mode} to 127.0.0.1 refuses a certificate for "localhost" only, naming the address checked and how to allow it`, TIMEOUT, async () => {
      const certificate = makeSelfSignedCertificate(forLocalhostOnly);
      const result = await play(await serve(certificate), certificate, session);
      assert.equal(result.ok, false);
      assert.ok(result.error, 'the session should end with an error');
      assert.match(result.error.message, /^TLS with 127\.0\.0\.1 failed: .*ERR_TLS_CERT_ALTNAME_INVALID/);
      assert.match(result.error.message, /checked against the IP address 127\.0\.0\.1, the host named in @server/);
      assert.match(result.error.message, /@tls-verify = false" or pass --insecure/);
      assert.equal(result.tls, null, 'no TLS details: the session never got past the handshake');
    });

    it(`${mode} to 127.0.0.1 accepts a certificate whose IP address SAN is 127.0.0.1`, TIMEOUT, async () => {
      const certificate = makeSelfSignedCertificate(forTheAddress);
      const result = await play(await serve(certificate), certificate, session);
      assert.equal(result.error, null, JSON.stringify(result.error));
      assert.equal(result.ok, true);
      assert.equal(result.tls?.verified, true);
      assert.equal(result.tls?.subject, 'CN=smtp test');
    });

    it(`${mode} with verification off goes on, and says the certificate is not for 127.0.0.1`, TIMEOUT, async () => {
      const certificate = makeSelfSignedCertificate(forLocalhostOnly);
      const result = await play(await serve(certificate), certificate, session, { insecure: true });
      assert.equal(result.error, null, JSON.stringify(result.error));
      assert.equal(result.tls?.verified, false);
      assert.equal(result.tls?.verificationError, 'ERR_TLS_CERT_ALTNAME_INVALID: the certificate is not for 127.0.0.1');
      assert.ok(result.warnings.some((warning) => warning.includes('the certificate is not for 127.0.0.1')), result.warnings.join('\n'));
    });
  }

  it('escapes a certificate subject that carries bidirectional and C1 controls', TIMEOUT, async () => {
    const certificate = makeSelfSignedCertificate({ commonName: 'evil\u202Egro.elpmaxe\u009B2J', dnsNames: [], ipAddresses: ['127.0.0.1'] });
    const result = await play(await implicitTlsServer(certificate), certificate, IMPLICIT_SESSION);
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.equal(result.tls?.subject, 'CN=evil\\u202egro.elpmaxe\\u009b2J');
  });
});
