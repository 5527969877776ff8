// Hides every secret value the extension handed to the language server from
// any text about to be logged. vscode-languageclient's verbose trace prints
// each response's content — including the answer to smtp/secret — as JSON, so
// a value is masked both as written and as JSON escapes it (a password with a
// quote or a backslash appears escaped there). Pure: no `vscode`.

/** Values remembered at once; the oldest is forgotten beyond this (after it, it is no longer masked — runs ask again anyway). */
export const MAX_MASKED_VALUES = 500;

export const MASK = '***';

export class SecretMask {
  /** Insertion-ordered, for the cap; each value with the forms it may take in a log. */
  private readonly values = new Map<string, string[]>();
  /** Longest forms first, so a secret containing another is masked whole. */
  private forms: string[] = [];

  add(value: string): void {
    if (value === '' || this.values.has(value)) return;
    const jsonEscaped = JSON.stringify(value).slice(1, -1);
    // A trace may also show the value escaped twice (a JSON string inside a JSON string).
    const twiceEscaped = JSON.stringify(jsonEscaped).slice(1, -1);
    this.values.set(value, [...new Set([value, jsonEscaped, twiceEscaped])]);
    while (this.values.size > MAX_MASKED_VALUES) this.values.delete(this.values.keys().next().value as string);
    this.forms = [...new Set([...this.values.values()].flat())].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    let masked = text;
    for (const form of this.forms) {
      if (masked.includes(form)) masked = masked.split(form).join(MASK);
    }
    return masked;
  }
}
