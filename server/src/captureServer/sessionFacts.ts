// What the inbox says about one inbound connection besides its transcript:
// TLS and AUTH used, how long each phase took and why the session ended.
// Fed by the same two hooks as the transcript (every command line the
// connection parsed, every reply it wrote), so it holds for any client, and
// never keeps a credential: AUTH gives only its mechanism and the user name.

/** Phases a session keeps; an application that sends NOOP for ever does not grow the server without bound. */
export const MAX_PHASES = 100;

/** One phase: a command from the end of the previous reply to the end of its own, or the message from the 354 to the reply to its end. */
export interface SessionPhase {
  /** `connect`, the verb (`EHLO`, `MAIL`, `RCPT`…), or `message` for the data after 354. */
  name: string;
  /** How many times in a row (two RCPTs are one phase of count 2). */
  count: number;
  ms: number;
}

export type SessionEndingKind = 'quit' | 'refused' | 'closed-by-server' | 'tls-failed' | 'aborted' | 'open';

export interface SessionEnding {
  kind: SessionEndingKind;
  /** For people: "QUIT without DATA", "refused: 421 4.7.0 Too many connections", "TLS failed: …". */
  text: string;
}

export class SessionFacts {
  tls: { protocol: string; cipher: string } | null = null;
  auth: { mechanism: string; username: string; accepted: boolean } | null = null;
  /** A message was refused because the capture folder had no room left. */
  folderFull = false;
  readonly phases: SessionPhase[] = [];
  private phasesDropped = 0;
  /** Verbs of the commands waiting for their reply, oldest first (pipelining sends several before the first reply). */
  private readonly waiting: string[] = [];
  private phaseStart: number;
  private commands = 0;
  private messages = 0;
  private quit = false;
  /** DATA or BDAT was sent: a QUIT after it without a message means the message was refused. */
  private dataSent = false;
  private startTlsAccepted = false;
  private inMessage = false;
  private lastVerb: string | null = null;
  private lastReply: string | null = null;
  private error: string | null = null;
  private closed = false;

  constructor(
    startedAt: number,
    private readonly implicitTls: boolean,
    /** The application's address and port: `127.0.0.1:53012`. */
    readonly client: string,
  ) {
    this.phaseStart = startedAt;
  }

  /** A line the connection parsed: a command, or a SASL response while AUTH waits for one (`continuing`). */
  command(line: string, continuing: boolean): void {
    if (continuing) return; // the AUTH phase goes on; the line may hold credentials and is not looked at
    const verb = line.split(' ', 1)[0].toUpperCase().slice(0, 16);
    this.commands++;
    this.lastVerb = verb;
    this.waiting.push(verb);
    if (verb === 'QUIT') this.quit = true;
    if (verb === 'DATA' || verb === 'BDAT') this.dataSent = true;
    if (verb === 'AUTH') {
      // The mechanism only: what follows it is an initial response, a credential.
      const mechanism = line.split(' ')[1]?.toUpperCase().slice(0, 20) ?? '';
      this.auth = { mechanism, username: '', accepted: false };
    }
  }

  /** One write of the server: one reply, its lines joined by CRLF. */
  reply(payload: string, at: number): void {
    const lines = payload.split('\r\n').filter((line) => line !== '');
    const last = lines[lines.length - 1];
    if (last === undefined) return;
    const code = Number(last.slice(0, 3));
    this.lastReply = last.slice(0, 200);
    if (code === 334) return; // AUTH asks for more: its phase goes on
    if (this.phases.length === 0 && this.waiting.length === 0 && !this.inMessage) return this.addPhase('connect', at);
    if (this.inMessage) {
      this.inMessage = false;
      return this.addPhase('message', at);
    }
    const verb = this.waiting.shift();
    if (verb === undefined) return; // unsolicited: a 421 at shutdown or on a timeout
    if (verb === 'DATA' && code === 354) this.inMessage = true;
    if (verb === 'STARTTLS' && code === 220) this.startTlsAccepted = true;
    this.addPhase(verb, at);
  }

  /** The server kept a message (counted here, not from replies: a 250 to BDAT may end a chunk, not a message). */
  messageAccepted(): void {
    this.messages++;
  }

  tlsEstablished(protocol: string, cipher: string): void {
    this.tls ??= { protocol, cipher };
  }

  /** The server's verdict on the AUTH exchange, with the user name the client gave (never its password). */
  authenticated(mechanism: string, username: string, accepted: boolean): void {
    this.auth = { mechanism: mechanism.toUpperCase(), username, accepted };
  }

  connectionError(message: string): void {
    this.error ??= message;
  }

  /** The connection closed: from now on `ending` is final. */
  close(): void {
    this.closed = true;
  }

  /** Phases in order, and how many more the session had beyond MAX_PHASES. */
  timing(): { phases: SessionPhase[]; dropped: number } {
    return { phases: this.phases.map((phase) => ({ ...phase })), dropped: this.phasesDropped };
  }

  get ending(): SessionEnding {
    if (!this.closed) return { kind: 'open', text: 'still connected' };
    const reply = this.lastReply ?? '';
    const tlsPending = (this.startTlsAccepted || this.implicitTls) && this.tls === null;
    if (tlsPending) return { kind: 'tls-failed', text: `TLS failed${this.error ? `: ${this.error}` : ': the client closed the connection during the handshake'}` };
    if (this.quit) {
      if (this.messages > 0) return { kind: 'quit', text: `QUIT after ${this.messages === 1 ? 'the message' : `${this.messages} messages`}` };
      return { kind: 'quit', text: this.dataSent ? `QUIT, no message accepted${this.folderFull ? ' (the capture folder is full)' : ''}` : 'QUIT without DATA' };
    }
    if (reply.startsWith('421')) {
      return this.commands === 0 ? { kind: 'refused', text: `refused: ${reply}` } : { kind: 'closed-by-server', text: `closed by the server after ${this.lastVerb}: ${reply}` };
    }
    const where = this.inMessage ? ' in the middle of the message' : this.lastVerb ? ` after ${this.lastVerb}` : ' before any command';
    return { kind: 'aborted', text: `aborted: the connection closed without QUIT${where}${this.error ? ` (${this.error})` : ''}` };
  }

  private addPhase(name: string, at: number): void {
    const ms = Math.max(0, at - this.phaseStart);
    this.phaseStart = at;
    const previous = this.phases[this.phases.length - 1];
    if (previous?.name === name && this.phasesDropped === 0) {
      previous.count++;
      previous.ms += ms;
    } else if (this.phases.length < MAX_PHASES) {
      this.phases.push({ name, count: 1, ms });
    } else {
      this.phasesDropped++;
    }
  }
}
