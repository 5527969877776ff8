import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { Body, TranscriptFile } from '../transcript/ast';
import { matchPrefix } from '../transcript/lines';
import { argumentCompletions } from './completionArguments';
import { commandCompletions } from './completionCommands';
import { completionContext, lineEndsAfter, rangeFrom, sortKey, type CompletionContext } from './completionContext';
import { connectionVariableCompletions, lineStartCompletions, replyLineBeforeBody } from './completionLineStart';
import { enhancedStatusCompletions, isEnhancedStatusPlace, replyCodeCompletions } from './completionReplies';
import { saslResponseCompletions, variableCompletions } from './completionVariables';

/**
 * Characters after which the editor should ask for completions without a
 * word being typed: the space after `C:`, a verb, a path or a reply code;
 * `:` of a prefix; `{` of `{{`; `=` of a parameter. (`@` and `$` are word
 * characters in the language configuration, so typing them already asks.)
 */
export const COMPLETION_TRIGGER_CHARACTERS = [' ', ':', '{', '='];

// `{{` followed by nothing yet or by the start of a name: the place for a variable or a system function.
const INSIDE_REFERENCE = /\{\{((?:[$A-Za-z_][\w.-]*)?)$/;
const LINE_START = /^\s*[^\s:]*$/;
/**
 * No completion on a longer line: every SMTP line is far shorter (a command
 * 512 octets, a body line 1,000), and reading a line of a million characters
 * again on each keystroke would stall the server for nothing.
 */
export const MAX_COMPLETION_LINE_LENGTH = 20_000;

/**
 * Completions at `position` of a line whose full text is `lineText`, in a
 * file whose tree `file` was parsed from the current text (the line being
 * typed included). What is offered depends on where the cursor is: see the
 * providers each branch hands over to.
 */
export function getCompletions(file: TranscriptFile, lineText: string, position: Position): CompletionItem[] {
  if (lineText.length > MAX_COMPLETION_LINE_LENGTH) return [];
  const context = completionContext(file, lineText, position);
  const before = context.before;
  const reference = INSIDE_REFERENCE.exec(before);
  if (reference) return variableCompletions(context, before.length - reference[1].length);
  // Body lines are message text: `C:`, `S:`, `#` and `@` mean nothing there.
  if (context.body) return context.body.kind === 'data' && LINE_START.test(before) ? bodyLineStart(context, context.body) : [];
  if (/^\s*@[\w.-]*$/.test(before)) return connectionVariableCompletions(context);
  const prefix = matchPrefix(lineText, position.line);
  if (prefix && position.character >= prefix.contentStart) {
    const content = before.slice(prefix.contentStart);
    if (prefix.prefix.side === 'server') return replyCompletions(context, content, prefix.contentStart);
    if (/\s/.test(content)) return argumentCompletions(context, prefix.contentStart);
    if (context.stepOnLine?.kind === 'sasl') return saslResponseCompletions(context, prefix.contentStart);
    return commandCompletions(context, prefix.contentStart);
  }
  return LINE_START.test(before) ? lineStartCompletions(context) : [];
}

function replyCompletions(context: CompletionContext, content: string, contentStart: number): CompletionItem[] {
  if (/^[0-9x]{0,3}$/i.test(content)) return replyCodeCompletions(context, contentStart);
  if (isEnhancedStatusPlace(content)) return enhancedStatusCompletions(context, content, contentStart + 4);
  return [];
}

/** On a body line of DATA: the line that ends the message, and on its first line the 354 reply that normally precedes it. */
function bodyLineStart(context: CompletionContext, body: Body): CompletionItem[] {
  const indent = context.before.length - context.before.trimStart().length;
  const range = rangeFrom(context, indent);
  if (!lineEndsAfter(context, range)) return [];
  const end: CompletionItem = {
    label: '.',
    kind: CompletionItemKind.Keyword,
    detail: 'Ends the message body: a line holding only "." (RFC 5321 §4.1.1.4)',
    sortText: sortKey(1, 0),
    textEdit: { range: { start: { line: context.position.line, character: 0 }, end: range.end }, newText: '.' },
  };
  const data = context.session?.steps.find((step) => step.kind === 'command' && step.body === body);
  const first = body.lines[0]?.line === context.position.line && data?.kind === 'command' && data.reply === null;
  return first ? [...replyLineBeforeBody(context), end] : [end];
}
