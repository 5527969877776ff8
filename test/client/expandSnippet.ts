// A snippet body as VS Code inserts it when every placeholder keeps its default.

/**
 * VS Code's snippet syntax, as far as these snippets may use it: `\$`, `\}`
 * and `\\` escapes, tab stops `$1` / `${1}`, placeholders `${1:default}`
 * (nested), choices `${1|a,b|}` (the first), and mirrors of a placeholder.
 * A `$name` variable is refused: in a snippet `$secret` would be replaced by
 * VS Code, so the `.smtp` system variables must be written `\$secret`.
 */
export function expandSnippet(body: string): string {
  const defaults = new Map<string, string>();
  let position = 0;

  const parse = (insidePlaceholder: boolean): string => {
    let text = '';
    while (position < body.length) {
      const char = body[position];
      if (char === '\\' && position + 1 < body.length && '$}\\'.includes(body[position + 1])) {
        text += body[position + 1];
        position += 2;
      } else if (char === '}' && insidePlaceholder) {
        return text;
      } else if (char === '$') {
        text += parseDollar();
      } else {
        text += char;
        position++;
      }
    }
    if (insidePlaceholder) throw new Error(`unclosed placeholder in ${JSON.stringify(body)}`);
    return text;
  };

  const parseDollar = (): string => {
    const rest = body.slice(position);
    const bare = /^\$(\d+)/.exec(rest) ?? /^\$\{(\d+)\}/.exec(rest);
    if (bare) {
      position += bare[0].length;
      return `\u0000${bare[1]}\u0000`; // a mirror, filled in once every default is known
    }
    const choice = /^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(rest);
    if (choice) {
      position += choice[0].length;
      const first = choice[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
      defaults.set(choice[1], first);
      return first;
    }
    const placeholder = /^\$\{(\d+):/.exec(rest);
    if (placeholder) {
      position += placeholder[0].length;
      const value = parse(true);
      position++; // the closing }
      defaults.set(placeholder[1], value);
      return value;
    }
    throw new Error(`"${rest.slice(0, 20)}" is a snippet variable VS Code would replace; write \\\\$ in the JSON for a literal $`);
  };

  const text = parse(false);
  return text.replace(/\u0000(\d+)\u0000/g, (_, index: string) => defaults.get(index) ?? '');
}
