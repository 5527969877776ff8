// `smtp-session run --record OUT.smtp`: the dialogue as it really happened,
// written back as a transcript that `smtp-session check` accepts without
// errors and `smtp-session run` replays.
//
// The engine describes what it sent and received as RecordedLines while it
// plays (it alone knows the secrets, so it decides what may be written);
// formatRecording turns them into .smtp text, taking care of what the format
// would otherwise read differently:
//
// - `{{` in text that was sent literally would be read as a reference, so a
//   `{` before another `{` is written `{{open-brace}}` with `@open-brace = {`
//   defined for the session;
// - a body line that looks like a `C:` or `S:` line gets a `C: ` prefix (the
//   format strips it again);
// - a BDAT command declares the octets of its chunk lines as written;
// - a reply code outside RFC 5321's range (second digit 6–9) gets an `x`
//   wildcard there, with a comment saying what came.
//
// Secrets never reach a recording: the S: lines and comments are the
// engine's redacted text, and a client line that carried a secret or a
// credential is written as the references it came from when those are safe
// to show (only system functions such as {{$secret NAME}}, no secret value in
// them), or else as a `{{$secret RECORDED_LINE_n}}` placeholder with a comment
// saying what to set to replay it.

import { relative, dirname, isAbsolute } from 'node:path';
import { allReferences } from '../analysis/variableScope';
import type { VariableReference } from '../transcript/ast';

/** A piece of a recorded client line: characters as sent, or text already in .smtp syntax (references). */
export type RecordedPart = { literal: string } | { syntax: string };

export interface RecordedChunkLine {
  parts: RecordedPart[];
  /** The chunk's last line, sent without CRLF. */
  withoutLineEnding: boolean;
}

export type RecordedLine =
  /** One line of text, already escaped for display and redacted. */
  | { kind: 'comment'; text: string }
  /** A connection variable the replay needs (`@tls = implicit`). */
  | { kind: 'setting'; name: string; value: string }
  /** A command or SASL response line, as sent. */
  | { kind: 'client'; parts: RecordedPart[] }
  /** A BDAT command and its chunk; the size is worked out from the lines as written. */
  | { kind: 'bdat'; verb: string; rest: string; chunk: RecordedChunkLine[] }
  /** A DATA body line in wire form (a leading `..` is as sent). */
  | { kind: 'body'; parts: RecordedPart[] }
  /** A `{{$file PATH}}` body line; `path` is absolute and made relative to the recording when written. */
  | { kind: 'file'; path: string }
  | { kind: 'end-of-data' }
  /** A reply line as received (`250-PIPELINING`), escaped for display and redacted. */
  | { kind: 'reply'; line: string };

export interface RecordedSession {
  name: string | null;
  /** 1-based line of the session in the file that was run. */
  line: number;
  /**
   * `host:port` for the `@server` line; null when the session went to the
   * embedded local server (the replay does too); '' when it ended before a
   * server was chosen (a usage error).
   */
  server: string | null;
  lines: RecordedLine[];
}

export interface RecordingOptions {
  /** The file that was run, for the header. */
  source: string;
  /** Where the recording will be written: `{{$file}}` paths are made relative to its folder. */
  recordingPath: string;
  /** When the run happened. */
  date: Date;
}

/** The variable that stands for a literal `{` that would otherwise start a reference. */
export const OPEN_BRACE_VARIABLE = 'open-brace';
const OPEN_BRACE_REFERENCE = `{{${OPEN_BRACE_VARIABLE}}}`;

/** The recording as .smtp text (LF line endings, ending with a newline). */
export function formatRecording(sessions: readonly RecordedSession[], options: RecordingOptions): string {
  const out = [
    `# Recorded by smtp-session run from ${oneLine(options.source)} on ${options.date.toISOString()}.`,
    '# The S: lines are what the server answered. Secrets and credentials are not recorded: see the comment at each line that had one.',
  ];
  for (const session of sessions) {
    out.push('', `### ${oneLine(session.name ?? `Session at line ${session.line}`)}`);
    if (session.server) out.push(`@server = ${session.server}`);
    else if (session.server === null) out.push('# No @server: this ran against the embedded local server, and so will the replay.');
    const writer = new SessionWriter(options);
    for (const line of session.lines) writer.write(line);
    if (writer.usedOpenBrace) out.push(`@${OPEN_BRACE_VARIABLE} = {`);
    out.push(...writer.lines);
  }
  return `${out.join('\n')}\n`;
}

class SessionWriter {
  readonly lines: string[] = [];
  usedOpenBrace = false;

  constructor(private readonly options: RecordingOptions) {}

  write(line: RecordedLine): void {
    switch (line.kind) {
      case 'comment':
        this.lines.push(`# ${oneLine(line.text)}`);
        return;
      case 'setting':
        this.lines.push(`@${line.name} = ${oneLine(line.value)}`);
        return;
      case 'client':
        this.lines.push(`C: ${this.render(line.parts)}`);
        return;
      case 'bdat': {
        const chunk = line.chunk.map((chunkLine) => ({ text: this.render(chunkLine.parts), withoutLineEnding: chunkLine.withoutLineEnding }));
        // The format counts each line's octets as written, plus 2 for its CRLF (docs/format.md, "Chunks").
        const size = chunk.reduce((sum, chunkLine) => sum + Buffer.byteLength(chunkLine.text, 'utf8') + (chunkLine.withoutLineEnding ? 0 : 2), 0);
        this.lines.push(`C: ${line.verb} ${size}${line.rest}`);
        for (const chunkLine of chunk) this.lines.push(bodyText(chunkLine.text));
        return;
      }
      case 'body':
        this.lines.push(bodyText(this.render(line.parts)));
        return;
      case 'file':
        this.lines.push(`{{$file ${filePath(line.path, this.options.recordingPath)}}}`);
        return;
      case 'end-of-data':
        this.lines.push('.');
        return;
      case 'reply':
        this.reply(line.line);
        return;
    }
  }

  private reply(text: string): void {
    // The engine's reader only hands out lines that start with a code whose first digit is 2–5.
    const second = text.charCodeAt(1);
    let line = text;
    if (second >= 0x36 && second <= 0x39) {
      this.lines.push(`# The server answered ${text.slice(0, 3)}, a code outside RFC 5321's range; recorded with a wildcard digit.`);
      line = `${text[0]}x${text.slice(2)}`;
    }
    this.lines.push(`S: ${this.escapeBraces(line, '')}`);
  }

  private render(parts: readonly RecordedPart[]): string {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if ('syntax' in part) {
        out += part.syntax;
        continue;
      }
      const next = parts[i + 1];
      const following = next === undefined ? '' : 'syntax' in next ? next.syntax : next.literal;
      out += this.escapeBraces(part.literal, following);
    }
    return out;
  }

  /** Every `{` followed by another `{` (in this text or the text that follows it) becomes {{open-brace}}. */
  private escapeBraces(text: string, following: string): string {
    if (!text.includes('{')) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const next = i + 1 < text.length ? text[i + 1] : following[0];
      if (text[i] === '{' && next === '{') {
        out += OPEN_BRACE_REFERENCE;
        this.usedOpenBrace = true;
      } else {
        out += text[i];
      }
    }
    return out;
  }
}

/** A body or chunk line that the parser would take for a prefixed line keeps its text behind a `C: ` of its own. */
function bodyText(text: string): string {
  return /^[ \t]*(?:c|s|client|server):/i.test(text) ? `C: ${text}` : text;
}

function filePath(path: string, recordingPath: string): string {
  const fromRecording = relative(dirname(recordingPath), path);
  return fromRecording !== '' && !isAbsolute(fromRecording) ? fromRecording : path;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Where a recorded client line came from in the transcript. */
export interface LineSource {
  /** 1-based line, for comments and placeholder names. */
  line: number;
  /** The text as written after the prefix. */
  text: string;
  /** Column of `text` in its line (references carry columns). */
  startColumn: number;
  references: readonly VariableReference[];
}

export interface RecordableLine {
  parts: RecordedPart[];
  /** Comment to write with the line (the reason a placeholder stands there and what to set); null when none is needed. */
  note: string | null;
}

export interface RecordableOptions {
  redact(text: string): string;
  /**
   * 'command' and 'sasl' are C: lines; 'body' a DATA body line; 'chunk' a BDAT
   * chunk line. A SASL response is a credential whatever it holds, and so is
   * the initial response of an AUTH command.
   */
  kind: 'command' | 'sasl' | 'body' | 'chunk';
}

const LINE_BREAK = /[\r\n]/;

/**
 * What to record for one client line that was sent as `sent` (after
 * substitution): the text itself when it holds nothing secret and can be
 * written as it is; otherwise the references it came from, or a placeholder.
 */
export function recordableLine(sent: string, source: LineSource, options: RecordableOptions): RecordableLine {
  const credential = credentialOf(sent, source, options.kind);
  if (credential) return recordableCredential(sent, source, credential, options);
  const writable = !LINE_BREAK.test(sent) && !(options.kind === 'body' && sent === '.');
  if (writable && options.redact(sent) === sent) return { parts: [{ literal: sent }], note: null };
  if (asWritten(source, source.text, source.references, options.redact, false)) return { parts: [{ syntax: source.text }], note: null };
  const name = `RECORDED_LINE_${source.line}`;
  const redacted = options.redact(sent);
  if (writable && !sent.includes('***') && redacted.includes('***')) {
    // Each hidden part becomes a secret of its own; the rest of the line stays as sent.
    const pieces = redacted.split('***');
    const names = pieces.slice(1).map((_, i) => (pieces.length === 2 ? name : `${name}_${i + 1}`));
    const parts: RecordedPart[] = [];
    pieces.forEach((piece, i) => {
      if (piece !== '') parts.push({ literal: piece });
      if (i < names.length) parts.push({ syntax: `{{$secret ${names[i]}}}` });
    });
    const which = names.length === 1 ? `the secret ${names[0]}` : `the secrets ${names.join(', ')}`;
    return { parts, note: `line ${source.line}: what this line held from a secret is not recorded; to replay it, set ${which} to the value${names.length === 1 ? '' : 's'} used.` };
  }
  // A lone CR or LF, a lone ".", or a line that already shows "***": the whole line (after a command's verb) stands in.
  const verb = options.kind === 'command' ? /^\S+ ?/.exec(sent)?.[0] ?? '' : '';
  const reason = LINE_BREAK.test(sent) ? 'held a lone CR or LF' : sent === '.' ? 'was a single "."' : 'held a secret';
  return {
    parts: [...(verb ? [{ literal: verb }] : []), { syntax: `{{$secret ${name}}}` }],
    note: `line ${source.line}: this line ${reason} and is not recorded as sent; to replay it, set the secret ${name} to ${verb ? `what followed "${verb.trim()} "` : 'the line'}.`,
  };
}

interface Credential {
  /** What was sent before the credential, e.g. `AUTH PLAIN `. */
  prefix: string;
  /** The credential as sent. */
  value: string;
  /** The credential as written (from its first word), and its references. */
  written: string;
  references: readonly VariableReference[];
}

/** A SASL response is a credential; so is the initial response of AUTH (RFC 4954 §4). */
function credentialOf(sent: string, source: LineSource, kind: RecordableOptions['kind']): Credential | null {
  if (kind === 'sasl') return { prefix: '', value: sent, written: source.text, references: source.references };
  if (kind !== 'command') return null;
  const sentMatch = /^(AUTH[ \t]+\S+[ \t]+)(\S.*)$/i.exec(sent);
  if (!sentMatch) return null;
  const writtenMatch = /^(\S+[ \t]+\S+[ \t]+)(\S.*)$/.exec(source.text);
  // Written differently (a variable holding mechanism and response together): nothing of it is shown.
  if (!writtenMatch) return { prefix: sentMatch[1], value: sentMatch[2], written: '', references: [] };
  const from = source.startColumn + writtenMatch[1].length;
  return {
    prefix: sentMatch[1], value: sentMatch[2], written: writtenMatch[2],
    references: source.references.filter((reference) => reference.range.start.character >= from),
  };
}

function recordableCredential(sent: string, source: LineSource, credential: Credential, options: RecordableOptions): RecordableLine {
  const prefix: RecordedPart[] = credential.prefix ? [{ literal: credential.prefix }] : [];
  // `*` cancels a SASL exchange and `=` is an empty initial response (RFC 4954 §4): nothing to hide.
  if (credential.value === '*' || credential.value === '=') return { parts: [{ literal: sent }], note: null };
  if (asWritten(source, credential.written, credential.references, options.redact, true)) {
    return { parts: [...prefix, { syntax: credential.written }], note: null };
  }
  const name = `RECORDED_LINE_${source.line}`;
  const original = referencesOnly(source, credential.written, credential.references) && options.redact(source.text) === source.text
    ? `, or write the line as the original does: C: ${source.text}`
    : '';
  const what = options.kind === 'sasl' ? 'SASL response' : `initial response of ${credential.prefix.trim()}`;
  return {
    parts: [...prefix, { syntax: `{{$secret ${name}}}` }],
    note: `line ${source.line}: the ${what} (a credential) is not recorded; to replay, set the secret ${name} to it${original}.`,
  };
}

/**
 * Whether `text` (part of the source line) can go into the recording as
 * written: it uses only system functions other than $file (the recording does
 * not carry the file's plain variables), no `{{` outside them, no secret value
 * written out, and — for a credential — nothing but references.
 */
function asWritten(source: LineSource, text: string, references: readonly VariableReference[], redact: (text: string) => string, referencesOnlyRequired: boolean): boolean {
  if (references.length === 0) return false;
  const all = allReferences(references);
  if (all.some((reference) => !reference.system || reference.name.text === '$file')) return false;
  const rest = outsideReferences(source, text, references);
  if (rest === null || rest.includes('{{')) return false;
  if (referencesOnlyRequired && rest.trim() !== '') return false;
  return redact(text) === text;
}

function referencesOnly(source: LineSource, text: string, references: readonly VariableReference[]): boolean {
  const rest = outsideReferences(source, text, references);
  return references.length > 0 && rest !== null && rest.trim() === '' && !rest.includes('{{');
}

/** `text` with the top-level references taken out; null when a reference is not inside it. */
function outsideReferences(source: LineSource, text: string, references: readonly VariableReference[]): string | null {
  const textStart = source.startColumn + source.text.length - text.length;
  let rest = '';
  let from = 0;
  for (const reference of references) {
    const start = reference.range.start.character - textStart;
    const end = reference.range.end.character - textStart;
    if (start < from || end > text.length) return null;
    rest += text.slice(from, start);
    from = end;
  }
  return rest + text.slice(from);
}
