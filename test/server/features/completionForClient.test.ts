import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver';
import { completionsForClient, snippetToText } from '../../../server/src/features/completionForClient';

describe('snippetToText: what a snippet inserts when every placeholder keeps its default', () => {
  it('keeps defaults, drops empty tab stops and unescapes', () => {
    assert.equal(snippetToText('MAIL FROM:<$1>'), 'MAIL FROM:<>');
    assert.equal(snippetToText('EHLO ${1:client.example}'), 'EHLO client.example');
    assert.equal(snippetToText('RET=${1|FULL,HDRS|}'), 'RET=FULL');
    assert.equal(snippetToText('AUTH PLAIN {{\\$authPlain ${1:user} {{\\$secret ${2:NAME}}}}}'), 'AUTH PLAIN {{$authPlain user {{$secret NAME}}}}');
    assert.equal(snippetToText('${1:outer ${2:inner}} and ${3}$0'), 'outer inner and ');
    assert.equal(snippetToText('cost: 5$'), 'cost: 5$');
  });
});

describe('completionsForClient', () => {
  const data: CompletionItem = {
    label: 'DATA',
    kind: CompletionItemKind.Keyword,
    insertTextFormat: InsertTextFormat.Snippet,
    insertTextMode: InsertTextMode.asIs,
    textEdit: { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, newText: 'DATA\nS: 354\nFrom: ${1:a@example.com}\n.' },
    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
  };

  it('gives a client without snippets the first line as plain text, and no VS Code command', () => {
    const [item] = completionsForClient([data], { snippets: false, triggerSuggestCommand: false });
    assert.equal(item.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(item.insertTextMode, undefined);
    assert.equal(item.textEdit?.newText, 'DATA');
    assert.equal(item.command, undefined);
  });

  it('leaves the item as written for a client that supports both', () => {
    assert.deepEqual(completionsForClient([data], { snippets: true, triggerSuggestCommand: true }), [data]);
  });
});
