import { connect as netConnect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { ConnectionOptions, PeerCertificate, SecureContext, TLSSocket } from 'node:tls';
import { unwatchAbort, watchAbort } from './abortable';
import { escapeForDisplay } from './displayText';
import { ReplyDeadline } from './replyDeadline';
import { ReplyReader, type ServerReply } from './replyReader';
import { SessionError } from './sessionErrors';

export interface TlsOptions {
  /** Verify the certificate chain and that the certificate is for `host`. */
  verify: boolean;
  /**
   * The host the user named (@server or --server), not whatever the socket
   * connected to: sent as SNI when it is a name (RFC 6066 §3 allows no
   * addresses there), and the certificate is checked against it always — a
   * name against the DNS names, an IP address against the IP address SANs
   * (RFC 6125 §6; RFC 5280 §4.2.1.6).
   */
  host: string;
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

/** What a read waits for, as a timeout's message names it: worked out only when the time runs out. */
export interface WaitDescription {
  describeWait(): string;
}

/**
 * One SMTP connection: a socket (plain or TLS), a bounded reply reader, and
 * the STARTTLS upgrade done the safe way. It knows nothing of transcripts.
 */
export class SmtpConnection {
  private readonly reader = new ReplyReader();
  /**
   * The read under way, as fields rather than a waiter object with closures: a session waits thousands of
   * times, and each wait then costs its promise alone.
   */
  private waitResolve: ((reply: ServerReply) => void) | null = null;
  private waitReject: ((error: Error) => void) | null = null;
  private waitSignal: AbortSignal | undefined = undefined;
  private waitMs = 0;
  private waitWhat: string | WaitDescription = '';
  /** The signal listened to for cancelling reads: once per connection, not once per reply. */
  private watchedSignal: AbortSignal | null = null;
  private failure: Error | null = null;
  private closed = false;
  /** While STARTTLS hands the socket over, bytes must not be consumed as replies. */
  private paused = false;
  /** The name the certificate was checked against, once TLS is up; for tlsDetails' explanation. */
  private tlsHost: string | null = null;

  /** `deadline`: the timeout of the read under way, one timer for the connection (open() armed it for the connect). */
  private constructor(
    private socket: Socket | TLSSocket,
    private readonly deadline: ReplyDeadline,
  ) {
    this.attach(socket);
  }

  /**
   * Connects (and, with `tls`, completes the handshake) within `timeoutMs`.
   * When `signal` fires first the half-open socket is destroyed at once, so
   * nothing outlives a cancelled session.
   */
  /**
   * Connects to host:port, or to the Unix socket at `socketPath` when one is
   * given (`@server = unix:/path`: an LMTP delivery agent, a local MTA; the
   * host is then only TLS's name for the server).
   */
  static async open(host: string, port: number, timeoutMs: number, tls: TlsOptions | null, signal?: AbortSignal, socketPath: string | null = null, lookup?: LookupFunction): Promise<SmtpConnection> {
    if (signal?.aborted) throw cancelled();
    const tlsApi = tls ? await nodeTls() : null;
    if (signal?.aborted) throw cancelled();
    // The connection's one timer, armed here for the connect: it stays armed for the reads that follow (a
    // ReplyDeadline re-aims it only for a shorter wait), so a session sets one timer, not one per wait.
    const deadline = new ReplyDeadline();
    const socket = await new Promise<Socket | TLSSocket>((resolve, reject) => {
      const settle = (error: Error | null) => {
        if (signal) unwatchAbort(signal, onAbort);
        socket.off('error', onError);
        if (error) {
          deadline.dispose();
          socket.on('error', ignore); // a late error from a socket given up on must not crash the process
          socket.destroy();
          reject(error);
        } else {
          deadline.stop();
          resolve(socket);
        }
      };
      const where = socketPath === null ? `${host}:${port}` : `the Unix socket ${socketPath}`;
      const onAbort = () => settle(cancelled());
      const onError = (error: NodeJS.ErrnoException) => settle(connectionError(error, where, tls));
      // `lookup`: the run's (engine/hostLookup.ts), which resolves each host name once per run.
      const target = socketPath !== null ? { path: socketPath } : lookup ? { host, port, lookup } : { host, port };
      const socket: Socket | TLSSocket = tls && tlsApi
        ? tlsApi.connect({ ...target, ...identity(tlsApi, tls) }, () => settle(null))
        : netConnect(target, () => settle(null));
      socket.on('error', onError);
      deadline.start(timeoutMs, () => settle(new SessionError('timeout', `Could not connect to ${where} within ${formatSeconds(timeoutMs)}. Check the address, the port and any firewall, or raise @timeout.`)));
      if (signal) watchAbort(signal, onAbort);
    });
    socket.setNoDelay(true);
    const connection = new SmtpConnection(socket, deadline);
    connection.tlsHost = tls?.host ?? null;
    return connection;
  }

  /** Neither failed (protocol error, reset, injection) nor closed: a QUIT can still be sent. */
  get usable(): boolean {
    return this.failure === null && !this.closed;
  }

  get isTls(): boolean {
    return 'encrypted' in this.socket && this.socket.encrypted === true;
  }

  /**
   * Resolves once the data is handed to the operating system. A server that
   * stops reading makes that wait: after `timeoutMs` (RFC 5321 §4.5.3.2.5,
   * the data block timeout) or on `signal`, the connection is ended — what
   * the server received of the data is unknown, so nothing more can be sent.
   * Null when the kernel took every byte at once, the usual case: nothing to wait for, not even a promise.
   * Text goes out as UTF-8.
   */
  write(data: Buffer | string, timeoutMs?: number, signal?: AbortSignal): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(cancelled());
    // No callback: Node then schedules nothing after a write the kernel took whole, where a callback costs every
    // write a tick (and its objects). An error fails the connection (attach), and the next read reports it.
    this.socket.write(data);
    // The usual case, a command or a pipelined group: the kernel took every byte at once, so there is nothing to
    // wait for — no timer, no abort listener (each costs more than the write itself).
    if (this.socket.writableLength === 0 && !this.socket.errored) return null;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: Error | null) => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const timer = timeoutMs === undefined ? null : setTimeout(() => {
        settle(this.failWith(new SessionError('timeout', `The server did not take the data sent to it within ${formatSeconds(timeoutMs)} (it stopped reading; RFC 5321 §4.5.3.2.5). The session was ended. Raise @timeout or --timeout if the server is slow.`)));
      }, timeoutMs);
      const onAbort = () => settle(this.failWith(cancelled()));
      signal?.addEventListener('abort', onAbort, { once: true });
      // A socket completes its writes in order: an empty one queued behind the data calls back once all of it is
      // handed to the operating system, or with the error that stopped it.
      this.socket.write(NOTHING, (error) => settle(error ? new SessionError('connection', `Sending failed: ${error.message}`) : null));
    });
  }


  /**
   * The next complete reply, or a SessionError when the time runs out, the
   * server closes, the reply breaks the rules, or `signal` fires (the
   * connection stays usable then, for a QUIT).
   */
  readReply(timeoutMs: number, what: string | WaitDescription, signal?: AbortSignal): Promise<ServerReply> {
    const ready = this.takeReply();
    if (ready) return Promise.resolve(ready);
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.waitResolve) return Promise.reject(new Error('readReply called while another read is waiting'));
    const reply = new Promise<ServerReply>(this.holdWaiter);
    this.waitSignal = signal;
    this.waitMs = timeoutMs;
    this.waitWhat = what;
    this.deadline.start(timeoutMs, this.onDeadline);
    this.watchForCancel(signal);
    return reply;
  }

  /** The promise's executor, made once: keeps the read's resolve and reject. */
  private readonly holdWaiter = (resolve: (reply: ServerReply) => void, reject: (error: Error) => void): void => {
    this.waitResolve = resolve;
    this.waitReject = reject;
  };

  /** Ends the read under way, if any, with a reply or an error. */
  private settleWait(reply: ServerReply | null, error: Error | null): void {
    const resolve = this.waitResolve;
    const reject = this.waitReject;
    if (!resolve || !reject) return;
    this.waitResolve = null;
    this.waitReject = null;
    this.waitSignal = undefined;
    this.waitWhat = '';
    this.deadline.stop();
    if (error) reject(error);
    else resolve(reply!);
  }

  private readonly onDeadline = (): void => {
    const what = this.waitWhat;
    const timeoutMs = this.waitMs;
    const partial = this.reader.partial();
    const got = partial.length > 0 ? ` Received so far: ${partial.length} line(s) of an unfinished reply.` : '';
    const described = typeof what === 'string' ? what : what.describeWait();
    this.settleWait(null, new SessionError('timeout', `No reply to ${described} within ${formatSeconds(timeoutMs)} (RFC 5321 §4.5.3.2).${got} Raise @timeout or --timeout if the server is slow.`));
  };

  /** The next reply when it is here already, else null (readReply then waits for it, or reports why none will come). */
  bufferedReply(): ServerReply | null {
    return this.takeReply();
  }

  /**
   * What the server sent that no read has taken, as its first line (a reply,
   * or a line still under way); null when it sent nothing more. While the
   * client writes a message body the server owes nothing: bytes here then are
   * an early reply (OutgoingBatch.flush refuses to write on).
   */
  unreadReply(): string | null {
    return this.reader.bufferedOctets() > 0 ? this.reader.firstUnread() ?? '' : null;
  }

  /** Records a protocol failure found by the engine (not by the reader) and ends the connection; returns it for throwing. */
  failProtocol(error: SessionError): SessionError {
    return this.failWith(error);
  }

  /** A cancelled read rejects at once; the connection stays usable, for a QUIT. */
  private watchForCancel(signal: AbortSignal | undefined): void {
    if (!signal || signal === this.watchedSignal) return;
    if (this.watchedSignal) unwatchAbort(this.watchedSignal, this.onCancel);
    this.watchedSignal = signal;
    watchAbort(signal, this.onCancel);
  }

  private readonly onCancel = (): void => {
    if (this.waitResolve && this.waitSignal === this.watchedSignal) this.settleWait(null, cancelled());
  };

  /**
   * Upgrades to TLS after the server's 220 to STARTTLS. Anything the server
   * sent after that 220 and before the handshake was injected by someone on
   * the path (the NO STARTTLS research, USENIX Security 2021): end the session.
   */
  async startTls(options: TlsOptions, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    this.paused = true;
    // Before the injection check below, so bytes that arrive meanwhile are counted by it.
    const tlsApi = await nodeTls();
    if (this.reader.bufferedOctets() > 0) {
      throw this.failWith(new SessionError('protocol', `The server sent ${this.reader.bufferedOctets()} byte(s) after its 220 reply to STARTTLS and before the TLS handshake. That is a response injection attack (or a broken server): the session was ended without starting TLS.`));
    }
    if (signal?.aborted) throw this.failWith(cancelled());
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('end');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    // Whatever ends the handshake early (timeout, TLS error, cancellation) leaves a socket that speaks neither
    // plain SMTP nor TLS: the connection is failed and destroyed, so no plain-text QUIT follows.
    const secured = await new Promise<TLSSocket>((resolve, reject) => {
      const settle = (error: SessionError | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        if (!error) return resolve(socket);
        socket.on('error', ignore);
        plain.on('error', ignore);
        socket.destroy();
        plain.destroy();
        reject(this.failWith(error));
      };
      const timer = setTimeout(() => settle(new SessionError('timeout', `The TLS handshake did not finish within ${formatSeconds(timeoutMs)}.`)), timeoutMs);
      const onAbort = () => settle(cancelled());
      const onError = (error: Error) => settle(tlsError(error, options.host));
      const socket = tlsApi.connect({ socket: plain, ...identity(tlsApi, options) }, () => settle(null));
      socket.on('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    this.socket = secured;
    this.tlsHost = options.host;
    this.paused = false;
    this.attach(secured);
  }

  tlsDetails(verify: boolean): TlsDetails | null {
    if (!('getPeerCertificate' in this.socket) || !this.isTls) return null;
    const socket = this.socket as TLSSocket;
    const certificate: PeerCertificate = socket.getPeerCertificate();
    const cipher = socket.getCipher();
    const authorizationError = socket.authorizationError ? describeAuthorizationError(String(socket.authorizationError), this.tlsHost) : null;
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
    // A read still waiting (a cancelled session's) must not keep its timer, and the process, alive.
    if (this.waitResolve) this.settleWait(null, new SessionError('connection', 'The connection was closed.'));
    this.deadline.dispose();
    if (this.watchedSignal) unwatchAbort(this.watchedSignal, this.onCancel);
    this.watchedSignal = null;
    if (!this.isTls && this.socket.writableLength === 0) {
      // Plain TCP with nothing left to send, the usual end (QUIT answered): closing the socket sends the FIN
      // that end() would, without a half-close and its 'finish' going through the stream machinery first.
      this.socket.destroy();
      return;
    }
    this.socket.end();
    // destroySoon() destroys the socket once its end is written. Bytes still queued for a server that stopped
    // reading would hold it open, and TLS writes its close_notify first: those get a second, then the socket
    // is destroyed whatever remains.
    this.socket.destroySoon?.();
    if (this.isTls || this.socket.writableLength > 0) setTimeout(() => this.socket.destroy(), 1000).unref();
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
      // Nothing more can be read: the reply timer must not keep the process alive after the socket.
      this.deadline.dispose();
      // Closed by close(): the session is over and nothing reads any more, so no error (and its stack) to build.
      if (this.closed) return;
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
    if (!this.waitResolve) return;
    const reply = this.takeReply();
    if (reply) this.settleWait(reply, null);
  }

  /** Records a failure that ends the connection, and returns it for throwing. */
  private failWith(error: SessionError): SessionError {
    this.fail(error);
    this.socket.destroy();
    return error;
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    this.settleWait(null, this.failure);
    if (error instanceof SessionError && error.kind === 'protocol') this.socket.destroy();
  }
}

/**
 * How the certificate is checked: SNI only for a name, and the identity
 * always against the host the user named. Node's own check uses the
 * servername, else the socket's host, else "localhost" — which, with no SNI
 * for an IP address and STARTTLS over an existing socket, accepted any
 * certificate for localhost. With verification off the check still runs, so
 * the result can say what it would have found.
 */
function identity(tlsApi: TlsApi, options: TlsOptions): ConnectionOptions {
  return {
    servername: isIP(options.host) === 0 ? options.host : undefined,
    rejectUnauthorized: options.verify,
    checkServerIdentity: (_offered, certificate) => tlsApi.checkServerIdentity(options.host, certificate),
    ...trusted(tlsApi, options.ca),
  };
}

/**
 * Node's default roots plus the extra ones (passing `ca` alone would replace
 * the defaults), as one secure context made once for the same extra
 * certificates: a context built from `ca` parses all of Node's ~140 root
 * certificates, several milliseconds of CPU (20 ms measured on a busy 2-core
 * machine), on every connection.
 */
function trusted(tlsApi: TlsApi, extra: string[] | undefined): { secureContext?: SecureContext } {
  if (!extra || extra.length === 0) return {};
  const key = extra.join('\n');
  // One entry: a run trusts one embedded server's certificate, made when that server starts.
  if (trustedContext?.key !== key) trustedContext = { key, context: tlsApi.createSecureContext({ ca: [...tlsApi.rootCertificates, ...extra] }) };
  return { secureContext: trustedContext.context };
}

let trustedContext: { key: string; context: SecureContext } | null = null;

type TlsApi = typeof import('node:tls');
let loadedTls: TlsApi | null = null;

/** node:tls, loaded on first use: most sessions never need it, and loading it is a noticeable part of start-up. */
async function nodeTls(): Promise<TlsApi> {
  loadedTls ??= await import('node:tls');
  return loadedTls;
}

/** The empty write whose callback says that what was queued before it has been sent (SmtpConnection.write). */
const NOTHING = Buffer.alloc(0);

function ignore(): void {
  // nothing to do: the session already failed for a reason it reports
}

function cancelled(): SessionError {
  return new SessionError('cancelled', 'The session was cancelled.');
}

function formatSeconds(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 100) / 10} s`;
}

/** A certificate's subject or issuer, escaped: its text is the server's choice (a U+202E in a CN would reorder the line). */
function describeName(name: Record<string, unknown> | undefined): string {
  if (!name) return '';
  return escapeForDisplay(Object.entries(name).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`).join(', '));
}

/** With verification off: why it would have failed, naming the host when the certificate is for another. */
function describeAuthorizationError(code: string, host: string | null): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' && host !== null) return `${code}: the certificate is not for ${host}`;
  return code;
}

function connectionError(error: NodeJS.ErrnoException, where: string, tls: TlsOptions | null): SessionError {
  // Socket errors name the system call that failed; the handshake's and the certificate check's do not.
  if (tls && error.syscall === undefined) return tlsError(error, tls.host);
  const reason: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening there (is the server running, and is the port right?)',
    ENOTFOUND: 'the host name does not resolve (check @server)',
    EAI_AGAIN: 'the host name could not be resolved right now (DNS)',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    ECONNRESET: 'the server reset the connection',
    ETIMEDOUT: 'the connection attempt timed out',
    // A Unix socket (@server = unix:/path).
    ENOENT: 'there is no socket at that path (is the delivery agent running, and is the path right?)',
    EACCES: 'permission denied (the socket\'s owner or mode does not let this user connect)',
    ENOTSOCK: 'that path is not a socket',
  };
  return new SessionError('connection', `Could not connect to ${where}: ${reason[error.code ?? ''] ?? error.message}.`);
}

function tlsError(error: NodeJS.ErrnoException, host: string): SessionError {
  const code = error.code ?? '';
  const wrongName = code === 'ERR_TLS_CERT_ALTNAME_INVALID';
  const checked = isIP(host) === 0
    ? `The certificate was checked against ${host}, the host named in @server (or --server).`
    : `The certificate was checked against the IP address ${host}, the host named in @server (or --server): it must list that address as an IP address subject alternative name; a certificate for a host name does not do.`;
  const hint = wrongName || /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME/.test(code) || /certificate/i.test(error.message)
    ? ` ${wrongName ? checked : 'The certificate did not verify.'} If you trust this server anyway (a test server with a self-signed certificate), set "@tls-verify = false" or pass --insecure (smtp.tls.verify in the editor); the result will say that verification was off.`
    : '';
  return new SessionError('tls', `TLS with ${host} failed: ${escapeForDisplay(error.message)}${code ? ` (${code})` : ''}.${hint}`);
}
