// The argument of `{{$reply /REGEX/flags}}`: a JavaScript regular expression
// between slashes, searched in the most recent reply (docs/format.md,
// "Values from replies"). Read here once for the analysis and the engine.

export type ReplyPattern = { ok: true; pattern: RegExp } | { ok: false; message: string };

/** Flags that change what matches; g and y would make a search depend on the one before. */
const FLAGS = /^[imsu]*$/;

export function parseReplyPattern(written: string): ReplyPattern {
  const text = written.trim();
  const close = text.lastIndexOf('/');
  if (!text.startsWith('/') || close <= 0) {
    return { ok: false, message: `"${text}" is not a pattern: write it between slashes, e.g. {{$reply /queued as (\\S+)/}}.` };
  }
  const source = text.slice(1, close);
  const flags = text.slice(close + 1);
  if (source === '') return { ok: false, message: 'the pattern "//" is empty: write what to look for between the slashes.' };
  if (!FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    return { ok: false, message: `"${flags}" after the pattern: only the flags i, m, s and u are allowed, each once.` };
  }
  try {
    return { ok: true, pattern: new RegExp(source, flags) };
  } catch (error) {
    return { ok: false, message: `/${source}/ is not a valid regular expression: ${(error as Error).message.replace(/^Invalid regular expression: (\/.*\/[a-z]*: )?/, '')}.` };
  }
}

/** What `{{$reply /REGEX/}}` gives for these reply lines: the first capture group that took part in the first match, else the whole match; null when nothing matches. */
export function matchReply(pattern: RegExp, lines: readonly string[]): string | null {
  const match = pattern.exec(lines.join('\n'));
  if (match === null) return null;
  // With alternatives (`/queued as (\S+)|id=(\S+)/`) only one group takes part: that one is the value.
  for (let group = 1; group < match.length; group++) if (match[group] !== undefined) return match[group];
  return match[0];
}
