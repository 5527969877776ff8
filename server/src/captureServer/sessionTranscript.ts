// One inbound connection of the capture server written down as a `.smtp`
// transcript (docs/format.md): what the application sent as `C:` lines, what
// we answered as `S:` lines, each message body as sent. The lines are turns
// for import's writer (import/writeTranscript.ts), so the promises it keeps
// hold here too — above all that AUTH responses become `{{$secret …}}`
// references with a comment, never the credentials.
import { writeTranscript } from '../import/writeTranscript';
import type { Turn } from '../import/turns';
import type { MessageContent } from './messageSpool';

/** Dialogue lines kept per connection: a client that sends NOOP for ever does not grow the server without bound. */
export const MAX_TRANSCRIPT_LINES = 10_000;

/** What the end of DATA left to write in place of the body. */
export type RecordedBody =
  /** The message as received (dots unstuffed): written back as body lines, dots stuffed again. */
  | { kind: 'content'; content: MessageContent; fileName: string | null }
  /** Nothing kept (refused for its size, the folder full, the client gone): an empty body and a comment saying why. */
  | { kind: 'not-kept'; why: string };

export interface TranscriptHeader {
  startedAt: Date;
  /** The application's address and port, as the socket saw them. */
  client: string;
  /** The server it reached, for `@server`: a replay goes to the same one. */
  host: string;
  port: number;
  implicitTls: boolean;
}

export class SessionTranscript {
  private readonly turns: Turn[] = [];
  private cut = false;

  constructor(private readonly header: TranscriptHeader) {}

  /** A command line, or a SASL response while an AUTH exchange is open (the writer tells them apart by the 334 before it). */
  client(line: string): void {
    this.push({ kind: 'client', text: line, line: 0 });
  }

  /** What went on the wire in one write: one or more reply lines. */
  server(payload: string): void {
    for (const line of payload.split('\r\n')) if (line !== '') this.push({ kind: 'server', text: line, line: 0 });
  }

  note(text: string): void {
    this.push({ kind: 'note', text, line: 0 });
  }

  /** The body of the message just received, and its `.` line; called before the reply to the end of data is sent. */
  body(body: RecordedBody): void {
    if (this.cut) return;
    if (body.kind === 'not-kept') {
      this.turns.push({ kind: 'elided-body', text: body.why, line: 0 });
    } else if (body.content.kind === 'memory' && isPlainText(body.content.raw)) {
      const text = body.content.raw.toString('utf8');
      const lines = text.endsWith('\r\n') ? text.slice(0, -2).split('\r\n') : text.split('\r\n');
      if (text === '') lines.length = 0;
      // Wire form: what the application sent had its leading dots doubled (RFC 5321 §4.5.2).
      for (const line of lines) this.turns.push({ kind: 'client', text: line.startsWith('.') ? `.${line}` : line, line: 0 });
    } else if (body.fileName !== null) {
      // A large message (or one with bytes a text line cannot hold) is sent again from its saved file, which sits next to this transcript.
      this.turns.push({ kind: 'client', text: `{{$file ${body.fileName}}}`, line: 0 });
    } else {
      this.turns.push({ kind: 'elided-body', text: 'the message is not kept as a file (the server has no folder) and is too large or not plain text to write here', line: 0 });
    }
    this.turns.push({ kind: 'client', text: '.', line: 0 });
  }

  /** The `.smtp` text: a session headed by when and from where, then the dialogue. */
  text(): string {
    const { startedAt, client, host, port, implicitTls } = this.header;
    const server = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const head = [
      `### ${startedAt.toISOString()} ${client}`,
      '# Recorded by the smtp-session capture server. Replay it against the same server with smtp-session run.',
      `@server = ${server}`,
      ...(implicitTls ? ['@tls = implicit'] : []),
      // The capture server's certificate is self-signed, made when it started.
      '@tls-verify = false',
    ];
    return `${head.join('\n')}\n${writeTranscript(this.turns, { sourceName: 'the capture server', standalone: false })}`;
  }

  private push(turn: Turn): void {
    if (this.cut) return;
    if (this.turns.length >= MAX_TRANSCRIPT_LINES) {
      this.cut = true;
      this.turns.push({ kind: 'note', text: `the transcript stops here: a connection keeps at most ${MAX_TRANSCRIPT_LINES} lines`, line: 0 });
      return;
    }
    this.turns.push(turn);
  }
}

/** UTF-8 with CRLF line ends only: what body lines can hold as written (a lone CR or LF, or other bytes, need the saved file). */
function isPlainText(raw: Buffer): boolean {
  const text = raw.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(raw)) return false;
  return !/\r(?!\n)|(?<!\r)\n|\0/.test(text);
}
