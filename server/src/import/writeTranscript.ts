import { utf8Length } from '../transcript/lines';
import type { Turn } from './turns';

export interface WriteOptions {
  /** What the turns were read from, for the header comment ("swaks output"). */
  sourceName: string;
  /**
   * A whole file: a header comment and `@server` from the connection the
   * source names. Otherwise lines that replace a pasted block in a file that
   * already has its own settings (the editor's quick fix): connections
   * become comments.
   */
  standalone: boolean;
}

/**
 * Writes the turns as `.smtp` text (docs/format.md) that reads back as the
 * same dialogue: replies after what they answer, message content after its
 * 354, chunks after their BDAT. On the way it keeps three promises of
 * `smtp-session import`:
 * - no credential is copied: AUTH responses become `{{$secret …}}` references,
 *   with a comment naming the secrets a replay needs;
 * - what the source did not show (a summarized or elided body) is marked and
 *   written so it checks as intended;
 * - what was not dialogue stays as `#` comments, outside bodies, where a
 *   comment cannot change what the lines mean.
 */
export function writeTranscript(turns: readonly Turn[], options: WriteOptions): string {
  const writer = new TranscriptWriter(options);
  for (const turn of turns) writer.add(turn);
  return writer.finish();
}

type Mode = 'dialogue' | 'after-data' | 'body' | 'chunk';

// A line that stands in for content the source did not show: "(message goes here)", "...".
const PLACEHOLDER = /^\s*(?:\(.*\)|\.\.\.|…|<[^<>]*>)\s*$/;
// RFC examples mark the line endings of BDAT chunks: "To: Susan@random.com<CR><LF>".
const LINE_END_MARKER = /<CR><LF>$|<CRLF>$/i;
// A body line the parser would read as a prefixed line if written bare (docs/format.md, "Message bodies").
const LOOKS_PREFIXED = /^(?:c|client):/i;

class TranscriptWriter {
  private readonly out: string[] = [];
  private mode: Mode = 'dialogue';
  /** Notes that arrive where a comment would be message content: written once the body or chunk ends. */
  private deferred: string[] = [];
  private dialogueStarted = false;
  private sessionCount = 0;
  private lastFinalCode: string | null = null;
  private repliesSinceData = 0;
  /** Index in `out` of the DATA or BDAT line whose content is being written. */
  private contentOwner = -1;
  private bodyLines = 0;
  private chunk: { size: number; octets: number; lines: string[]; markers: boolean } | null = null;
  /** The open AUTH exchange: where its line is, the secrets it needs, and what comes next. */
  private auth: { index: number; mechanism: string; secrets: Set<string>; saslNext: boolean } | null = null;
  private opaqueResponses = 0;
  /** Where the last `###` (and the blank line before it) was written. */
  private lastHeader = -1;

  constructor(private readonly options: WriteOptions) {
    if (options.standalone) this.out.push(`# Imported from ${options.sourceName} by smtp-session import. What was not dialogue is kept as comments.`);
  }

  add(turn: Turn): void {
    switch (turn.kind) {
      case 'note':
        return this.note(turn.text);
      case 'connection':
        return this.connection(turn);
      case 'break':
        return this.newSession();
      case 'elided-body':
        return this.elidedBody(turn.text);
      case 'server':
        return this.server(turn.text);
      case 'client':
        return this.client(turn.text);
    }
  }

  finish(): string {
    if (this.mode === 'chunk') this.endChunk();
    this.closeAuth();
    for (const note of this.deferred) this.out.push(comment(note));
    // The source's last example boundary was followed by prose only: no session to head.
    if (this.lastHeader >= 0 && !this.dialogueStarted) this.out.splice(this.lastHeader, 2);
    return `${this.out.join('\n')}\n`;
  }

  private note(text: string): void {
    if (this.mode !== 'dialogue') this.deferred.push(text);
    else this.out.push(comment(text));
  }

  private connection(turn: Extract<Turn, { kind: 'connection' }>): void {
    const address = turn.port === null ? turn.host : turn.host.includes(':') ? `[${turn.host}]:${turn.port}` : `${turn.host}:${turn.port}`;
    if (!this.options.standalone) return this.note(`connected to ${address}${turn.implicitTls ? ' with TLS from the first byte' : ''}`);
    this.newSession();
    this.out.push(`@server = ${address}`);
    if (turn.implicitTls) this.out.push('@tls = implicit');
  }

  /** Starts the next session once the current one holds dialogue; before that, the lines still belong to the first. */
  private newSession(): void {
    if (!this.dialogueStarted) return;
    if (this.mode === 'chunk') this.endChunk();
    this.closeAuth();
    this.flushDeferred();
    this.sessionCount++;
    this.out.push('', `### Session ${this.sessionCount + 1}`);
    this.lastHeader = this.out.length - 2;
    this.dialogueStarted = false;
    this.mode = 'dialogue';
    this.lastFinalCode = null;
  }

  private elidedBody(text: string): void {
    if ((this.mode === 'after-data' || this.mode === 'body') && this.bodyLines === 0 && this.contentOwner >= 0) {
      this.insertAt(this.contentOwner, comment(`${text}: the message content is not in the original, so the body here is empty.`));
      this.mode = 'body';
      return;
    }
    this.note(text);
  }

  private server(text: string): void {
    if (this.mode === 'chunk') this.endChunk();
    if (this.mode === 'body') {
      // A reply before the body's "." means the source lost the end of the body; the reply goes where the parser can pair it.
      this.note(`a server line came before the end of the message content: ${text}`);
      return;
    }
    this.dialogueStarted = true;
    this.out.push(`S: ${text}`);
    const final = /^([2-5][0-9]{2})(?: |$)/.exec(text);
    if (!final) return;
    this.lastFinalCode = final[1];
    if (this.mode === 'after-data') this.repliesSinceData++;
    if (this.auth) {
      this.auth.saslNext = final[1] === '334';
      if (!this.auth.saslNext) this.closeAuth();
    }
  }

  private client(text: string): void {
    this.dialogueStarted = true;
    if (this.mode === 'after-data') {
      // Only a 3xx as the last reply of the run invites the body; with no reply recorded it is due at once (docs/format.md).
      const invited = this.repliesSinceData === 0 || this.lastFinalCode?.[0] === '3';
      this.mode = invited ? 'body' : 'dialogue';
      if (!invited) this.flushDeferred();
    }
    if (this.mode === 'body') return this.bodyLine(text);
    if (this.mode === 'chunk') return this.chunkLine(text);
    if (this.auth?.saslNext) return this.saslResponse(text);
    this.closeAuth();
    this.command(text);
  }

  private command(text: string): void {
    const [verb = '', ...words] = text.trim().split(/\s+/);
    const upper = verb.toUpperCase();
    if (upper === 'AUTH' && words.length > 0) return this.authCommand(text, words);
    this.out.push(`C: ${text}`);
    if (upper === 'DATA' && words.length === 0) {
      this.mode = 'after-data';
      this.contentOwner = this.out.length - 1;
      this.bodyLines = 0;
      this.repliesSinceData = 0;
    } else if (upper === 'BDAT' && /^\d+$/.test(words[0] ?? '')) {
      const size = Number(words[0]);
      this.contentOwner = this.out.length - 1;
      if (size > 0) {
        this.mode = 'chunk';
        this.chunk = { size, octets: 0, lines: [], markers: false };
      }
    }
  }

  private bodyLine(text: string): void {
    if (text === '.') {
      this.out.push('.');
      this.mode = 'dialogue';
      this.flushDeferred();
      return;
    }
    if (this.bodyLines === 0 && PLACEHOLDER.test(text)) {
      this.insertAt(this.contentOwner, comment(`the original shows "${text.trim()}" in place of the message content, so the body here is empty.`));
      this.bodyLines = -1;
      return;
    }
    if (this.bodyLines < 0) return;
    this.bodyLines++;
    this.out.push(LOOKS_PREFIXED.test(text) ? `C: ${text}` : text);
  }

  private chunkLine(text: string): void {
    const chunk = this.chunk!;
    const marked = LINE_END_MARKER.test(text);
    const content = text.replace(LINE_END_MARKER, '');
    chunk.markers ||= marked;
    chunk.lines.push(content);
    chunk.octets += utf8Length(content) + (chunk.octets + utf8Length(content) === chunk.size && !marked ? 0 : 2);
    // A stand-in line ("(First 10000 octets …)") is the whole chunk: what follows is the dialogue again.
    if (chunk.octets >= chunk.size || PLACEHOLDER.test(content)) this.endChunk();
  }

  /**
   * Writes the chunk read so far. A chunk the source only describes
   * ("(First 10000 octets of canonical MIME message data)") cannot be
   * written as its octets, so its stand-in line is sent instead and the
   * BDAT size becomes the stand-in's, with a comment saying so. A chunk of
   * real lines is written as it is, so a size that does not match them stays
   * visible as bdat-size-mismatch.
   */
  private endChunk(): void {
    const chunk = this.chunk;
    this.mode = 'dialogue';
    this.chunk = null;
    if (!chunk) return;
    const described = chunk.lines.length > 0 && chunk.lines.every((line) => PLACEHOLDER.test(line));
    if (described && chunk.octets !== chunk.size) {
      const standIn = chunk.lines.map((line) => line.trim()).join('\r\n');
      const octets = utf8Length(standIn);
      const owner = this.out[this.contentOwner];
      this.out[this.contentOwner] = owner.replace(/^(C: \s*BDAT\s+)\d+/i, `$1${octets}`);
      this.insertAt(this.contentOwner, comment(`the original elides this chunk's ${chunk.size} octets; the line below stands in for them, and the size is the stand-in's.`));
      for (const line of chunk.lines) this.out.push(line.trim());
    } else {
      for (const line of chunk.lines) this.out.push(LOOKS_PREFIXED.test(line) ? `C: ${line}` : line);
    }
    this.flushDeferred();
  }

  private authCommand(text: string, words: string[]): void {
    const mechanism = words[0].toUpperCase();
    this.auth = { index: this.out.length, mechanism, secrets: new Set(), saslNext: false };
    const initial = words[1];
    if (initial === undefined || initial === '=') {
      this.out.push(`C: ${text}`);
      return;
    }
    const reference = mechanism === 'PLAIN' ? this.plainResponse() : mechanism === 'LOGIN' ? this.loginResponse('user') : this.opaqueResponse();
    this.out.push(`C: AUTH ${words[0]} ${reference}`);
  }

  private saslResponse(text: string): void {
    const auth = this.auth!;
    auth.saslNext = false;
    const response = text.trim();
    // "*" cancels the exchange (RFC 4954 §4): nothing secret in it.
    if (response === '*' || response === '') {
      this.out.push(`C: ${text}`);
      return;
    }
    let reference: string;
    if (auth.mechanism === 'PLAIN') reference = this.plainResponse();
    else if (auth.mechanism === 'LOGIN') reference = this.loginResponse(this.lastChallengeAsks());
    else reference = this.opaqueResponse();
    this.out.push(`C: ${reference}`);
  }

  /** What the last 334 asked for in AUTH LOGIN: its base64 text decoded ("Username:", "Password:"). */
  private lastChallengeAsks(): 'user' | 'password' {
    for (let i = this.out.length - 1; i >= 0; i--) {
      const match = /^S: 334 ?(.*)$/.exec(this.out[i]);
      if (!match) continue;
      const asked = Buffer.from(match[1].trim(), 'base64').toString('utf8');
      return /user/i.test(asked) ? 'user' : 'password';
    }
    return 'password';
  }

  private plainResponse(): string {
    this.auth!.secrets.add('SMTP_USER').add('SMTP_PASSWORD');
    return '{{$authPlain {{$secret SMTP_USER}} {{$secret SMTP_PASSWORD}}}}';
  }

  private loginResponse(asked: 'user' | 'password'): string {
    const name = asked === 'user' ? 'SMTP_USER' : 'SMTP_PASSWORD';
    this.auth!.secrets.add(name);
    return `{{$base64 {{$secret ${name}}}}}`;
  }

  private opaqueResponse(): string {
    const name = `SMTP_AUTH_RESPONSE_${++this.opaqueResponses}`;
    this.auth!.secrets.add(name);
    return `{{$secret ${name}}}`;
  }

  /** Ends the AUTH exchange: the comment above its line names the secrets a replay needs. */
  private closeAuth(): void {
    const auth = this.auth;
    this.auth = null;
    if (!auth || auth.secrets.size === 0) return;
    const names = [...auth.secrets];
    const opaque = names.some((name) => name.startsWith('SMTP_AUTH_RESPONSE_'));
    const why = opaque ? ` (an answer to the server's challenge of that session: a replay needs a new one)` : '';
    this.insertAt(auth.index, comment(`the credentials are not copied; a replay sends the secret${names.length === 1 ? '' : 's'} ${names.join(' and ')}${why}.`));
  }

  private flushDeferred(): void {
    for (const note of this.deferred) this.out.push(comment(note));
    this.deferred = [];
  }

  private insertAt(index: number, line: string): void {
    this.out.splice(index, 0, line);
    if (this.contentOwner >= index) this.contentOwner++;
    if (this.auth && this.auth.index >= index) this.auth.index++;
  }
}

// A password on a command line kept as a comment ("swaks … --auth-password s3cret", "mailx -S smtp-auth-password=s3cret").
const PASSWORD_OPTION = /((?:^|\s)(?:--?[\w-]*pass(?:word)?|-ap|-pw)(?:\s+|=))("[^"]*"|'[^']*'|\S+)/gi;
const PASSWORD_SETTING = /(\b[\w-]*pass(?:word|wd)?=)("[^"]*"|'[^']*'|\S+)/gi;

/** A note as a comment line, with any password it quotes masked: import copies no credential. */
function comment(text: string): string {
  const masked = text.replace(PASSWORD_OPTION, '$1***').replace(PASSWORD_SETTING, '$1***');
  return masked === '' ? '#' : `# ${masked}`;
}
