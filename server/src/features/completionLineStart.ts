import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { CONNECTION_VARIABLES } from '../transcript/systemFunctions';
import { awaitedReply } from './completionReplyTarget';
import { escapeSnippet, lineEndsAfter, rangeFrom, sortKey, SUGGEST_AGAIN, type CompletionContext } from './completionContext';

interface LineKind {
  label: string;
  snippet: string;
  detail: string;
  /** Open the list again after inserting, for lines whose next word has completions of its own. */
  suggestAgain: boolean;
}

const CLIENT_LINE: LineKind = { label: 'C: ', snippet: 'C: ', detail: 'A line the client sends: a command, a SASL response or a body line', suggestAgain: true };
const SERVER_LINE: LineKind = { label: 'S: ', snippet: 'S: ', detail: 'A reply line the server is expected to send', suggestAgain: true };
const OTHER_LINES: readonly LineKind[] = [
  { label: '### ', snippet: '### ${1:Session name}', detail: 'Starts a new session (a new connection)', suggestAgain: false },
  { label: '@server = ', snippet: '@server = ${1:127.0.0.1:2525}', detail: 'The server to connect to: host[:port]', suggestAgain: false },
  { label: '# ', snippet: '# ', detail: 'A comment', suggestAgain: false },
];

/**
 * The kinds of line that can start here. The reply line comes first when the
 * step just before is still waiting for its reply (or the session has no
 * greeting yet), since that is what a transcript normally writes next.
 */
export function lineStartCompletions(context: CompletionContext): CompletionItem[] {
  const ordered = replyExpected(context) ? [SERVER_LINE, CLIENT_LINE, ...OTHER_LINES] : [CLIENT_LINE, SERVER_LINE, ...OTHER_LINES];
  return lineKindItems(context, ordered);
}

/**
 * On the first line after `C: DATA` the parser already counts whatever is
 * typed as message text, since no reply was written; the expected 354 is
 * still the likelier thing to write there.
 */
export function replyLineBeforeBody(context: CompletionContext): CompletionItem[] {
  return lineKindItems(context, [SERVER_LINE]);
}

function lineKindItems(context: CompletionContext, kinds: readonly LineKind[]): CompletionItem[] {
  const indent = context.before.length - context.before.trimStart().length;
  const range = rangeFrom(context, indent);
  if (!lineEndsAfter(context, range)) return [];
  return kinds.map((kind, index): CompletionItem => ({
    label: kind.label,
    kind: CompletionItemKind.Keyword,
    detail: kind.detail,
    sortText: sortKey(0, index),
    filterText: kind.label,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: kind.snippet },
    ...(kind.suggestAgain ? { command: SUGGEST_AGAIN } : {}),
  }));
}

/**
 * A reply is due when a step waits for one, but only in a file that records
 * replies at all: a script of commands alone must not be nudged to add them.
 */
function replyExpected(context: CompletionContext): boolean {
  const { file, session } = context;
  const line = context.position.line;
  const awaited = awaitedReply(session, line);
  if (!awaited) return false;
  if (awaited.kind === 'continuation') return true;
  const recorded = file.sessions.flatMap((s) => s.steps).filter((step) => step.kind === 'reply' && step.line !== line);
  if (awaited.kind === 'greeting') return recorded.some((reply) => reply.kind === 'reply' && reply.greeting);
  return recorded.length > 0;
}

/** After `@` at the start of a line: the names the format reserves for the connection, with the values they take. */
export function connectionVariableCompletions(context: CompletionContext): CompletionItem[] {
  const at = context.before.indexOf('@');
  const range = rangeFrom(context, at + 1, /[\w.-]/);
  const wholeLine = lineEndsAfter(context, range);
  return CONNECTION_VARIABLES.map((variable, index): CompletionItem => ({
    label: variable.name,
    kind: CompletionItemKind.Property,
    detail: variable.values,
    documentation: variable.description,
    sortText: sortKey(0, index),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: wholeLine ? `${variable.name} = ${valueSnippet(variable.name, variable.values)}` : variable.name },
  }));
}

// Values to type over where the table describes the value rather than listing it.
const EXAMPLE_VALUES: Readonly<Record<string, string>> = { server: '127.0.0.1:2525', timeout: '30' };

// "none | implicit" becomes a choice; a described value a placeholder with an example.
function valueSnippet(name: string, values: string): string {
  const choices = values.split('|').map((value) => value.trim());
  if (choices.length > 1) return `\${1|${choices.join(',')}|}`;
  return `\${1:${escapeSnippet(EXAMPLE_VALUES[name] ?? values)}}`;
}
