// The embedded local capture server: a real SMTP server (the smtp-server
// package) on loopback that accepts every message, saves it as .eml, and on
// request misbehaves like a server in trouble (fault injection). The engine,
// `smtp-session run`, `npm run demo` and `smtp-session serve` use it as the
// target of sessions that name no @server.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { escapeForDisplay } from '../engine/displayText';
import { greetWithoutPause } from './greetingWithoutPause';
import { makeSelfSignedCertificate } from './localServerCertificate';
import { emlFileName, summaryLine } from './localServerMessage';
import { spoolMessage, type MessageContent } from './messageSpool';
import { subjectOf } from './messageSubject';
import { applyRules, decideAt, type RuleHooks, type SMTPConnection } from './rules/applyRules';
import type { FaultRule } from './rules/faultRule';
import { FaultRules } from './rules/faultRules';
import { shorthandRules, type ShorthandFaults } from './rules/shorthandRules';
import { SessionFacts } from './sessionFacts';
import { SessionTranscript, type RecordedBody } from './sessionTranscript';

export type LocalServerTls = 'none' | 'starttls' | 'implicit';

/** The fault options other than `rules` are shorthand for rules (rules/shorthandRules.ts), asked after the rules. */
export interface LocalServerOptions extends ShorthandFaults {
  /** Default 127.0.0.1: the server listens on another address only when told to. */
  host?: string;
  /** Default 2525; 0 picks a free port (see RunningLocalServer.port). */
  port?: number;
  /** Where accepted messages are saved as .eml (created if missing); null or absent: memory only. */
  dir?: string | null;
  /**
   * Default 'starttls': STARTTLS offered with a self-signed certificate made at
   * start-up (AUTH before it is refused with 538 5.7.0, as submission servers
   * do); 'implicit': TLS from the first byte (port 465 style); 'none': plain text.
   */
  tls?: LocalServerTls;
  /** AUTH PLAIN, LOGIN and CRAM-MD5 are offered only when users are given. AUTH stays optional; wrong credentials get 535 5.7.8. */
  users?: { user: string; pass: string }[];
  /** Largest message accepted, advertised as SIZE and enforced with 552 5.3.4. Default 50 MiB. */
  size?: number;
  /** Connections served at once; one more is answered 421 and closed. Default 32. */
  maxConnections?: number;
  /**
   * Octets the messages of `dir` may hold in all (the .eml files already there
   * count); a message that would go past it is refused with 452 4.3.1 and the
   * log says so. Nothing is ever deleted to make room. Default 1 GiB.
   */
  folderLimit?: number;
  /** Milliseconds a connection may stay silent before the server closes it (RFC 5321 §4.5.3.2.7: at least 5 minutes). Default 5 minutes. */
  idleTimeoutMs?: number;
  /**
   * Scripted faults, in order (rules/parseRules.ts reads them from a rules
   * file): replies with errors, dropped connections and delays at the
   * greeting, at commands and at the end of data.
   */
  rules?: FaultRule[];
  /** Text after `220 localhost ESMTP` in the greeting. */
  banner?: string;
  onMessage?: (message: CapturedMessage) => void;
  /** Called once per connection, when it has closed and its transcript is saved (or kept). */
  onSession?: (session: CapturedSession) => void;
  /** One line per accepted message and per injected fault; never a password. */
  log?: (line: string) => void;
}

export interface CapturedMessage {
  id: string;
  /** The reverse path; '' for the null sender `<>`. */
  from: string;
  to: string[];
  subject: string | null;
  /** Octets of the message as received, after dot-unstuffing. */
  size: number;
  receivedAt: Date;
  /** The .eml file, or null when the server keeps no folder. */
  path: string | null;
  /** The `.smtp` transcript of the connection that delivered it (written when that connection closes), or null without a folder. */
  transcriptPath: string | null;
  /** Which CapturedSession the message came in (its `id`). */
  sessionId: string;
  /** MAIL FROM and the accepted RCPT TO, each with its parameters as sent (`SIZE=512`, `NOTIFY=SUCCESS,FAILURE`). */
  envelope: MessageEnvelope;
  /** Its session's TLS, AUTH and timing, still filling in while the session goes on. */
  facts: SessionFacts;
  /**
   * The message exactly as received (CRLF line endings, dots unstuffed, without
   * the final `.` line): in memory when small, else in its file (messageSpool.ts).
   * Read it with openContent or readContent.
   */
  content: MessageContent;
}

export interface MessageEnvelope {
  mailFrom: { address: string; params: string[] };
  rcptTo: { address: string; params: string[] }[];
}

/** One connection, written down as a `.smtp` transcript (sessionTranscript.ts). */
export interface CapturedSession {
  id: string;
  /** The application's address and port. */
  client: string;
  startedAt: Date;
  endedAt: Date;
  /** The ids of the messages it delivered (none for a session refused, aborted or that failed TLS). */
  messageIds: string[];
  /** The `.smtp` file next to the messages' .eml files, or null when the server keeps no folder. */
  path: string | null;
  /** The transcript itself: kept in memory when there is no folder, else null (read the file). */
  text: string | null;
  /** TLS and AUTH used, each phase's time, why it ended. */
  facts: SessionFacts;
}

export interface RunningLocalServer {
  host: string;
  port: number;
  tls: LocalServerTls;
  /** The self-signed certificate presented for TLS (trust it to verify the server), or null with tls 'none'. */
  certificatePem: string | null;
  /** SHA-256 fingerprint of that certificate (colon-separated hex), or null. */
  certificateFingerprint256: string | null;
  /** The most recent messages, oldest first (at most MAX_MESSAGES_KEPT of them, and MAX_BYTES_KEPT octets). */
  messages: CapturedMessage[];
  /** The most recent connections' transcripts, oldest first (at most MAX_SESSIONS_KEPT, and MAX_BYTES_KEPT octets of text). */
  sessions: CapturedSession[];
  /** Stops listening, answers open sessions 421 and closes them; resolves once the port is free. */
  close(): Promise<void>;
}

/** Thrown by startLocalServer when it cannot listen or cannot use the directory; the message says what to do. */
export class LocalServerError extends Error {}

export const DEFAULT_PORT = 2525;
export const DEFAULT_MAX_SIZE = 50 * 1024 * 1024;
export const MAX_MESSAGES_KEPT = 200;
export const MAX_SESSIONS_KEPT = 200;
/** Octets of messages held in memory (each at most messageSpool's IN_MEMORY_LIMIT; larger ones are files). */
export const MAX_BYTES_KEPT = 16 * 1024 * 1024;
export const DEFAULT_MAX_CONNECTIONS = 32;
export const DEFAULT_FOLDER_LIMIT = 1024 * 1024 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60 * 1000;
/** How long close() lets sessions read their 421 before it cuts them. */
const CLOSE_GRACE_MS = 1000;

export async function startLocalServer(options: LocalServerOptions = {}): Promise<RunningLocalServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_PORT;
  const tls = options.tls ?? 'starttls';
  const size = options.size ?? DEFAULT_MAX_SIZE;
  const folderLimit = options.folderLimit ?? DEFAULT_FOLDER_LIMIT;
  const users = options.users ?? [];
  const delayMs = options.delayMs ?? 0;
  // Each line names what clients sent (addresses, user names, subjects): whatever it holds is shown escaped.
  const log = options.log ? (line: string) => options.log!(escapeForDisplay(line)) : () => undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, not ${port}`);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, not ${size}`);
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be 0 or more, not ${delayMs}`);
  const rules = new FaultRules([...(options.rules ?? []), ...shorthandRules(options)]);

  const dir = options.dir ? resolve(options.dir) : null;
  if (dir) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new LocalServerError(`cannot use ${dir} for messages: ${(error as Error).message}`);
    }
  }
  const certificate = tls === 'none' ? null : makeSelfSignedCertificate();
  const messages: CapturedMessage[] = [];
  let bytesKept = 0;
  // Without a folder, large messages still go to disk: a spool folder of this server's own, removed on close.
  const spoolDir = dir ?? mkdtempSync(join(tmpdir(), 'smtp-session-spool-'));
  // What the folder holds (its .eml files, counted once at start) and what is arriving into it now.
  let folderBytes = dir ? emlBytes(dir) : 0;
  let arrivingBytes = 0;

  const inMemory = (message: CapturedMessage) => (message.content.kind === 'memory' ? message.content.raw.length : 0);
  const letGo = (message: CapturedMessage) => {
    bytesKept -= inMemory(message);
    if (message.content.kind === 'file' && message.content.temporary) {
      folderBytes -= message.size;
      void unlink(message.content.path).catch(() => undefined);
    }
  };
  const keep = (message: CapturedMessage) => {
    messages.push(message);
    bytesKept += inMemory(message);
    while (messages.length > MAX_MESSAGES_KEPT || (bytesKept > MAX_BYTES_KEPT && messages.length > 1)) letGo(messages.shift()!);
  };

  const sessions: CapturedSession[] = [];
  let transcriptBytesKept = 0;
  /** The open connections' transcripts, by smtp-server's session id. */
  const recording = new Map<string, { transcript: SessionTranscript; facts: SessionFacts; client: string; startedAt: Date; messageIds: string[]; fileName: string }>();
  const keepSession = (session: CapturedSession) => {
    sessions.push(session);
    transcriptBytesKept += session.text?.length ?? 0;
    while (sessions.length > MAX_SESSIONS_KEPT || (transcriptBytesKept > MAX_BYTES_KEPT && sessions.length > 1)) transcriptBytesKept -= sessions.shift()!.text?.length ?? 0;
  };
  const recordBody = (sessionId: string, body: RecordedBody) => recording.get(sessionId)?.transcript.body(body);
  const ruleHooks = (sessionId: string): RuleHooks => ({ log, note: (text) => recording.get(sessionId)?.transcript.note(text) });

  const server: SMTPServer = new SMTPServer({
    name: 'localhost',
    banner: options.banner ?? 'smtp-session local capture server',
    secure: tls === 'implicit',
    ...(certificate ? { key: certificate.privateKeyPem, cert: certificate.certificatePem } : {}),
    size,
    rejectOversized: true,
    maxClients: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    socketTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    authMethods: users.length > 0 ? ['PLAIN', 'LOGIN', 'CRAM-MD5'] : [],
    authOptional: true,
    disabledCommands: [...(users.length > 0 ? [] : ['AUTH']), ...(tls === 'starttls' ? [] : ['STARTTLS'])],
    disableReverseLookup: true,
    logger: false,

    onConnect(session, callback) {
      const connection = findConnection(server, session);
      if (connection) {
        // The rules first, so the recorder wraps them and writes each line down before a rule answers it.
        applyRules(connection, rules, ruleHooks(session.id));
        record(connection);
      }
      decideAt('connect', connection, rules, ruleHooks(session.id), { proceed: () => callback(), refuse: (error) => callback(error) });
    },

    onClose(session) {
      const open = recording.get(session.id);
      if (!open) return;
      recording.delete(session.id);
      if (session.tlsOptions && session.tlsOptions.name) open.facts.tlsEstablished(session.tlsOptions.version ?? 'TLS', session.tlsOptions.standardName ?? session.tlsOptions.name);
      open.facts.close();
      const text = open.transcript.text();
      const captured: CapturedSession = {
        id: session.id,
        client: open.client,
        startedAt: open.startedAt,
        endedAt: new Date(),
        messageIds: open.messageIds,
        path: dir ? join(dir, open.fileName) : null,
        text: dir ? null : text,
        facts: open.facts,
      };
      const saved = captured.path ? writeFile(captured.path, text, { flag: 'wx' }) : Promise.resolve();
      saved.then(
        () => {
          keepSession(captured);
          if (captured.path) log(`session from ${captured.client} recorded as ${captured.path}`);
          try {
            options.onSession?.(captured);
          } catch (error) {
            log(`onSession failed: ${(error as Error).message}`);
          }
        },
        (error: Error) => log(`could not save the transcript of the session from ${captured.client}: ${error.message}`),
      );
    },

    onAuth(auth: SMTPServerAuthentication, session, callback) {
      const user = users.find((candidate) => candidate.user === auth.username);
      const valid = user !== undefined && (auth.method === 'CRAM-MD5' ? auth.validatePassword(user.pass) : auth.password === user.pass);
      recording.get(session.id)?.facts.authenticated(auth.method, auth.username ?? '', valid);
      if (valid) return callback(null, { user: user.user });
      log(`AUTH ${auth.method} as ${JSON.stringify(auth.username ?? '')} refused: wrong user name or password`);
      callback(replyError(535, 'Error: authentication credentials invalid'));
    },

    onData(stream: SMTPServerDataStream, session, callback) {
      const id = randomBytes(5).toString('hex');
      const receivedAt = new Date();
      const fileName = emlFileName(receivedAt, id);
      let counted = 0;
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '<>';
      spoolMessage(stream, {
        maxSize: size,
        spillPath: () => join(spoolDir, fileName),
        temporary: dir === null,
        fits: (bytes) => {
          if (folderBytes + arrivingBytes + bytes > folderLimit) return false;
          arrivingBytes += bytes;
          counted += bytes;
          return true;
        },
      }).then(
        (spooled) => {
          arrivingBytes -= counted;
          counted = 0;
          if (stream.sizeExceeded || spooled.refused === 'size') {
            log(`message from ${sender} refused with 552: ${spooled.size} bytes, over the limit of ${size}`);
            recordBody(session.id, { kind: 'not-kept', why: `the message was refused for its size (${spooled.size} bytes, over ${size}) and not kept` });
            return callback();
          }
          if (spooled.refused === 'folder') {
            log(`message from ${sender} refused with 452: ${spooled.size} bytes would take ${dir ?? 'the spool folder'} past its limit of ${folderLimit} bytes (it holds ${folderBytes}); clear the folder or raise the limit`);
            recordBody(session.id, { kind: 'not-kept', why: `the message (${spooled.size} bytes) was refused: the capture folder was full` });
            const facts = recording.get(session.id)?.facts;
            if (facts) facts.folderFull = true;
            return callback(replyError(452, 'Error: insufficient system storage: the capture folder is full'));
          }
          // Refused or dropped by a rule: not kept, but written into the transcript, so a replay sends it again and meets the rule again.
          const drop = () => {
            if (spooled.content.kind === 'file') void unlink(spooled.content.path).catch(() => undefined);
            recordBody(session.id, spooled.content.kind === 'memory' ? { kind: 'content', content: spooled.content, fileName: null } : { kind: 'not-kept', why: `the message (${spooled.size} bytes) was refused by a rule and not kept` });
          };
          const refuse = (error: Error) => {
            drop();
            callback(error);
          };
          const proceed = () => void keepMessage(spooled).catch(fail);
          decideAt('end-of-data', findConnection(server, session), rules, ruleHooks(session.id), { proceed, refuse, drop });
        },
      ).catch(fail);

      async function keepMessage(spooled: Awaited<ReturnType<typeof spoolMessage>>): Promise<void> {
        const message: CapturedMessage = {
          id,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          subject: await subjectOf(spooled.head),
          size: spooled.size,
          receivedAt,
          path: dir ? join(dir, fileName) : null,
          transcriptPath: dir && recording.has(session.id) ? join(dir, recording.get(session.id)!.fileName) : null,
          sessionId: session.id,
          envelope: envelopeOf(session),
          // A session closed mid-message (no recording left) still gets facts of its own.
          facts: recording.get(session.id)?.facts ?? new SessionFacts(receivedAt.getTime(), tls === 'implicit', ''),
          content: spooled.content,
        };
        // A small message is written once it is whole; a large one already is, as it arrived.
        if (dir && spooled.content.kind === 'memory') await writeFile(message.path!, spooled.content.raw, { flag: 'wx' });
        if (dir || spooled.content.kind === 'file') folderBytes += spooled.size;
        keep(message);
        recording.get(session.id)?.messageIds.push(message.id);
        message.facts.messageAccepted();
        recordBody(session.id, { kind: 'content', content: message.content, fileName: message.path ? fileName : null });
        log(summaryLine(message));
        try {
          options.onMessage?.(message);
        } catch (error) {
          log(`onMessage failed: ${(error as Error).message}`); // the client still gets its 250: the message was captured
        }
        rules.messageAccepted();
        callback(null, `Ok: queued as ${message.id}`);
      }

      function fail(error: Error): void {
        arrivingBytes -= counted;
        counted = 0;
        // The client left mid-message (nothing to answer), or the disk refused the message.
        log(`could not save the message from ${sender}: ${error.message}`);
        recordBody(session.id, { kind: 'not-kept', why: `the message was not saved: ${error.message}` });
        callback(replyError(451, 'Error: local error in processing, the message was not saved'));
      }
    },
  });

  greetWithoutPause(server);

  /**
   * Writes the connection's dialogue down as it happens. smtp-server has no
   * public hook for the lines themselves, so this wraps two methods of the
   * connection object: `_onCommand`, which its line parser calls for every
   * command and SASL response (the parser of the TLS session after STARTTLS
   * calls it too), and `send`, which its source calls "the single write site"
   * of every reply (the greeting, 421s at close and timeouts included). Both
   * are the ones rules/applyRules.ts wraps for scripted faults; the tests of
   * sessionTranscript.test.ts fail if either stops being called. What `send`
   * wrote is taken from the socket write it makes, so enhanced status codes
   * and multi-line replies are recorded exactly as sent, and a reply it
   * suppressed (during a TLS handshake) is not.
   */
  function record(connection: SMTPConnection): void {
    const startedAt = new Date();
    const client = connection.remoteAddress.includes(':') ? `[${connection.remoteAddress}]:${connection.remotePort}` : `${connection.remoteAddress}:${connection.remotePort}`;
    const transcript = new SessionTranscript({ startedAt, client, host: address().host, port: address().port, implicitTls: tls === 'implicit' });
    const facts = new SessionFacts(startedAt.getTime(), tls === 'implicit', client);
    const fileName = emlFileName(startedAt, `session-${connection.id}`).replace(/\.eml$/, '.smtp');
    recording.set(connection.id, { transcript, facts, client, startedAt, messageIds: [], fileName });

    const handleCommand = connection._onCommand.bind(connection);
    connection._onCommand = (command, callback) => {
      if (!connection._upgrading) {
        const line = command.toString('utf8');
        transcript.client(line);
        facts.command(line, Boolean(connection._nextHandler));
        // The first command over TLS (after STARTTLS, or the first of implicit TLS) tells which TLS it is.
        if (connection.secure && facts.tls === null) noteTls(connection, facts);
      }
      handleCommand(command, callback);
    };
    const send = connection.send.bind(connection);
    connection.send = (...args: Parameters<SMTPConnection['send']>) => {
      const socket = connection._socket;
      const write = socket.write;
      socket.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        transcript.server(chunk.toString());
        facts.reply(chunk.toString(), Date.now());
        return (write as (...writeArgs: unknown[]) => boolean).call(socket, chunk, ...rest);
      }) as typeof socket.write;
      try {
        return send(...args);
      } finally {
        socket.write = write;
      }
    };
    connection.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') transcript.note(`connection error: ${error.message}`);
      facts.connectionError(error.message);
    });
  }

  // Without a listener an 'error' event would end the process. A failure to
  // listen is reported by listen() instead, and a client that resets its
  // connection is ordinary for a test server and not worth a line.
  let listening = false;
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (listening && error.code !== 'ECONNRESET' && error.code !== 'EPIPE') log(`connection error: ${error.message}`);
  });
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await listen(server, host, port);
  listening = true;
  const bound = server.server.address();
  const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const address = () => ({ host, port: boundPort });

  let closing: Promise<void> | null = null;
  return {
    host,
    port: boundPort,
    tls,
    certificatePem: certificate?.certificatePem ?? null,
    certificateFingerprint256: certificate?.fingerprint256 ?? null,
    messages,
    sessions,
    close: () => (closing ??= new Promise<void>((done) => {
      const cut = setTimeout(() => sockets.forEach((socket) => socket.destroy()), CLOSE_GRACE_MS);
      server.server.close(() => {
        clearTimeout(cut);
        // The spool of a server without a folder: its messages end with it.
        if (!dir) rmSync(spoolDir, { recursive: true, force: true });
        done();
      });
      for (const connection of [...server.connections]) connection.send(421, 'Server shutting down');
    })),
  };
}

/** Octets of the .eml files in `dir`: what the folder limit starts from. */
function emlBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.eml')) continue;
    try {
      total += statSync(join(dir, entry.name)).size;
    } catch {
      // Gone between the listing and the stat: it takes no room.
    }
  }
  return total;
}

function listen(server: SMTPServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.server.off('listening', onListening);
      reject(new LocalServerError(describeListenError(error, host, port)));
    };
    const onListening = () => {
      server.server.off('error', onError);
      resolve();
    };
    // Registered before smtp-server's own listener sees the error, so it is reported here once.
    server.server.prependOnceListener('error', onError);
    server.server.once('listening', onListening);
    server.listen(port, host);
  });
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} is in use: pass --port 0 for a free one or stop the other server`;
    case 'EACCES':
      return `port ${port} needs administrator rights: use a port above 1023 (the default is ${DEFAULT_PORT}) or --port 0`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine: use 127.0.0.1 (the default) or a local interface's address`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host ${host}: use an IP address such as 127.0.0.1`;
    default:
      return `cannot listen on ${host}:${port}: ${error.message}`;
  }
}

function findConnection(server: SMTPServer, session: SMTPServerSession): SMTPConnection | undefined {
  for (const connection of server.connections) if (connection.id === session.id) return connection;
  return undefined;
}

/** The TLS version and cipher of a connection that is secure now. */
function noteTls(connection: SMTPConnection, facts: SessionFacts): void {
  const socket = connection._socket as Partial<import('node:tls').TLSSocket>;
  const cipher = socket.getCipher?.();
  facts.tlsEstablished(socket.getProtocol?.() ?? 'TLS', cipher?.standardName ?? cipher?.name ?? 'unknown');
}

/** The envelope as smtp-server parsed it: each parameter `KEY=value`, or `KEY` when it has no value. */
function envelopeOf(session: SMTPServerSession): MessageEnvelope {
  const path = (address: { address: string; args?: unknown } | false) => ({
    address: address ? address.address : '',
    params: address && typeof address.args === 'object' && address.args !== null
      ? Object.entries(address.args as Record<string, unknown>).map(([key, value]) => (value === true || value === undefined ? key : `${key}=${String(value)}`))
      : [],
  });
  return { mailFrom: path(session.envelope.mailFrom), rcptTo: session.envelope.rcptTo.map(path) };
}

function replyError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
