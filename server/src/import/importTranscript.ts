import { detectSourceFormat, findSourceFormat, SOURCE_FORMATS, type SourceFormatName } from './sourceFormats';
import { sourceLines } from './turns';
import { writeTranscript } from './writeTranscript';

export type ImportFrom = SourceFormatName | 'auto';

export const IMPORT_FROM_NAMES: readonly ImportFrom[] = ['auto', ...SOURCE_FORMATS.map((format) => format.name)];

export type ImportResult =
  | { ok: true; text: string; format: SourceFormatName; dialogueLines: number }
  | { ok: false; message: string };

export interface ImportOptions {
  from?: ImportFrom;
  /** A whole file (default) or lines to replace a pasted block (see WriteOptions). */
  standalone?: boolean;
}

/**
 * Converts a transcript someone already has — swaks output, a >>>/<<< log,
 * a telnet/nc/openssl session, an RFC example — into `.smtp` text. Pure: text
 * in, text out; the CLI's `import` and the editor's quick fix and command all
 * call this one function.
 */
export function importTranscript(text: string, options: ImportOptions = {}): ImportResult {
  const lines = sourceLines(text);
  const from = options.from ?? 'auto';
  const format = from === 'auto' ? detectSourceFormat(lines) : findSourceFormat(from);
  if (!format) {
    return {
      ok: false,
      message: `No SMTP dialogue recognised. import reads ${SOURCE_FORMATS.map((known) => known.looksLike).join('; ')}. Name the format with --from ${SOURCE_FORMATS.map((known) => known.name).join('|')} if it is one of these.`,
    };
  }
  const turns = format.read(lines);
  const dialogueLines = turns.filter((turn) => turn.kind === 'client' || turn.kind === 'server').length;
  if (dialogueLines === 0) return { ok: false, message: `No dialogue lines found reading this as ${format.description}: nothing was read as sent by the client or answered by the server. Try --from auto, or another format.` };
  return { ok: true, text: writeTranscript(turns, { sourceName: format.description, standalone: options.standalone ?? true }), format: format.name, dialogueLines };
}
