// Secrets are shown as `***` in every event, log, result, recording and error:
// a run's output is pasted into tickets and chat, so no secret may be in it,
// whatever the server echoes. The Redactor learns each secret value as it is resolved and
// replaces every occurrence in any text about to be shown.

import { escapeForDisplay } from './displayText';

/**
 * Secrets shorter than this are not redacted by search and replace.
 *
 * Why: replacing every occurrence of a one- or two-character value would wreck
 * every line shown (a password `a` would turn `250 mx.example.org` into
 * `250 mx.ex***mple.org`) and would still give the secret away — the pattern of
 * `***` marks exactly where the value occurs in known text. Such a value is no
 * secret worth the name. Lines known to carry credentials (an AUTH initial
 * response, every SASL response) are hidden whole by the engine, whatever their
 * length, and derived forms such as `$authPlain`'s base64 are long enough to be
 * redacted here. Values made only of whitespace are ignored for the same reason.
 */
export const MIN_SECRET_LENGTH = 3;

export const REDACTED = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  /**
   * Remembers a secret. Its display form (control characters escaped, see
   * escapeForDisplay) is remembered too, so text can be redacted before or after
   * it is escaped.
   */
  add(secret: string): void {
    for (const form of [secret, escapeForDisplay(secret)]) {
      if (form.length >= MIN_SECRET_LENGTH && form.trim() !== '') this.secrets.add(form);
    }
  }

  /** How many distinct forms are known (for tests and diagnostics; never the values). */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * Every occurrence of every secret becomes `***`. Occurrences that overlap or
   * touch (a secret inside a longer one, two secrets sharing characters) merge
   * into one `***`, so no fragment of either is left showing — which is what
   * replacing the longest secrets first would do, and more.
   */
  redact(text: string): string {
    if (this.secrets.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const spans: Array<[number, number]> = [];
    for (const secret of this.secrets) {
      for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
        spans.push([at, at + secret.length]);
      }
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let shown = 0; // text before this index is already in `out`
    let [start, end] = spans[0];
    for (const [from, to] of spans) {
      if (from <= end) {
        end = Math.max(end, to);
        continue;
      }
      out += text.slice(shown, start) + REDACTED;
      shown = end;
      [start, end] = [from, to];
    }
    return out + text.slice(shown, start) + REDACTED + text.slice(end);
  }
}
