import type { Problem, VariableArgument, VariableReference } from './ast';
import { isSpace, range, skipSpaces, token } from './lines';

export interface ScannedReferences {
  references: VariableReference[];
  problems: Problem[];
}

const NAME = /[$A-Za-z_][\w.-]*/y;

/**
 * Finds `{{name}}` and `{{$function arg …}}` references in one line's text,
 * starting at column `offset`. Arguments may themselves be references, so
 * `{{$authPlain {{user}} {{$secret PASS}}}}` is one reference with two nested ones.
 * A `{{` without its `}}` is left as text and reported.
 */
export function scanVariableReferences(text: string, line: number, offset: number): ScannedReferences {
  const references: VariableReference[] = [];
  const problems: Problem[] = [];
  let index = text.indexOf('{{', offset);
  while (index !== -1) {
    const parsed = parseReference(text, line, index);
    if (parsed) {
      references.push(parsed.reference);
      index = text.indexOf('{{', parsed.end);
    } else {
      problems.push({
        code: 'unclosed-variable',
        severity: 'warning',
        message: `"{{" has no closing "}}", so it is sent as written. Close it ("{{name}}") to substitute a variable.`,
        range: range(line, index, text.length),
      });
      index = text.indexOf('{{', index + 2);
    }
  }
  return { references, problems };
}

function parseReference(text: string, line: number, open: number): { reference: VariableReference; end: number } | null {
  let position = skipSpaces(text, open + 2);
  NAME.lastIndex = position;
  const nameMatch = NAME.exec(text);
  const nameText = nameMatch ? nameMatch[0] : '';
  const name = token(nameText, line, position);
  position += nameText.length;
  const args: VariableArgument[] = [];
  for (;;) {
    position = skipSpaces(text, position);
    if (position >= text.length) return null;
    if (text.startsWith('}}', position)) {
      const end = position + 2;
      const reference: VariableReference = { range: range(line, open, end), name, system: nameText.startsWith('$'), args };
      return { reference, end };
    }
    if (text.startsWith('{{', position)) {
      const nested = parseReference(text, line, position);
      if (!nested) return null;
      args.push({ kind: 'reference', reference: nested.reference });
      position = nested.end;
      continue;
    }
    const start = position;
    while (position < text.length && !isSpace(text.charCodeAt(position)) && !text.startsWith('}}', position) && !text.startsWith('{{', position)) {
      position++;
    }
    args.push({ kind: 'literal', token: token(text.slice(start, position), line, start) });
  }
}
