// Every extension the SMTP language server adds to LSP, declared once: the
// commands it executes (workspace/executeCommand), the notifications it sends,
// the request it makes of the client, and the small wire types they carry.
// The VS Code client imports this file; any other editor can implement the
// same messages from it.
//
// It imports nothing, on purpose. The types below are the wire's own: stable
// shapes an editor can rely on, not the engine's internals. The language
// server maps the engine's results to them in one place
// (server/src/lsp/wireReports.ts), so the engine can change without changing
// what editors receive.
//
// Why names and types only, and no `RequestType` objects: the client and the
// server bundle different versions of vscode-jsonrpc (vscode-languageclient 11
// and vscode-languageserver 10 each pin their own), and TypeScript treats their
// message classes as unrelated. So each side makes its library's typed object
// from the names here in one line, for example
//   new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method)
// and nothing here depends on either library.
//
// A run, as an editor sees it:
//
//   client                                            server
//   workspace/executeCommand smtp.lsp.runSession  ─▶
//                                                 ◀─  smtp/confirmRemoteRun (a session goes to a remote host; before anything connects)
//                                                 ◀─  window/workDoneProgress/create (if the client supports it)
//                                                 ◀─  smtp/localServerStatus (when the embedded server had to start)
//                                                 ◀─  smtp/sessionEvent  started (with the session's lines), connecting,
//                                                     connected, tls, step…, finished
//                                                 ◀─  smtp/secret  (for each {{$secret}} / {{$prompt}}, once per run)
//   executeCommand smtp.lsp.cancelSession {runId} ─▶  (or $/cancelRequest, or the progress's Cancel)
//                                                 ◀─  response: RunSessionCommand.Result
//
// The smtp/ messages go only to a client that declares them
// (SmtpClientCapabilities, below). A client without `sessionEvents` gets the
// outcome in standard LSP instead, just before the response: a
// window/showMessage summary and textDocument/publishDiagnostics with the
// run's findings (source "smtp-session run") beside the analysis's.
//
// The events say everything an editor shows while a session runs (where the
// session starts and ends, each step's reply): it never needs to parse the
// document or ask the server again to place them.
//
// Secrets: results, events and progress messages never carry a secret's value;
// `{{$secret}}`, `{{$prompt}}`, `{{$authPlain}}` values, SASL responses and
// AUTH initial responses show as `***`. The one message that carries a value
// is the client's answer to smtp/secret (see there).

// ───────────────────────── commands: client → server ─────────────────────────
//
// Each is a workspace/executeCommand with exactly one argument, the Params
// object: `{ command: RunSessionCommand.command, arguments: [params] }`. The
// server lists them in `capabilities.executeCommandProvider.commands`.
//
// The names start with `smtp.lsp.` because vscode-languageclient registers
// every server command as a VS Code command of the same name: the extension's
// own palette commands (`smtp.runSession` with its inline results, …) keep
// their names free, and wrap these.
//
// Invalid arguments (a missing uri, a session index out of range, a document
// that is neither open nor readable) fail the request with a ResponseError
// (InvalidParams) whose message says what to fix. Anything that happens while a
// session runs (connection refused, an unmet expectation, cancellation) is
// part of the result instead.

/**
 * Runs one session of a `.smtp` document, or all of them in order, and answers
 * when they are done. Sent by the client when the user presses ▶ on a code
 * lens, runs a test, or uses "Run Session"; any LSP editor can send it.
 *
 * The text is the open document's (the version the client last synced), or
 * the file on disk when the document is not open (`file:` URIs only).
 * Sessions that name no `@server` (and get no `server` here) go to the
 * embedded local server, which is started on first need and reused
 * (see StartLocalServerCommand).
 *
 * While it runs, the server sends SessionEventNotification for every step and,
 * when the client supports `window.workDoneProgress`, LSP work-done progress
 * (cancellable). It stops when the client sends CancelSessionCommand with the
 * run's id, cancels this request ($/cancelRequest), or presses the progress's
 * Cancel: the session in flight ends with the error "The session was
 * cancelled." (and a QUIT when the connection allows one), later sessions are
 * not run, and the response still comes, with `cancelled: true`.
 */
export namespace RunSessionCommand {
  export const command = 'smtp.lsp.runSession';

  export interface Params {
    /** The document: open in the editor, or a `file:` URI the server can read. */
    uri: string;
    /** 0-based index of the session in the file (in `###` order); null or absent: every session, one after the other. */
    session?: number | null;
    /** `host:port` that replaces every session's `@server` (like `smtp-session run --server`). */
    server?: string | null;
    /** Do not verify TLS certificates (like `--insecure`); the result says what verification would have found. */
    insecure?: boolean;
    /** Replaces every RFC 5321 timeout and `@timeout`, in seconds (> 0). */
    timeoutSeconds?: number | null;
    /**
     * Run against the embedded local server whatever `@server` says (the code
     * lens "Run against local server"). Cannot be combined with `server`.
     */
    local?: boolean;
    /**
     * Values every session sees as if they were defined above the file's own
     * variables: the editor's selected environment (`smtp.environments`). The
     * file's `@name = value` lines win over them; `server` here is used only
     * by sessions whose file names no `@server`. Names are variable names
     * (`user`, `server`, `tls-verify`…); values are plain text, never secrets.
     */
    variables?: Record<string, string> | null;
    /** Also return the dialogue as it happened, as a `.smtp` transcript (Result.transcript), like `smtp-session run --record`. */
    record?: boolean;
    /**
     * `"always"`: ask before sending to a remote host on this run even if the
     * host was confirmed before or `smtp.confirmRemoteRuns` is off
     * (ConfirmRemoteRunRequest); the VS Code client sends it for an
     * environment that says `"$confirm": "always"`.
     */
    confirm?: 'always' | null;
    /**
     * An id the client picks for this run (unique among its runs in progress),
     * so it can cancel before the first event arrives. Absent: the server
     * picks one and reports it in every event and in the result.
     */
    runId?: string;
  }

  export interface Result {
    runId: string;
    uri: string;
    /** The document version that ran (results' line numbers refer to it); null when it was read from disk. */
    version: number | null;
    /** Every session that ran passed. False when any failed or the run was cancelled. */
    ok: boolean;
    /** The run was cancelled; `sessions` then holds only those that started. */
    cancelled: boolean;
    /** The user answered "no" to ConfirmRemoteRunRequest (or its showMessageRequest): nothing was sent, `cancelled` is true. */
    declined?: boolean;
    /** One entry per session that ran, in order. Lines in the results are 1-based. */
    sessions: SessionRun[];
    /**
     * What the run read from the machine the server runs on, each once:
     * `{{$env}}` variable names and `{{$file}}` paths (relative to the
     * workspace folder; absolute when outside it, with @allow-outside-files).
     * Names and paths only, never values or content.
     */
    inputs: { environment: string[]; files: string[] };
    /**
     * With `record: true`: the sessions that ran as one `.smtp` document (LF
     * line endings), secrets left out, that `check` accepts and a run replays.
     */
    transcript?: string;
  }
}

/** One session's outcome within a run. */
export interface SessionRun {
  /** 0-based index of the session in the file. */
  index: number;
  /** Every step with what was sent (secrets as ***), the reply, the expectation, timings; TLS details; the error. */
  result: SessionReport;
}

/**
 * Stops a run in progress. Sent by the client's Stop button or command.
 * Answers `{ cancelled: false }` when no run has that id (it may have just
 * finished); the run's own response follows as usual.
 */
export namespace CancelSessionCommand {
  export const command = 'smtp.lsp.cancelSession';
  export interface Params {
    runId: string;
  }
  export interface Result {
    cancelled: boolean;
  }
}

/**
 * Starts the embedded local SMTP server (a capture server on loopback, the
 * target of sessions without `@server`), or answers with the one already
 * running. Sent by the client's "Start Local Server" command and status bar.
 *
 * `port` and `dir` apply when it starts; they are remembered for the next
 * start, including the on-demand start of a run. To change them while it
 * runs, stop it first. Fails with a ResponseError when it cannot listen (the
 * port is taken) or cannot use the folder.
 */
export namespace StartLocalServerCommand {
  export const command = 'smtp.lsp.startLocalServer';
  export interface Params {
    /** Default 0: any free port. */
    port?: number;
    /** Folder where each accepted message is saved as a `.eml` file; null or absent: kept in memory only. */
    dir?: string | null;
    /** Absolute path of a rules file of scripted faults (README, "Scripted faults"); null or absent: none. A file that cannot be used fails the start, naming the rule and the field. */
    rules?: string | null;
  }
  export type Result = LocalServerStatus;
}

/**
 * Stops the embedded local server (sessions still connected to it get `421`).
 * Sent by the client's "Stop Local Server" command. Answers with the new
 * status, `{ running: false }`, also when it was not running.
 */
export namespace StopLocalServerCommand {
  export const command = 'smtp.lsp.stopLocalServer';
  export type Params = Record<string, never>;
  export type Result = LocalServerStatus;
}

/**
 * The messages the embedded local server has captured since it started, and
 * the connections (sessions) they came in, oldest first (at most the last 200
 * of each). Sent by the client's inbox view when it opens, to fill in what
 * arrived before it listened; CapturedMessageNotification and
 * CapturedSessionNotification bring each later one. Answers
 * `{ messages: [], sessions: [] }` when the server is not running.
 */
export namespace ListCapturedMessagesCommand {
  export const command = 'smtp.lsp.listCapturedMessages';
  export type Params = Record<string, never>;
  export interface Result {
    messages: CapturedMessageSummary[];
    /** Closed sessions only; a session still connected is known from its messages' `sessionId`. */
    sessions: CapturedSessionSummary[];
  }
}

/**
 * The `.smtp` transcript of one captured session: what the application sent
 * as `C:` lines, what the server answered as `S:` lines (AUTH responses as
 * `{{$secret}}` references, never credentials), replayable with a run. Sent
 * by the client's "Open Session Transcript" when the session has no file
 * (the server keeps no folder); with a folder, the client opens `path`.
 * Fails with a ResponseError (InvalidParams) when the server holds no
 * session with that id (it stopped, or the session is older than the last
 * 200) or the session is still connected.
 */
export namespace CapturedSessionTranscriptCommand {
  export const command = 'smtp.lsp.capturedSessionTranscript';
  export interface Params {
    /** CapturedSessionSummary.id, or a message's `sessionId`. */
    id: string;
  }
  export interface Result {
    /** The transcript (LF line endings). */
    text: string;
    /** The `.smtp` file it is saved as, or null when it is kept in memory. */
    path: string | null;
  }
}

/**
 * A captured message made readable: its main headers, then its text body
 * decoded (quoted-printable or base64, the charset applied), attachments
 * listed by name and size. Sent by the client when the user opens a message's
 * preview from the inbox. Fails with a ResponseError (InvalidParams) when the
 * server holds no message with that id (it stopped, or the message is older
 * than the last 200).
 */
export namespace PreviewCapturedMessageCommand {
  export const command = 'smtp.lsp.previewCapturedMessage';
  export interface Params {
    id: string;
  }
  export interface Result {
    /** Plain text (LF line endings) for a read-only editor. */
    text: string;
  }
}

/**
 * The sessions of a `.smtp` document as it is now: the open document's text,
 * or the file on disk. Sent by the VS Code client's Test Explorer for files
 * no editor has open — when it discovers the workspace's files, and when one
 * changes on disk — and usable by any editor for a session picker. Fails with
 * a ResponseError (InvalidParams) when the document cannot be read.
 *
 * No need to ask about open documents: DocumentSessionsNotification brings
 * their sessions after every change (to clients that declare it), the outline
 * (textDocument/documentSymbol) has one top-level symbol per session, in
 * order, spanning its lines, and a run's `started` events say where each
 * session that runs begins and ends.
 */
export namespace ListSessionsCommand {
  export const command = 'smtp.lsp.listSessions';
  export interface Params {
    uri: string;
  }
  export interface Result {
    sessions: SessionOutline[];
  }
}

/** A session of a document: where it is, by 1-based lines, and what it is called. */
export interface SessionOutline {
  /** 0-based index, as RunSessionCommand.Params.session takes it. */
  index: number;
  /** The `###` line's name, or null. */
  name: string | null;
  /** First line: the `###` separator, or the first line of a file's only session. */
  line: number;
  /** Last line that belongs to the session. */
  endLine: number;
  /** The server the session names with `@server` (in the file or above it), or null (the embedded local server or an environment's). */
  server: string | null;
}

/**
 * Explains a reply code (`550`), an enhanced status code (`5.1.1`), both
 * (`550 5.1.1`), a command verb or an EHLO keyword, as `smtp-session explain`
 * does. Sent by the client's "Explain Reply Code" command. Fails with a
 * ResponseError (InvalidParams) naming what it could not recognise.
 */
export namespace ExplainCommand {
  export const command = 'smtp.lsp.explain';
  export interface Params {
    text: string;
  }
  export interface Result {
    markdown: string;
  }
}

/**
 * Converts a transcript someone already has — swaks output, a >>>/<<< log, a
 * telnet, nc or openssl s_client session, an RFC example — into `.smtp`
 * text, as `smtp-session import` does (docs/format.md, "Importing
 * transcripts"). Sent by the client's "SMTP: Import Transcript…" command,
 * which opens the result as a new document. Fails with a ResponseError
 * (InvalidParams) saying which formats it reads when it recognises none.
 */
export namespace ImportTranscriptCommand {
  export const command = 'smtp.lsp.importTranscript';
  /** The source format, or 'auto' (the default) to recognise it from the text. */
  export type From = 'auto' | 'swaks' | 'arrows' | 'telnet' | 'rfc';
  export interface Params {
    /** The transcript to convert, at most 10 MB (as UTF-16 characters). */
    text: string;
    from?: From;
  }
  export interface Result {
    /** The `.smtp` text: a header comment, `@server` when the source names it, the dialogue. */
    text: string;
    /** The format it was read as. */
    format: Exclude<From, 'auto'>;
    /** Client and server lines read, for a message such as "24 dialogue lines". */
    dialogueLines: number;
  }
}

/**
 * Drops the run diagnostics (source "smtp-session run") earlier runs left on a
 * document, or on every document when `uri` is absent, and publishes what
 * remains. Sent by VS Code's "SMTP: Clear Results"; any LSP editor can send it.
 * Editing a session or running it again replaces its run diagnostics without it.
 */
export namespace ClearRunResultsCommand {
  export const command = 'smtp.lsp.clearRunResults';
  export interface Params {
    uri?: string;
  }
  export interface Result {
    /** How many documents had run diagnostics that are now gone. */
    cleared: number;
  }
}

/** Every command the server executes, as listed in its executeCommandProvider. */
export const SERVER_COMMANDS = [
  RunSessionCommand.command,
  CancelSessionCommand.command,
  StartLocalServerCommand.command,
  StopLocalServerCommand.command,
  ListCapturedMessagesCommand.command,
  PreviewCapturedMessageCommand.command,
  CapturedSessionTranscriptCommand.command,
  ListSessionsCommand.command,
  ExplainCommand.command,
  ImportTranscriptCommand.command,
  ClearRunResultsCommand.command,
] as const;

export type ServerCommand = (typeof SERVER_COMMANDS)[number];

/** How the embedded local server offers TLS: not at all, STARTTLS on a plain port, or TLS from the first byte. */
export type LocalServerTlsMode = 'none' | 'starttls' | 'implicit';

/** The embedded local server as the status bar shows it. */
export type LocalServerStatus =
  | { running: false }
  | {
    running: true;
    /** Always a loopback address. */
    host: string;
    port: number;
    /** 'starttls': STARTTLS offered with a certificate made at start-up, which the server's runs trust. */
    tls: LocalServerTlsMode;
    /** SHA-256 fingerprint of that certificate, so a person can compare it with what another tool shows. */
    certificateFingerprint256: string | null;
    /** Where messages are saved, or null when they are kept in memory only. */
    dir: string | null;
  };

// ──────────────────────── notifications: server → client ────────────────────────

/**
 * What a run is doing, step by step, in order. Sent by the server for every
 * session of every run, so the client can show each reply next to its line as
 * it arrives (green, red, grey), feed the Test Explorer, and fill the status
 * bar — before the run's response comes.
 *
 * For each session: `started`, then the engine's events (`connecting`,
 * `connected`, `tls`, `step` for each step as it completes, `warning`), then
 * `finished` with the same result the response will hold.
 */
export namespace SessionEventNotification {
  export const method = 'smtp/sessionEvent';
  export interface Params {
    runId: string;
    uri: string;
    /** 0-based index of the session in the file. */
    sessionIndex: number;
    event: RunEvent;
  }
}

/**
 * One event of a session's run. Every line number is 1-based and refers to
 * the document version the `started` event names.
 */
export type RunEvent =
  | {
    type: 'started';
    /** The session's `###` name, or null. */
    name: string | null;
    /** 1-based line where the session starts: its `###` separator, or the first line of a file's only session. */
    line: number;
    /**
     * 1-based last line of the session (blank lines before the next `###`
     * are not part of it). With `line`, the lines an editor keeps the
     * session's results on: an edit inside them makes the results stale.
     */
    endLine: number;
    /** The document version being run; null when read from disk. */
    version: number | null;
  }
  /** Opening the connection to `server` (`host:port`). */
  | { type: 'connecting'; server: string }
  /** Connected; `tls` is set for implicit TLS (port 465 or `@tls = implicit`), null for a plain connection. */
  | { type: 'connected'; server: string; tls: TlsReport | null }
  /** STARTTLS succeeded: the connection is now encrypted. */
  | { type: 'tls'; tls: TlsReport }
  /** A step completed (or was skipped). A step may be reported again later — a pipelined step first skipped, then played: the last report counts. */
  | { type: 'step'; step: StepReport }
  /** Something a person should know that fails nothing: certificate verification was off, a reply line ended with a bare LF, … */
  | { type: 'warning'; message: string }
  /** The session is over; `result` is the same as in the run's response. */
  | { type: 'finished'; result: SessionReport };

// ─────────────────────────── what a run reports ───────────────────────────
//
// The results in RunSessionCommand.Result and in the run events. Lines are
// 1-based. New optional fields may be added; existing ones keep their meaning.

/** One session as it was played. */
export interface SessionReport {
  /** The session's `###` name, or null. */
  name: string | null;
  /** 1-based line where the session starts. */
  line: number;
  /** The `host:port` it connected to (or tried to). */
  server: string;
  /** Every step that has an expectation met it, and no error ended the session. */
  ok: boolean;
  /** Why the session ended early (connection refused, timeout, cancelled, a secret declined…), at the line it concerns when there is one. */
  error: { message: string; line: number | null } | null;
  /** The TLS layer, when the connection was encrypted (implicit TLS or STARTTLS). */
  tls: TlsReport | null;
  /** The `warning` events' messages, in order. */
  warnings: string[];
  /** In the order they were sent: the greeting, each command, each DATA body, each SASL response. */
  steps: StepReport[];
  /** The values taken from replies (`@name = {{$reply /…/}}`), in the order the run reached them, secrets as ***; present when the session has such lines. */
  captures?: CaptureReport[];
}

/** A value a session took from a reply. */
export interface CaptureReport {
  /** 1-based line of the `@name = {{$reply …}}` line. */
  line: number;
  name: string;
  value: string;
}

/** One step of a session: the greeting, a command, a DATA body (answered at its `.` line) or a SASL response. */
export interface StepReport {
  /** 1-based line of the step in the file: its `C:` line (for a DATA body, the `.` line), or for the greeting its `S:` line (the session's first line when none is written). */
  line: number;
  kind: 'greeting' | 'command' | 'data' | 'sasl';
  /** What was sent, with secrets as *** (null for the greeting and for skipped steps). */
  sent: string | null;
  /** The server's reply; null when none came (skipped, or the session ended first). */
  reply: ReplyReport | null;
  /** The `S:` expectation as written, or null when the transcript records none. */
  expected: string | null;
  /** 1-based line of the `S:` expectation (its first line), where an editor shows an unmet one; null when there is none. */
  expectedLine: number | null;
  /** Whether the reply met the expectation; null when the transcript records none. */
  ok: boolean | null;
  /** Why it did not, for people. */
  mismatch: string | null;
  /** Not played: an earlier step failed, or the server ended the session. */
  skipped: boolean;
  /** Milliseconds from sending the step (from connecting, for the greeting) to the reply's last line; 0 when skipped. */
  ms: number;
  /**
   * On the reply to a message's end (its `.` line, or BDAT LAST) when the
   * session ran against the embedded local server and the `250` named the
   * queue id of a message it captured (`250 2.0.0 Ok: queued as ID`): that
   * message's CapturedMessageSummary.id, for "Open Captured Message".
   */
  capturedMessageId?: string;
  /**
   * Present only on a reply after the message that reports one recipient's
   * delivery — LMTP (RFC 2033 §4.2: one reply per accepted RCPT) or PRDR —:
   * that RCPT's path as written (`<bob@example.org>`). Such a step's `line`
   * is its `S:` expectation's, or the RCPT's when none is written — except
   * LMTP's first reply, which is the message's own step (its `.` line, or
   * the last BDAT's line).
   */
  recipient?: string;
}

/** A server reply as it came. */
export interface ReplyReport {
  /** The three-digit code (RFC 5321 §4.2). */
  code: number;
  /** The enhanced status code of the first line (`2.1.5`, RFC 3463), or null. */
  enhanced: string | null;
  /** Every line as received, code included (`250-mx.example.org`, `250 OK`), without CRLF; control characters shown escaped, secrets as ***. */
  lines: string[];
}

/** The TLS layer of a session, as a person checks it. */
export interface TlsReport {
  /** `TLSv1.3`, `TLSv1.2`. */
  protocol: string;
  cipher: string;
  /** The certificate chain and host name were verified and passed. */
  verified: boolean;
  /** Why the certificate would not pass verification, or null. Set also when verification was off (`insecure`), so the person sees what it would have found. */
  verificationError: string | null;
  /** The server certificate's subject and issuer, as `CN=mx.example.org, O=…`. */
  subject: string;
  issuer: string;
  /** When the certificate expires, as Node prints it (`Mar  1 12:00:00 2027 GMT`). */
  validTo: string;
  /** SHA-256 fingerprint of the certificate (`AB:CD:…`). */
  fingerprint256: string;
}

/**
 * The embedded local server started or stopped: sent by the server whenever
 * that happens, whoever caused it (a run that needed it, a command, shutdown),
 * so the client's status bar item can show its port without polling.
 */
export namespace LocalServerStatusNotification {
  export const method = 'smtp/localServerStatus';
  export type Params = LocalServerStatus;
}

/**
 * The sessions of an open document, sent by the server each time it has
 * checked a new version (with its diagnostics, after the same pause in
 * typing), so a test explorer follows the document as it is edited without
 * asking. Sent only to clients that declare `experimental.smtp
 * .documentSessions` (SmtpClientCapabilities). Nothing is sent when a
 * document closes: the file on disk may differ from what the editor held,
 * and ListSessionsCommand reads it.
 */
export namespace DocumentSessionsNotification {
  export const method = 'smtp/documentSessions';
  export interface Params {
    uri: string;
    /** The document version these sessions are of. */
    version: number;
    sessions: SessionOutline[];
  }
}

/** A message the embedded local server accepted, as an inbox lists it. */
export interface CapturedMessageSummary {
  /** The queue id the server answered with (`250 Ok: queued as ID`). */
  id: string;
  /** The reverse path; '' for the null sender `<>`. */
  from: string;
  to: string[];
  /** The Subject header, decoded (RFC 2047), or null when the message has none. */
  subject: string | null;
  /** Octets as received, after dot-unstuffing. */
  size: number;
  /** When it was accepted, ISO 8601. */
  receivedAt: string;
  /** The saved `.eml` file, or null when the server keeps messages in memory only (no `dir`). */
  path: string | null;
  /** The session (connection) it came in: CapturedSessionSummary.id. */
  sessionId: string;
  /** That session's `.smtp` transcript file (written when the session closes), or null when the server keeps no folder. */
  transcriptPath: string | null;
  /**
   * The run that delivered it, when it came from a run of this language
   * server: the document and the 1-based line whose `.` (or BDAT LAST) ended
   * the message. Set once the run saw the 250; the server then sends
   * CapturedMessageNotification again with it.
   */
  sentBy?: { uri: string; line: number };
}

/** One connection the embedded local server served, closed, as an inbox lists it. */
export interface CapturedSessionSummary {
  /** The server's id for the connection (CapturedMessageSummary.sessionId). */
  id: string;
  /** The application's address and port (`127.0.0.1:53012`, `[::1]:53012`). */
  client: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  /** Why it ended, for people: `QUIT without DATA`, `refused: 421 …`, `TLS failed: …`, `aborted: …`. */
  ending: { kind: 'quit' | 'refused' | 'closed-by-server' | 'tls-failed' | 'aborted'; text: string };
  /** The messages it delivered, in order (none for a session refused, aborted or that failed TLS). */
  messageIds: string[];
  /** Its `.smtp` transcript file, or null when the server keeps no folder (CapturedSessionTranscriptCommand has the text). */
  transcriptPath: string | null;
  /** The TLS it used (STARTTLS or implicit), or null for plain text. */
  tls: { protocol: string; cipher: string } | null;
  /** The AUTH exchange: mechanism and user name only, never a credential; null when it did not authenticate. */
  auth: { mechanism: string; username: string; accepted: boolean } | null;
  /**
   * Each phase in order, in milliseconds: `connect` (to the greeting), each
   * command from the end of the previous reply to the end of its own (so the
   * application's own pauses count), `message` from the 354 to the reply to
   * its end. Consecutive commands of one verb are one phase with a `count`.
   */
  phases: { name: string; count: number; ms: number }[];
  /** A message was refused (452) because the capture folder reached its size limit. */
  folderFull: boolean;
}

/**
 * The embedded local server closed a connection and saved (or kept) its
 * transcript. Sent for every session, with or without messages, so an inbox
 * shows sessions that never delivered anything and why they ended.
 */
export namespace CapturedSessionNotification {
  export const method = 'smtp/capturedSession';
  export type Params = CapturedSessionSummary;
}

/**
 * The embedded local server accepted a message. Sent by the server as soon as
 * the message is saved (before the client's 250 arrives), so an inbox view
 * can list it while the session is still running; sent again, with `sentBy`,
 * when a run of this server turns out to have delivered it. The id is the
 * key: a second notification replaces the first.
 */
export namespace CapturedMessageNotification {
  export const method = 'smtp/capturedMessage';
  export type Params = CapturedMessageSummary;
}

// ─────────────────────────── requests: server → client ───────────────────────────

/**
 * Asks the client for the value of `{{$secret NAME}}` or `{{$prompt LABEL}}`.
 * Sent by the server while a run resolves a line that uses one, at most once
 * per name (or label) and run.
 *
 * The client answers from its secret store for `kind: 'secret'` (asking the
 * user with a password box when the store has none, and keeping the answer),
 * and always asks the user for `kind: 'prompt'`. `{ value: null }` means the
 * user declined: the session ends with an error naming the secret, before
 * anything that uses it is sent.
 *
 * The server cancels the request ($/cancelRequest) when the run is cancelled;
 * the client should then close its input box.
 *
 * Asked only of clients that declare `experimental.smtp.secretRequest`
 * (SmtpClientCapabilities). For every other client, and for one that answers
 * with an error, with `null` (Eglot answers unknown requests so) or with
 * something that is not `{ value }`: `$secret NAME` is read from the language
 * server's environment, `SMTP_SECRET_NAME` and then `NAME`, like the CLI does,
 * and `$prompt` fails with an error that says so. After such an answer the
 * server stops asking for its lifetime.
 *
 * The answer is the one message that carries a secret's value. The server
 * never logs, echoes or stores it beyond the run. A client that traces the
 * protocol (vscode-languageclient with `smtp.trace.server = verbose` prints
 * every response's content) must keep the value out of its trace, e.g. by
 * giving the client a trace channel that masks the values it handed out.
 */
export namespace SecretRequest {
  export const method = 'smtp/secret';
  export interface Params {
    runId: string;
    /** The document being run, so the client can say which file asks. */
    uri: string;
    kind: 'secret' | 'prompt';
    /** The secret's NAME, or the prompt's LABEL as written (`{{$prompt SMTP password}}` → "SMTP password"). */
    name: string;
    /**
     * The host of the server the session connects to, lower-cased as named
     * (`mail.example.org`, `192.0.2.7`; the embedded server's `127.0.0.1`).
     * A client that stores secrets keeps each for the host it was entered
     * for, and asks again (showing this host) when another host asks.
     */
    host: string;
  }
  export interface Result {
    /** The value, or null when the user declined. */
    value: string | null;
  }
}

/**
 * Asks the user before a run sends anything to a host that is neither a
 * loopback address nor the embedded server: which servers, and what would go
 * there. Sent by the server once per run, before anything connects, for the
 * hosts not yet confirmed in this window (all of them when the run says
 * `confirm: "always"`), unless `smtp.confirmRemoteRuns` is false.
 *
 * Only to clients that declare `experimental.smtp.confirmRemoteRun` (the VS
 * Code extension: a modal dialog, with "don't ask again" kept per
 * workspace). Other clients get `window/showMessageRequest` ("Run" /
 * "Cancel", asked once per host while the server runs) when they declare
 * `window.showMessage`; without either, the run is refused with an error
 * that says how to allow it.
 */
export namespace ConfirmRemoteRunRequest {
  export const method = 'smtp/confirmRemoteRun';
  export interface Params {
    /** The document being run. */
    uri: string;
    deliveries: RemoteDelivery[];
    /** The question in words, naming each host and what would go there (the text other editors get in window/showMessageRequest). */
    question: string;
    /** The run says `confirm: "always"`: ask now, whatever was answered before; do not offer "don't ask again". */
    always: boolean;
  }
  export interface Result {
    /** `remember`: run, and do not ask again for these hosts in this workspace. */
    decision: 'run' | 'remember' | 'cancel';
  }
}

/** What a run would send to one remote server, from the file as written (variables unresolved: never a secret). */
export interface RemoteDelivery {
  /** Lower-cased, as named. */
  host: string;
  port: number;
  /** 0-based indexes of the sessions going there. */
  sessions: number[];
  /** Messages whose end would be sent (DATA with a body, BDAT … LAST). */
  messages: number;
  /** RCPT TO paths as written, each once. */
  recipients: string[];
  /** Some session sends AUTH: credentials go to this host. */
  auth: boolean;
}

// ─────────────────────────── notifications: client → server ───────────────────────────

/**
 * The editor's workspace trust. A client that knows about trust (VS Code's
 * Restricted Mode) says `initializationOptions.workspaceTrusted: false` when
 * the workspace is not trusted, and sends this notification when the user
 * grants trust. While untrusted the server reads, checks and explains files
 * as usual but runs nothing and starts no local server: run commands fail
 * with a message that says to trust the workspace, and each session's code
 * lens reads "Trust this workspace to run" with the client command
 * TRUST_WORKSPACE_COMMAND. Clients that never say anything are trusted.
 */
export namespace WorkspaceTrustNotification {
  export const method = 'smtp/workspaceTrust';
  export interface Params {
    trusted: boolean;
  }
}

/** The client command the untrusted code lens names; the VS Code extension opens its workspace trust editor with it. */
export const TRUST_WORKSPACE_COMMAND = 'smtp.manageWorkspaceTrust';

// ───────────────────── what the client declares it implements ─────────────────────

/**
 * The client capability `experimental.smtp` in `initialize`: which of the
 * extensions above the client implements. The server sends a custom message
 * only to a client that declared it; every other client gets standard LSP
 * alone (diagnostics, `window/showMessage`, progress), which is enough to
 * see a run's outcome. The VS Code client declares every field.
 *
 *   "capabilities": { "experimental": { "smtp": { "secretRequest": true, "sessionEvents": true } } }
 */
export interface SmtpClientCapabilities {
  /** The client answers SecretRequest. Otherwise `{{$secret NAME}}` comes from the server's environment (`SMTP_SECRET_NAME`, then `NAME`). */
  secretRequest?: boolean;
  /** The client wants SessionEventNotification for every step of a run (inline results, a test tree). */
  sessionEvents?: boolean;
  /** The client shows the embedded server's LocalServerStatusNotification, CapturedMessageNotification and CapturedSessionNotification (status bar, inbox). */
  localServerEvents?: boolean;
  /** The client wants DocumentSessionsNotification for each checked version of an open document (a test tree that follows typing). */
  documentSessions?: boolean;
  /**
   * The client can execute VS Code's `editor.action.triggerSuggest`: completion
   * items that start a line (`C: `, `S: `) then open the next list at once.
   */
  triggerSuggestCommand?: boolean;
  /**
   * The client colours `.smtp` files with the extension's TextMate grammar
   * (syntaxes/smtp.tmLanguage.json). The server then sends semantic tokens
   * only where the parser knows more than the grammar (SASL responses, BDAT
   * chunks), so the grammar's finer scopes keep their colours; other clients
   * get a token for every part of a line.
   */
  textMateGrammar?: boolean;
  /** The client answers ConfirmRemoteRunRequest with its own dialog. Otherwise: window/showMessageRequest, or a refusal. */
  confirmRemoteRun?: boolean;
}

// ─────────────────────────── the server's process ───────────────────────────

/**
 * Node flags for the language server's process, used by the VS Code client
 * that starts it and by the benchmarks that measure it.
 *
 * Every keystroke re-parses the document, and the tree of a 10,000-line file
 * is several megabytes that stay alive while it is built. With Node's default
 * young generation, most of it is copied and promoted to the old generation
 * on every parse; a 32 MB semi-space lets it die young. Measured by
 * `npm run bench`: the median re-parse drops from about 15 ms to about 7 ms.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
