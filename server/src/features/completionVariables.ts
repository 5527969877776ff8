import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { SYSTEM_FUNCTIONS, type SystemFunction } from '../transcript/systemFunctions';
import { lineEndsAfter, rangeFrom, sortKey, type CompletionContext } from './completionContext';

const NAME_CHARACTER = /[$\w.-]/;

/**
 * Inside `{{`: the variables visible at this line, then the system functions
 * with their arguments as placeholders (`$file` only inside a body). The
 * closing `}}` is added unless it is already there, as it is when the editor
 * closed the braces itself.
 */
export function variableCompletions(context: CompletionContext, nameStart: number): CompletionItem[] {
  const range = rangeFrom(context, nameStart, NAME_CHARACTER);
  const closing = context.lineText.startsWith('}}', range.end.character) ? '' : '}}';
  const items: CompletionItem[] = [];
  let index = 0;
  for (const [name, definition] of context.variables) {
    items.push({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: definition.value.text,
      documentation: `Defined on line ${definition.line + 1}.`,
      sortText: sortKey(0, index++),
      textEdit: { range, newText: name + closing },
    });
  }
  for (const fn of SYSTEM_FUNCTIONS) {
    if (fn.bodyOnly && !context.body) continue;
    items.push({
      ...functionItem(fn),
      sortText: sortKey(1, index++),
      textEdit: { range, newText: `${callSnippet(fn)}${closing}` },
    });
  }
  return items;
}

/** `\$authPlain ${1:USER} ${2:PASS}`: the `$` escaped, since snippets give it a meaning of their own. */
function callSnippet(fn: SystemFunction): string {
  return ['\\' + fn.name, ...fn.args.map((arg, i) => `\${${i + 1}:${arg}}`)].join(' ');
}

function functionItem(fn: SystemFunction): CompletionItem {
  const secret = fn.secret ? '\n\nIts value is never shown: `***` in every output, log and result.' : '';
  return {
    label: fn.name,
    kind: CompletionItemKind.Function,
    labelDetails: { detail: ` ${fn.args.join(' ')}` },
    detail: fn.description,
    documentation: { kind: MarkupKind.Markdown, value: `\`{{${fn.name} ${fn.args.join(' ')}}}\`${secret}` },
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

/**
 * On the client line after a 334: a SASL response rather than a command.
 * Offers `*` to cancel (RFC 4954 §4) and whole references to the functions
 * that produce responses, so that no password has to be written in the file.
 */
export function saslResponseCompletions(context: CompletionContext, contentStart: number): CompletionItem[] {
  const range = rangeFrom(context, contentStart);
  if (!lineEndsAfter(context, range)) return [];
  const cancel: CompletionItem = {
    label: '*',
    kind: CompletionItemKind.Keyword,
    detail: 'Cancels the authentication exchange; the server answers 501 (RFC 4954 §4)',
    sortText: sortKey(1, 0),
    textEdit: { range, newText: '*' },
  };
  const references = SYSTEM_FUNCTIONS.filter((fn) => !fn.bodyOnly).map((fn, index): CompletionItem => ({
    ...functionItem(fn),
    label: `{{${fn.name}}}`,
    filterText: `{{${fn.name}`,
    sortText: sortKey(0, index),
    textEdit: { range, newText: `{{${callSnippet(fn)}}}` },
  }));
  return [...references, cancel];
}
