// Completion items as the features write them (snippets with placeholders,
// VS Code's triggerSuggest after a line's start) turned into what the client
// declared it can use. Editors without snippet support insert `newText` as
// it is, so `${1:…}` would land in the file verbatim; Neovim's built-in
// completion also puts a multi-line word on one line, a NUL for each line
// break. So for them: the placeholders' default text, one line.
import { InsertTextFormat, type CompletionItem, type TextEdit, type InsertReplaceEdit } from 'vscode-languageserver';

export interface CompletionClient {
  /** textDocument.completion.completionItem.snippetSupport */
  snippets: boolean;
  /** The client can execute `editor.action.triggerSuggest` (VS Code). */
  triggerSuggestCommand: boolean;
}

export function completionsForClient(items: CompletionItem[], client: CompletionClient): CompletionItem[] {
  if (client.snippets && client.triggerSuggestCommand) return items;
  return items.map((item) => forClient(item, client));
}

function forClient(item: CompletionItem, client: CompletionClient): CompletionItem {
  const adapted: CompletionItem = { ...item };
  if (!client.triggerSuggestCommand && adapted.command?.command === 'editor.action.triggerSuggest') delete adapted.command;
  if (!client.snippets && adapted.insertTextFormat === InsertTextFormat.Snippet) {
    adapted.insertTextFormat = InsertTextFormat.PlainText;
    delete adapted.insertTextMode;
    if (adapted.insertText !== undefined) adapted.insertText = plainLine(adapted.insertText);
    if (adapted.textEdit) adapted.textEdit = { ...adapted.textEdit, newText: plainLine(adapted.textEdit.newText) } as TextEdit | InsertReplaceEdit;
  }
  return adapted;
}

/** The first line of what the snippet inserts when every placeholder keeps its default. */
function plainLine(snippet: string): string {
  return snippetToText(snippet).split('\n')[0];
}

/**
 * The text a snippet inserts when every placeholder keeps its default:
 * `${1:user}` → user, `${1|a,b|}` → a, `$1`/`${1}` → nothing, `\$` → $.
 * (LSP's snippet syntax; variables like `$TM_FILENAME` are not used by our items.)
 */
export function snippetToText(snippet: string): string {
  let position = 0;
  return readUntil(null);

  function readUntil(end: '}' | null): string {
    let text = '';
    while (position < snippet.length) {
      const char = snippet[position];
      if (char === '\\' && position + 1 < snippet.length) {
        text += snippet[position + 1];
        position += 2;
      } else if (end !== null && char === end) {
        position++;
        return text;
      } else if (char === '$') {
        text += placeholder();
      } else {
        text += char;
        position++;
      }
    }
    return text;
  }

  function placeholder(): string {
    const simple = /^\$\d+/.exec(snippet.slice(position));
    if (simple) {
      position += simple[0].length;
      return '';
    }
    const tabstop = /^\$\{\d+(\}|:|\|)/.exec(snippet.slice(position));
    if (!tabstop) {
      position++;
      return '$';
    }
    position += tabstop[0].length;
    if (tabstop[1] === '}') return '';
    if (tabstop[1] === ':') return readUntil('}');
    // A choice: `${1|one,two|}` inserts the first.
    const close = snippet.indexOf('|}', position);
    const choices = snippet.slice(position, close < 0 ? snippet.length : close);
    position = close < 0 ? snippet.length : close + 2;
    return choices.split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
  }
}
