import type { Problem, Range, Token, VariableArgument, VariableReference } from './ast';
import { isAsciiLetter, isSpace, range, skipSpaces, token } from './lines';

export interface ScannedReferences {
  references: VariableReference[];
  problems: Problem[];
}

/**
 * How deep references may nest: `{{$authPlain {{user}} {{$secret PASS}}}}` is
 * 2 deep. Real files stay far below; the limit keeps every later walk over a
 * reference's arguments (substitution, checks, hover) shallow whatever the input.
 */
export const MAX_REFERENCE_NESTING = 16;

/** Unclosed `{{` reported one by one on a line; the rest share one problem. */
const MAX_UNCLOSED_REPORTED = 5;

/** A `{{` whose `}}` has not been read yet. */
interface OpenReference {
  open: number;
  name: Token;
  nameText: string;
  args: VariableArgument[];
  /** 1 for a reference without nested ones, plus one per level of nesting inside it. */
  depth: number;
}

/**
 * Finds `{{name}}` and `{{$function arg …}}` references in one line's text,
 * starting at column `offset`. Arguments may themselves be references, so
 * `{{$authPlain {{user}} {{$secret PASS}}}}` is one reference with two nested ones.
 * A `{{` without its `}}` is left as text and reported; references inside it
 * still count. A reference nested deeper than MAX_REFERENCE_NESTING is an error
 * and is sent as written.
 *
 * One pass with an explicit stack, no recursion: a line of 20,000 `{{` costs
 * what its length costs and cannot overflow the call stack.
 */
export function scanVariableReferences(text: string, line: number, offset: number): ScannedReferences {
  const references: VariableReference[] = [];
  const problems: Problem[] = [];
  const stack: OpenReference[] = [];
  let position = offset;
  for (;;) {
    if (stack.length === 0) {
      const open = text.indexOf('{{', position);
      if (open === -1) break;
      position = openReference(text, line, open, stack);
      continue;
    }
    position = skipSpaces(text, position);
    if (position >= text.length) break;
    const current = stack[stack.length - 1];
    if (text.startsWith('}}', position)) {
      position += 2;
      stack.pop();
      // The depth is kept for unclosed parents: their references count on their own (see below).
      const reference = new SourceReference(line, current.open, position, current.name, current.nameText.startsWith('$'), current.args, current.depth);
      const parent = stack[stack.length - 1];
      if (parent) {
        parent.args.push({ kind: 'reference', reference });
        parent.depth = Math.max(parent.depth, current.depth + 1);
      } else {
        topLevel(reference, references, problems);
      }
    } else if (text.startsWith('{{', position)) {
      position = openReference(text, line, position, stack);
    } else {
      const start = position;
      while (position < text.length && !isSpace(text.charCodeAt(position)) && !text.startsWith('}}', position) && !text.startsWith('{{', position)) {
        position++;
      }
      current.args.push({ kind: 'literal', token: token(text.slice(start, position), line, start) });
    }
  }
  // The line ended inside references: each open one is text, and the complete
  // references among their arguments are substituted on their own.
  for (let i = 0; i < stack.length; i++) {
    const frame = stack[i];
    if (i < MAX_UNCLOSED_REPORTED) problems.push(unclosed(line, frame.open, text.length));
    else if (i === MAX_UNCLOSED_REPORTED) problems.push(moreUnclosed(line, frame.open, text.length, stack.length - i));
    for (const arg of frame.args) if (arg.kind === 'reference') topLevel(arg.reference as SourceReference, references, problems);
  }
  return { references, problems };
}

/** What countReferences found on a line. */
export const enum ReferenceCount {
  /** No reference, and nothing to report. */
  None = 0,
  /** References, and nothing to report. */
  Clean = 1,
  /** Something to report (an unclosed `{{`, a reference nested too deep): scanVariableReferences says what. */
  Problems = 2,
}

/** Depths of the references open while countReferences reads a line; reused, as lines come one at a time. */
const openDepths: number[] = [];

/**
 * scanVariableReferences without building anything: the parser asks this of
 * every line that holds `{{` and scans in full only a line with problems to
 * report; the tree scans the references again when a rule or feature reads
 * them. Same reading as the scan above, with a depth per open reference for
 * its frame.
 */
export function countReferences(text: string, offset: number): ReferenceCount {
  let references = 0;
  let open = 0;
  let position = offset;
  for (;;) {
    if (open === 0) {
      const at = text.indexOf('{{', position);
      if (at === -1) break;
      position = skipName(text, skipSpaces(text, at + 2));
      openDepths[open++] = 1;
      continue;
    }
    position = skipSpaces(text, position);
    if (position >= text.length) break;
    if (text.startsWith('}}', position)) {
      position += 2;
      const depth = openDepths[--open];
      if (open > 0) openDepths[open - 1] = Math.max(openDepths[open - 1], depth + 1);
      else if (depth <= MAX_REFERENCE_NESTING) references++;
      else return ReferenceCount.Problems;
    } else if (text.startsWith('{{', position)) {
      position = skipName(text, skipSpaces(text, position + 2));
      openDepths[open++] = 1;
    } else {
      while (position < text.length && !isSpace(text.charCodeAt(position)) && !text.startsWith('}}', position) && !text.startsWith('{{', position)) position++;
    }
  }
  // A `{{` left open is reported (and its complete references count on their own): the full scan says how.
  if (open > 0) return ReferenceCount.Problems;
  return references > 0 ? ReferenceCount.Clean : ReferenceCount.None;
}

/** After a name (`[$A-Za-z_][\w.-]*`) that starts at `at`; `at` itself when none starts there. */
function skipName(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (!(first === 36 || first === 95 || isAsciiLetter(first))) return at;
  let i = at + 1;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!(isAsciiLetter(code) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45)) break;
  }
  return i;
}

/** A reference outside any other: kept, or reported when it nests too deep. */
function topLevel(reference: SourceReference, references: VariableReference[], problems: Problem[]): void {
  if (reference.depth <= MAX_REFERENCE_NESTING) references.push(reference);
  else problems.push(tooDeep(reference, reference.depth));
}

/** A reference keeps its columns and builds its Range when asked, like the tree's lines (sourceSteps.ts). */
class SourceReference implements VariableReference {
  constructor(
    private readonly line: number,
    private readonly start: number,
    private readonly end: number,
    readonly name: Token,
    readonly system: boolean,
    readonly args: VariableArgument[],
    /** 1 for a reference without nested ones, plus one per level of nesting inside it. */
    readonly depth: number,
  ) {}

  get range(): Range {
    return range(this.line, this.start, this.end);
  }
}

function openReference(text: string, line: number, open: number, stack: OpenReference[]): number {
  const position = skipSpaces(text, open + 2);
  const nameText = text.slice(position, skipName(text, position));
  stack.push({ open, name: token(nameText, line, position), nameText, args: [], depth: 1 });
  return position + nameText.length;
}

function unclosed(line: number, open: number, end: number): Problem {
  return {
    code: 'unclosed-variable', severity: 'warning', range: range(line, open, end),
    message: `"{{" has no closing "}}", so it is sent as written. Close it ("{{name}}") to substitute a variable.`,
  };
}

function moreUnclosed(line: number, open: number, end: number, count: number): Problem {
  return {
    code: 'unclosed-variable', severity: 'warning', range: range(line, open, end),
    message: `${count} more "{{" from here on have no closing "}}", so they are sent as written. Close them ("{{name}}") to substitute variables.`,
  };
}

function tooDeep(reference: VariableReference, depth: number): Problem {
  return {
    code: 'variable-nesting', severity: 'error', range: reference.range,
    message: `References nest ${depth} deep here; the limit is ${MAX_REFERENCE_NESTING}, so this one is sent as written. Put the inner values in variables ("@name = …") and refer to those.`,
  };
}
