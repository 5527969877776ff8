// The one error type the engine's wire layer throws. Its message is for people
// (what happened, where, what to do); its kind lets the engine, the CLI and the
// editor decide what follows (exit status 2, stop the session, warn).

export type SessionErrorKind =
  /** The transcript or the options cannot run as written (undefined variable, missing file, bad setting). */
  | 'usage'
  /** The TCP connection failed or was lost. */
  | 'connection'
  /** The TLS handshake or certificate verification failed. */
  | 'tls'
  /** The server broke RFC 5321 (a reply without a code, a code changing mid-reply, a bound exceeded). */
  | 'protocol'
  /** A per-command or connect timeout elapsed. */
  | 'timeout'
  /** Input the engine will not send as it stands (a lone CR or LF in a body without `@allow-raw`). */
  | 'refused-input'
  /** Something that would smuggle extra protocol: a line break in a command, bytes injected after STARTTLS. */
  | 'injection'
  /** The user stopped the run. */
  | 'cancelled';

export class SessionError extends Error {
  /**
   * @param line the transcript line the error is about, 1-based as shown to
   *   people (the AST's 0-based `line` + 1); null when no line applies.
   */
  constructor(readonly kind: SessionErrorKind, message: string, readonly line: number | null = null) {
    super(message);
    this.name = 'SessionError';
  }
}

/** `line 12: ` when the line is known, '' otherwise: the start of most messages. */
export function atLine(line: number | null): string {
  return line === null ? '' : `line ${line}: `;
}
