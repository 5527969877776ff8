import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver';
import { getDocumentSymbols } from '../../../server/src/features/documentSymbols';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function outline(...lines: string[]) {
  return getDocumentSymbols(parseTranscript(lines.join('\n')));
}

describe('getDocumentSymbols', () => {
  it('lists sessions by name, numbering unnamed ones', () => {
    const symbols = outline('C: NOOP', '### Second', 'C: QUIT');
    assert.deepEqual(symbols.map((s) => [s.name, s.kind, s.detail]), [['Session 1', SymbolKind.Namespace, '1 command'], ['Second', SymbolKind.Namespace, '1 command']]);
    assert.equal(symbols[1].selectionRange.start.line, 1);
  });

  it('lists each transaction from MAIL to the end of its data, with its recipients', () => {
    const [session] = outline(
      '### Two messages',
      'C: EHLO a',
      'C: MAIL FROM:<a@example.com>',
      'C: RCPT TO:<b@example.org>',
      'C: RCPT TO:<c@example.org>',
      'C: DATA',
      'Subject: one',
      '.',
      'C: MAIL FROM:<>',
      'C: RCPT TO:<d@example.org>',
      'C: BDAT 0 LAST',
      'C: QUIT',
    );
    const transactions = session.children ?? [];
    assert.deepEqual(transactions.map((t) => [t.name, t.detail, t.range.start.line, t.range.end.line]), [
      ['MAIL FROM:<a@example.com>', '2 recipients', 2, 7],
      ['MAIL FROM:<>', '1 recipient', 8, 10],
    ]);
    assert.ok(transactions.every((t) => t.kind === SymbolKind.Event));
  });

  it('ends a transaction abandoned by RSET at its last command', () => {
    const [session] = outline('C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: RSET', 'C: QUIT');
    assert.deepEqual(session.children?.map((t) => [t.range.start.line, t.range.end.line]), [[0, 1]]);
  });
});
