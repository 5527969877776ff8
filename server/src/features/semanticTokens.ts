import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { REPLY_FIRST_DIGITS, type ReplyOutcome } from '../protocol/replyCodes';
import type { Body, CommandStep, Range, ReplyLine, Session, Step, TranscriptFile, VariableDefinition, VariableReference } from '../transcript/ast';

/**
 * Semantic tokens in two depths, because the two kinds of editor colour
 * `.smtp` files differently.
 *
 * - `full`: for editors without the TextMate grammar (Neovim, Helix, Emacs,
 *   Sublime…): every part of a line gets a standard token type, so a theme
 *   colours a transcript as VS Code's grammar does — prefixes and verbs as
 *   keywords, reply codes as numbers with their class as a modifier
 *   (`success`, `intermediate`, `transient`, `permanent`), addresses and body
 *   text as strings, parameters, variables, system functions, comments,
 *   session headings, header names.
 * - `beyondGrammar`: for a client that colours with the grammar (VS Code
 *   declares `experimental.smtp.textMateGrammar`): only what the grammar
 *   cannot know. It cannot follow replies, so it cannot tell that the line
 *   after a 334 is a SASL response rather than a command, nor count the
 *   octets of a BDAT chunk; these lines are marked as strings. Every other
 *   part keeps the grammar's finer scopes (and the colours themes give them).
 */
export type SemanticDepth = 'full' | 'beyondGrammar';

const TOKEN_TYPES = ['keyword', 'number', 'string', 'parameter', 'variable', 'function', 'comment', 'namespace', 'property', 'operator'] as const;
const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'success', 'intermediate', 'transient', 'permanent'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

interface Painted {
  line: number;
  start: number;
  end: number;
  type: TokenType;
  modifiers: number;
}

const COMMENT_LINE = /^\s*(#(?!##)|\/\/)/;
const HEADER_NAME = /^[!-9;-~]+(?=:)/;

/** `lines`: the document's text split into lines, for the comments before the first session (the tree keeps none). */
export function getSemanticTokens(file: TranscriptFile, lines: readonly string[], depth: SemanticDepth = 'full'): SemanticTokens {
  const painted: Painted[] = [];
  const paint = (range: Range, type: TokenType, ...modifiers: TokenModifier[]) => {
    if (range.start.line !== range.end.line || range.end.character <= range.start.character) return;
    const bits = modifiers.reduce((sum, modifier) => sum | (1 << TOKEN_MODIFIERS.indexOf(modifier)), 0);
    painted.push({ line: range.start.line, start: range.start.character, end: range.end.character, type, modifiers: bits });
  };
  if (depth === 'full') {
    const firstSessionLine = file.sessions[0]?.range.start.line ?? lines.length;
    for (let line = 0; line < firstSessionLine; line++) {
      if (COMMENT_LINE.test(lines[line] ?? '')) paint(lineRange(line, lines[line]), 'comment');
    }
    for (const definition of file.fileVariables) paintDefinition(paint, definition);
  }
  for (const session of file.sessions) paintSession(paint, session, lines, depth);
  return build(painted);
}

type Paint = (range: Range, type: TokenType, ...modifiers: TokenModifier[]) => void;

function paintSession(paint: Paint, session: Session, lines: readonly string[], depth: SemanticDepth): void {
  for (const step of session.steps) {
    if (depth === 'full') paintStep(paint, step, lines);
    else paintBeyondGrammar(paint, step);
  }
  if (depth === 'full' && session.separator) paint(session.separator.range, 'namespace', 'declaration');
}

function paintBeyondGrammar(paint: Paint, step: Step): void {
  if (step.kind === 'sasl') paint(step.text.range, 'string');
  if (step.kind === 'command' && step.body?.kind === 'bdat') {
    for (const line of step.body.lines) paint(line.text.range, 'string');
  }
}

function paintStep(paint: Paint, step: Step, lines: readonly string[]): void {
  switch (step.kind) {
    case 'comment':
      paint(lineRange(step.line, lines[step.line]), 'comment');
      return;
    case 'variable':
      paintDefinition(paint, step);
      return;
    case 'sasl':
      paint(step.prefix.range, 'keyword');
      paint(step.text.range, 'string');
      paintReferences(paint, step.variables);
      return;
    case 'reply':
      for (const line of step.lines) paintReplyLine(paint, line);
      return;
    case 'command':
      paintCommand(paint, step);
  }
}

function paintCommand(paint: Paint, step: CommandStep): void {
  paint(step.prefix.range, 'keyword');
  paint(step.verb.range, 'keyword');
  if (step.path) {
    paint(step.path.keyword.range, 'keyword');
    if (step.path.address) paint(step.path.address.range, 'string');
  }
  for (const parameter of step.parameters) {
    paint(parameter.name.range, 'parameter');
    if (parameter.value) paint(parameter.value.range, 'string');
  }
  paintReferences(paint, step.variables);
  if (step.body) paintBody(paint, step.body);
}

function paintBody(paint: Paint, body: Body): void {
  // RFC 5322 §2.1: header fields, then an empty line, then the text. BDAT chunks are octets, not a message to read.
  let inHeader = body.kind === 'data';
  for (const line of body.lines) {
    if (line.prefix) paint(line.prefix.range, 'keyword');
    const text = line.text;
    if (inHeader && text.text === '') inHeader = false;
    const name = inHeader ? HEADER_NAME.exec(text.text) : null;
    if (name) {
      const { start } = text.range;
      paint({ start, end: { line: start.line, character: start.character + name[0].length } }, 'property');
      paint({ start: { line: start.line, character: start.character + name[0].length + 1 }, end: text.range.end }, 'string');
    } else {
      paint(text.range, 'string');
    }
    paintReferences(paint, line.variables);
  }
  if (body.terminator) {
    if (body.terminator.prefix) paint(body.terminator.prefix.range, 'keyword');
    const end = body.terminator.range.end;
    paint({ start: { line: end.line, character: end.character - 1 }, end }, 'keyword');
  }
}

function paintReplyLine(paint: Paint, line: ReplyLine): void {
  paint(line.prefix.range, 'keyword');
  const outcome = line.code ? outcomeOf(line.code.text) : null;
  const modifiers: TokenModifier[] = outcome ? [outcome] : [];
  if (line.code) {
    paint(line.code.range, 'number', ...modifiers);
    if (line.separator === '-') {
      const { end } = line.code.range;
      paint({ start: end, end: { line: end.line, character: end.character + 1 } }, 'operator');
    }
  }
  if (line.enhanced) paint(line.enhanced.range, 'number', ...modifiers);
  paintReferences(paint, line.variables);
}

function paintDefinition(paint: Paint, definition: VariableDefinition): void {
  const { start } = definition.name.range;
  // `@name`: the `@` is part of the name to a reader.
  paint({ start: { line: start.line, character: Math.max(0, start.character - 1) }, end: definition.name.range.end }, 'variable', 'declaration');
  paint(definition.value.range, 'string');
  paintReferences(paint, definition.variables);
}

function paintReferences(paint: Paint, references: readonly VariableReference[]): void {
  for (const reference of references) {
    if (reference.system) paint(reference.range, 'function', 'defaultLibrary');
    else paint(reference.range, 'variable');
  }
}

function outcomeOf(code: string): ReplyOutcome | null {
  return REPLY_FIRST_DIGITS.find((row) => String(row.digit) === code[0])?.outcome ?? null;
}

function lineRange(line: number, text: string | undefined): Range {
  return { start: { line, character: 0 }, end: { line, character: (text ?? '').replace(/\r$/, '').length } };
}

/**
 * LSP tokens may not overlap and must come in document order. A token inside
 * another (a `{{variable}}` inside an address, a body line or a reply's text)
 * wins over it: the outer one is cut around it.
 */
function build(painted: Painted[]): SemanticTokens {
  painted.sort((a, b) => a.line - b.line || a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const builder = new SemanticTokensBuilder();
  let index = 0;
  while (index < painted.length) {
    const line = painted[index].line;
    let end = index;
    while (end < painted.length && painted[end].line === line) end++;
    for (const token of flatten(painted.slice(index, end))) {
      builder.push(line, token.start, token.end - token.start, TOKEN_TYPES.indexOf(token.type), token.modifiers);
    }
    index = end;
  }
  return builder.build();
}

/**
 * One line's tokens, sorted by start (longer first), as non-overlapping
 * pieces in order where the innermost wins. A stack of the tokens still open
 * keeps it linear: a long line full of `{{references}}` costs no more per
 * token than a short one.
 */
function flatten(tokens: Painted[]): Painted[] {
  const pieces: Painted[] = [];
  const open: { token: Painted; end: number; cursor: number }[] = [];
  const closeUntil = (position: number) => {
    while (open.length > 0 && open[open.length - 1].end <= position) {
      const closed = open.pop()!;
      if (closed.cursor < closed.end) pieces.push({ ...closed.token, start: closed.cursor, end: closed.end });
      if (open.length > 0) open[open.length - 1].cursor = Math.max(open[open.length - 1].cursor, closed.end);
    }
  };
  for (const token of tokens) {
    closeUntil(token.start);
    const outer = open[open.length - 1];
    let end = token.end;
    if (outer) {
      // Inside `outer`: what of it comes before this token is its own piece; the rest waits until this one closes.
      end = Math.min(end, outer.end);
      if (outer.cursor < token.start) pieces.push({ ...outer.token, start: outer.cursor, end: token.start });
      outer.cursor = Math.max(outer.cursor, token.start);
    }
    open.push({ token, end, cursor: token.start });
  }
  closeUntil(Number.POSITIVE_INFINITY);
  return pieces;
}
