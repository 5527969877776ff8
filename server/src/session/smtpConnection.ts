import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ReplyReader, type ServerReply } from './replyReader';
import { SessionError } from './sessionErrors';

export interface TlsOptions {
  /** Verify the certificate chain and the host name (SNI = host). */
  verify: boolean;
  servername: string;
  /** Extra trusted certificates (PEM), e.g. the embedded server's own, so it verifies like any other. */
  ca?: string[];
}

/** What a session reports about its TLS layer. */
export interface TlsDetails {
  protocol: string;
  cipher: string;
  verified: boolean;
  /** Why verification failed, when it was off and the certificate would not have passed. */
  verificationError: string | null;
  subject: string;
  issuer: string;
  validTo: string;
  fingerprint256: string;
}

/**
 * One SMTP connection: a socket (plain or TLS), a bounded reply reader, and
 * the STARTTLS upgrade done the safe way. It knows nothing of transcripts.
 */
export class SmtpConnection {
  private readonly reader = new ReplyReader();
  private waiter: { resolve: (reply: ServerReply) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** While STARTTLS hands the socket over, bytes must not be consumed as replies. */
  private paused = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  static async open(host: string, port: number, timeoutMs: number, tls: TlsOptions | null): Promise<SmtpConnection> {
    const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SessionError('timeout', `Could not connect to ${host}:${port} within ${Math.round(timeoutMs / 1000)} s. Check the address, the port and any firewall, or raise @timeout.`));
      }, timeoutMs);
      const onError = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(connectionError(error, host, port, tls !== null));
      };
      const socket: Socket | TLSSocket = tls
        ? tlsConnect({ host, port, servername: isIp(tls.servername) ? undefined : tls.servername, rejectUnauthorized: tls.verify, ...trusted(tls.ca) }, () => {
          clearTimeout(timer);
          socket.off('error', onError);
          resolve(socket);
        })
        : netConnect({ host, port }, () => {
          clearTimeout(timer);
          socket.off('error', onError);
          resolve(socket);
        });
      socket.once('error', onError);
    });
    socket.setNoDelay(true);
    return new SmtpConnection(socket);
  }

  /** Neither failed (protocol error, reset, injection) nor closed: a QUIT can still be sent. */
  get usable(): boolean {
    return this.failure === null && !this.closed;
  }

  get isTls(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  write(data: Buffer | string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.socket.write(data, (error) => (error ? reject(new SessionError('connection', `Sending failed: ${error.message}`)) : resolve()));
    });
  }

  /** The next complete reply, or a SessionError when the time runs out, the server closes, or the reply breaks the rules. */
  readReply(timeoutMs: number, what: string): Promise<ServerReply> {
    const ready = this.takeReply();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ServerReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        const partial = this.reader.partial();
        const got = partial.length > 0 ? ` Received so far: ${partial.length} line(s) of an unfinished reply.` : '';
        reject(new SessionError('timeout', `No reply to ${what} within ${formatSeconds(timeoutMs)} (RFC 5321 §4.5.3.2).${got} Raise @timeout or --timeout if the server is slow.`));
      }, timeoutMs);
      this.waiter = {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  /**
   * Upgrades to TLS after the server's 220 to STARTTLS. Anything the server
   * sent after that 220 and before the handshake was injected by someone on
   * the path (the NO STARTTLS research, USENIX Security 2021): end the session.
   */
  async startTls(options: TlsOptions, timeoutMs: number): Promise<void> {
    this.paused = true;
    if (this.reader.bufferedOctets() > 0) {
      throw this.failWith(new SessionError('protocol', `The server sent ${this.reader.bufferedOctets()} byte(s) after its 220 reply to STARTTLS and before the TLS handshake. That is a response injection attack (or a broken server): the session was ended without starting TLS.`));
    }
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('end');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secured = await new Promise<TLSSocket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SessionError('timeout', `The TLS handshake did not finish within ${formatSeconds(timeoutMs)}.`)), timeoutMs);
      const socket = tlsConnect({ socket: plain, servername: isIp(options.servername) ? undefined : options.servername, rejectUnauthorized: options.verify, ...trusted(options.ca) }, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(socket);
      });
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(tlsError(error, options.servername));
      };
      socket.once('error', onError);
    });
    this.socket = secured;
    this.paused = false;
    this.attach(secured);
  }

  tlsDetails(verify: boolean): TlsDetails | null {
    if (!('getPeerCertificate' in this.socket) || !this.isTls) return null;
    const socket = this.socket as TLSSocket;
    const certificate: PeerCertificate = socket.getPeerCertificate();
    const cipher = socket.getCipher();
    const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
    return {
      protocol: socket.getProtocol() ?? 'unknown',
      cipher: cipher?.name ?? 'unknown',
      verified: verify && socket.authorized,
      verificationError: authorizationError,
      subject: describeName(certificate.subject),
      issuer: describeName(certificate.issuer),
      validTo: certificate.valid_to ?? '',
      fingerprint256: certificate.fingerprint256 ?? '',
    };
  }

  /** Ends the connection: politely if the caller sent QUIT before, at once otherwise. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.socket.destroySoon?.();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
        if (!this.paused) this.deliver();
      } catch (error) {
        this.fail(error as Error);
      }
    });
    socket.on('error', (error: Error) => this.fail(new SessionError('connection', `Connection error: ${error.message}`)));
    socket.on('close', () => {
      const partial = this.reader.partial();
      const detail = partial.length > 0 ? ` in the middle of a reply (received: ${partial.length} line(s))` : '';
      this.fail(new SessionError('connection', `The server closed the connection${detail}.`));
    });
  }

  private takeReply(): ServerReply | null {
    try {
      return this.reader.next();
    } catch (error) {
      this.fail(error as Error);
      return null;
    }
  }

  private deliver(): void {
    if (!this.waiter) return;
    const reply = this.takeReply();
    if (!reply) return;
    const waiter = this.waiter;
    this.waiter = null;
    waiter.resolve(reply);
  }

  /** Records a failure that ends the connection, and returns it for throwing. */
  private failWith(error: SessionError): SessionError {
    this.fail(error);
    this.socket.destroy();
    return error;
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(this.failure);
    if (error instanceof SessionError && error.kind === 'protocol') this.socket.destroy();
  }
}

/** Node's default roots plus the extra ones: passing `ca` alone would replace the defaults. */
function trusted(extra: string[] | undefined): { ca?: string[] } {
  return extra && extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function formatSeconds(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}

function describeName(name: Record<string, unknown> | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', ');
}

function connectionError(error: NodeJS.ErrnoException, host: string, port: number, tls: boolean): SessionError {
  if (tls && !error.code?.startsWith('E')) return tlsError(error, host);
  const reason: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening there (is the server running, and is the port right?)',
    ENOTFOUND: 'the host name does not resolve (check @server)',
    EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    ECONNRESET: 'the server reset the connection',
    ETIMEDOUT: 'the connection attempt timed out',
  };
  return new SessionError('connection', `Could not connect to ${host}:${port}: ${reason[error.code ?? ''] ?? error.message}.`);
}

function tlsError(error: NodeJS.ErrnoException, host: string): SessionError {
  const code = error.code ?? '';
  const hint = /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ALTNAME/.test(code) || /certificate/i.test(error.message)
    ? ' The certificate did not verify for this host. If you trust this server anyway (a test server with a self-signed certificate), set "@tls-verify = false" or pass --insecure; the result will say that verification was off.'
    : '';
  return new SessionError('tls', `TLS with ${host} failed: ${error.message}${code ? ` (${code})` : ''}.${hint}`);
}
