import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { sessionAt } from '../analysis/variableScope';
import { findCommand, nearestCommand } from '../protocol/commands';
import type { CommandStep, TranscriptFile } from '../transcript/ast';
import { dataEndPlacements } from './codeActionDataEnd';
import { importBlockFix } from './codeActionImport';
import { clientNameFor } from './completionClientName';

/** The kind of the "Add QUIT" action: a source action, so clients can offer it on request or on save. */
export const ADD_QUIT_KIND = `${CodeActionKind.Source}.addQuit`;

/**
 * Quick fixes for the diagnostics the client sends back (each names its
 * problem in `code`), and the source action that ends a session with QUIT.
 * `lines` are the document's lines; `range` is the range the client asks
 * about, which decides the session for the source action (without it, the
 * first diagnostic's line does).
 */
export function getCodeActions(file: TranscriptFile, uri: string, lines: string[], diagnostics: Diagnostic[], range?: Range): CodeAction[] {
  const fix = (diagnostic: Diagnostic, title: string, edit: TextEdit, preferred: boolean): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [uri]: [edit] } },
  });
  const actions = diagnostics.flatMap((diagnostic) => quickFixes(file, lines, diagnostic, fix));
  // One conversion per pasted block, however many of its lines' diagnostics the client sent.
  const converted = new Set<number>();
  for (const diagnostic of diagnostics) {
    if (String(diagnostic.code) !== 'unprefixed-line') continue;
    const block = importBlockFix(lines, diagnostic.range.start.line);
    if (!block || converted.has(block.startLine)) continue;
    converted.add(block.startLine);
    const range = { start: { line: block.startLine, character: 0 }, end: { line: block.endLine, character: (lines[block.endLine] ?? '').length } };
    actions.unshift(fix(diagnostic, block.title, { range, newText: block.newText }, true));
  }
  const line = range?.start.line ?? diagnostics[0]?.range.start.line;
  const quit = line === undefined ? null : addQuit(file, uri, lines, line);
  if (quit) actions.push(quit);
  return actions;
}

type Fix = (diagnostic: Diagnostic, title: string, edit: TextEdit, preferred: boolean) => CodeAction;

function quickFixes(file: TranscriptFile, lines: readonly string[], diagnostic: Diagnostic, fix: Fix): CodeAction[] {
  const { range } = diagnostic;
  const start = range.start;
  const text = lines[start.line] ?? '';
  switch (String(diagnostic.code)) {
    case 'unknown-command': {
      const verb = text.slice(start.character, range.end.character);
      // An empty command line is reported on the whole line: there is no verb to correct.
      const nearest = /^[^\s:]+$/.test(verb) ? nearestCommand(verb) : null;
      return nearest && nearest !== verb.toUpperCase() ? [fix(diagnostic, `Change to ${nearest}`, { range, newText: nearest }, true)] : [];
    }
    case 'helo-deprecated':
      return [fix(diagnostic, 'Change HELO to EHLO', { range, newText: 'EHLO' }, true)];
    case 'unprefixed-line':
      return prefixFixes(diagnostic, text, fix);
    case 'bad-sequence':
      return greetingFix(file, diagnostic, text, fix);
    case 'dot-stuffing':
      return [fix(diagnostic, 'Double the leading dot, so the line is sent as written', { range: { start, end: start }, newText: '.' }, true)];
    case 'unterminated-data':
      return dataEndPlacements(file, lines, start.line).map((place) => fix(diagnostic, place.title, { range: { start: place.at, end: place.at }, newText: place.newText }, place.preferred));
  }
  return [];
}

/** A reply code at the start makes it a server line; a known verb a client line; otherwise both are offered alike, and a comment. */
function prefixFixes(diagnostic: Diagnostic, text: string, fix: Fix): CodeAction[] {
  const indent = text.length - text.trimStart().length;
  const at = { line: diagnostic.range.start.line, character: indent };
  const insert = (newText: string): TextEdit => ({ range: { start: at, end: at }, newText });
  const reply = /^\d{3}/.test(text.trimStart());
  const command = !reply && findCommand(text.trimStart().split(/\s/)[0]) !== null;
  return [
    fix(diagnostic, 'Add "C:" prefix (a line the client sends)', insert('C: '), command),
    fix(diagnostic, 'Add "S:" prefix (an expected reply)', insert('S: '), reply),
    fix(diagnostic, 'Make it a comment', insert('# '), false),
  ];
}

// The two sequence rules that a missing greeting breaks (sequenceRules.ts): none yet, or none since TLS started.
const NEEDS_GREETING = /^\S+ before HELO\/EHLO|^\S+ after STARTTLS without a new EHLO/;

/** Adds the EHLO the command needs on the line above it, greeting with the name the file already uses. */
function greetingFix(file: TranscriptFile, diagnostic: Diagnostic, text: string, fix: Fix): CodeAction[] {
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  if (!NEEDS_GREETING.test(message)) return [];
  const line = diagnostic.range.start.line;
  const indent = text.slice(0, text.length - text.trimStart().length);
  const ehlo = `C: EHLO ${clientNameFor(file, sessionAt(file, line), line)}`;
  const at = { line, character: 0 };
  // When the transcript records the refusal on purpose (reported as information), the fix is not the obvious choice.
  const preferred = diagnostic.severity !== DiagnosticSeverity.Information;
  return [fix(diagnostic, `Add "${ehlo}" before this command`, { range: { start: at, end: at }, newText: `${indent}${ehlo}\n` }, preferred)];
}

/**
 * "Add QUIT at the end of the session" for a session that sends commands but
 * never QUIT (RFC 5321 §4.1.1.10: the client ends the session). Not offered
 * when the session ends in a body with no ".", where the line would be text.
 */
function addQuit(file: TranscriptFile, uri: string, lines: readonly string[], line: number): CodeAction | null {
  const session = sessionAt(file, line);
  if (!session) return null;
  const commands = session.steps.filter((step): step is CommandStep => step.kind === 'command');
  const last = commands[commands.length - 1];
  if (!last || commands.some((command) => command.verbName === 'QUIT')) return null;
  if (last.body?.kind === 'data' && !last.body.terminator) return null;
  const end = session.range.end.line;
  const at = { line: end, character: (lines[end] ?? '').length };
  return {
    title: 'Add QUIT at the end of the session',
    kind: ADD_QUIT_KIND,
    edit: { changes: { [uri]: [{ range: { start: at, end: at }, newText: '\nC: QUIT' }] } },
  };
}
