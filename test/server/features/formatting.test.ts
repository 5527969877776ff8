import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getFormattingEdits } from '../../../server/src/features/formatting';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function format(...lines: string[]): string {
  const text = lines.join('\n');
  const edits = getFormattingEdits(parseTranscript(text), lines);
  return TextDocument.applyEdits(TextDocument.create('file:///f.smtp', 'smtp', 1, text), edits);
}

describe('getFormattingEdits', () => {
  it('upper-cases known verbs and prefixes, and adds the optional space after a prefix', () => {
    assert.equal(format('s:220 mx', 'c:ehlo a.example', 'server: 250 ok', 'c: mail FROM:<a@example.com>'),
      'S: 220 mx\nC: EHLO a.example\nServer: 250 ok\nC: MAIL FROM:<a@example.com>');
  });

  it('leaves what is sent alone: extra spaces, arguments, unknown verbs, SASL responses and bodies', () => {
    const text = ['C:  NOOP', 'C: frob', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: dXNlcg==', 'S: 235 ok', 'C: DATA', 'S: 354 go', 'c: body line', 'quit', '.'];
    assert.equal(format(...text), text.join('\n'));
  });
});
