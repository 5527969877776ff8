import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import { ADD_QUIT_KIND, getCodeActions } from '../../../server/src/features/codeActions';
import { toDiagnostics } from '../../../server/src/features/diagnostics';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const URI = 'file:///test.smtp';

/**
 * The code actions for `text` with the diagnostics the analyzer reports for it
 * (only those with `code`, when given). A `|` marks the range the client asks
 * about; it is removed before parsing.
 */
function actionsFor(input: string, code?: string): { text: string; actions: CodeAction[]; diagnostics: Diagnostic[] } {
  const offset = input.indexOf('|');
  const text = offset === -1 ? input : input.slice(0, offset) + input.slice(offset + 1);
  let range: Range | undefined;
  if (offset !== -1) {
    const before = text.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    range = { start: position, end: position };
  }
  const file = parseTranscript(text);
  const diagnostics = toDiagnostics(checkTranscript(file)).filter((d) => code === undefined || d.code === code);
  return { text, actions: getCodeActions(file, URI, text.split('\n'), diagnostics, range), diagnostics };
}

function quickFixes(input: string, code: string): { text: string; fixes: CodeAction[] } {
  const { text, actions, diagnostics } = actionsFor(input, code);
  assert.ok(diagnostics.length > 0, `the input must produce a ${code} diagnostic`);
  return { text, fixes: actions.filter((action) => action.kind === CodeActionKind.QuickFix) };
}

function apply(text: string, action: CodeAction): string {
  const edits = action.edit?.changes?.[URI];
  assert.ok(edits, 'the action must edit the document');
  return TextDocument.applyEdits(TextDocument.create(URI, 'smtp', 1, text), edits);
}

function titles(actions: CodeAction[]): string[] {
  return actions.map((action) => `${action.title}${action.isPreferred ? ' (preferred)' : ''}`);
}

describe('getCodeActions: quick fixes', () => {
  it('changes an unknown verb to the nearest command', () => {
    const { text, fixes } = quickFixes('C: EHLO a\nC: MIAL FROM:<a@example.com>', 'unknown-command');
    assert.deepEqual(titles(fixes), ['Change to MAIL (preferred)']);
    assert.equal(apply(text, fixes[0]), 'C: EHLO a\nC: MAIL FROM:<a@example.com>');
    assert.equal(fixes[0].diagnostics?.[0].code, 'unknown-command');
  });

  it('offers no change for a verb that is close to no command', () => {
    assert.deepEqual(quickFixes('C: EHLO a\nC: XYZZY', 'unknown-command').fixes, []);
  });

  it('adds a prefix to an unprefixed line, preferring S: before a reply code and C: before a verb', () => {
    const reply = quickFixes('C: NOOP\n  250 ok', 'unprefixed-line');
    assert.deepEqual(titles(reply.fixes), ['Add "C:" prefix (a line the client sends)', 'Add "S:" prefix (an expected reply) (preferred)', 'Make it a comment']);
    assert.equal(apply(reply.text, reply.fixes[1]), 'C: NOOP\n  S: 250 ok');
    const command = quickFixes('EHLO a.example', 'unprefixed-line');
    assert.equal(command.fixes[0].isPreferred, true);
    assert.equal(apply(command.text, command.fixes[0]), 'C: EHLO a.example');
  });

  it('adds the missing EHLO above a command sent before any greeting', () => {
    const { text, fixes } = quickFixes('S: 220 mx\nC: MAIL FROM:<a@example.com>', 'bad-sequence');
    assert.deepEqual(titles(fixes), ['Add "C: EHLO client.example" before this command (preferred)']);
    assert.equal(apply(text, fixes[0]), 'S: 220 mx\nC: EHLO client.example\nC: MAIL FROM:<a@example.com>');
  });

  it('greets with the name the file already uses, also after STARTTLS', () => {
    const other = quickFixes('### one\nC: EHLO relay.example\n### two\nC: MAIL FROM:<a@example.com>', 'bad-sequence');
    assert.equal(apply(other.text, other.fixes[0]), '### one\nC: EHLO relay.example\n### two\nC: EHLO relay.example\nC: MAIL FROM:<a@example.com>');
    const tls = quickFixes('C: EHLO a.example\nC: STARTTLS\nS: 220 go\nC: MAIL FROM:<a@example.com>', 'bad-sequence');
    assert.equal(apply(tls.text, tls.fixes[0]), 'C: EHLO a.example\nC: STARTTLS\nS: 220 go\nC: EHLO a.example\nC: MAIL FROM:<a@example.com>');
  });

  it('does not add EHLO for sequence problems a greeting does not solve', () => {
    assert.deepEqual(quickFixes('C: EHLO a\nC: RCPT TO:<b@example.org>', 'bad-sequence').fixes, []);
  });

  it('changes HELO to EHLO', () => {
    const { text, fixes } = quickFixes('C: HELO a.example\nC: QUIT', 'helo-deprecated');
    assert.equal(fixes[0].isPreferred, true);
    assert.equal(apply(text, fixes[0]), 'C: EHLO a.example\nC: QUIT');
  });

  it('doubles a leading dot in a body line', () => {
    const { text, fixes } = quickFixes('C: DATA\nS: 354 go\n.hidden\n.', 'dot-stuffing');
    assert.equal(apply(text, fixes[0]), 'C: DATA\nS: 354 go\n..hidden\n.');
  });

  it('ends an unterminated body after its last line that is not blank', () => {
    const { text, fixes } = quickFixes('C: DATA\nS: 354 go\nhello\n\n', 'unterminated-data');
    assert.deepEqual(titles(fixes), ['End the message after its last line (preferred)']);
    assert.equal(apply(text, fixes[0]), 'C: DATA\nS: 354 go\nhello\n.\n\n');
    const bare = quickFixes('C: DATA\nS: 354 go', 'unterminated-data');
    assert.equal(apply(bare.text, bare.fixes[0]), 'C: DATA\nS: 354 go\n.');
  });

  it('ends an unterminated body before the dialogue it swallowed, when there is some', () => {
    const { text, fixes } = quickFixes('C: DATA\nS: 354 go\nSubject: hi\n\nhello\nC: QUIT\nS: 221 bye', 'unterminated-data');
    assert.deepEqual(titles(fixes), ['End the message before line 6 (preferred)', 'End the message after its last line']);
    assert.equal(apply(text, fixes[0]), 'C: DATA\nS: 354 go\nSubject: hi\n\nhello\n.\nC: QUIT\nS: 221 bye');
  });

  it('offers nothing for diagnostics it has no fix for', () => {
    const { actions, diagnostics } = actionsFor('C: EHLO a\nC: VRFY {{nobody}}\nC: QUIT', 'unknown-variable');
    assert.ok(diagnostics.length > 0);
    assert.deepEqual(actions, []);
  });
});

describe('getCodeActions: Add QUIT', () => {
  it('adds QUIT after the last line of the session at the range', () => {
    const { text, actions } = actionsFor('### one\nC: EHLO a|\nS: 250 ok\n### two\nC: NOOP');
    assert.deepEqual(actions.map((action) => [action.title, action.kind]), [['Add QUIT at the end of the session', ADD_QUIT_KIND]]);
    assert.equal(apply(text, actions[0]), '### one\nC: EHLO a\nS: 250 ok\nC: QUIT\n### two\nC: NOOP');
  });

  it('is not offered when the session already quits, sends nothing, or ends in an unterminated body', () => {
    assert.deepEqual(actionsFor('C: EHLO a|\nC: QUIT').actions, []);
    assert.deepEqual(actionsFor('@server = mx.example:25\n### empty|\n# nothing yet').actions, []);
    assert.deepEqual(actionsFor('C: EHLO a|\nC: DATA\nS: 354 go\nhello').actions.filter((action) => action.kind === ADD_QUIT_KIND), []);
  });

  it('takes the session from the first diagnostic when no range is given', () => {
    const { text, actions } = actionsFor('C: HELO a\nC: NOOP');
    assert.equal(apply(text, actions.find((action) => action.kind === ADD_QUIT_KIND)!), 'C: HELO a\nC: NOOP\nC: QUIT');
  });
});

describe('getCodeActions: converting a pasted block', () => {
  const PASTED_SWAKS = [
    '@server = 127.0.0.1:2525',
    '',
    '### Delivery, pasted from swaks',
    '=== Trying 127.0.0.1:2525...',
    '=== Connected to 127.0.0.1.',
    '<-  220 mx.example.org ESMTP',
    ' -> EHLO client.example.com',
    '<-  250-mx.example.org',
    '<-  250 AUTH PLAIN',
    ' -> AUTH PLAIN AGFsaWNlAHMzY3IzdA==',
    '<-  235 2.7.0 Authentication successful',
    ' -> MAIL FROM:<alice@example.com>',
    '<-  250 2.1.0 Ok',
    ' -> RCPT TO:<bob@example.org>',
    '<-  250 2.1.5 Ok',
    ' -> DATA',
    '<-  354 End data with <CR><LF>.<CR><LF>',
    ' -> Subject: hi',
    ' -> ',
    ' -> Hello Bob.',
    ' -> .',
    '<-  250 2.0.0 Ok: queued',
    ' -> QUIT',
    '<-  221 2.0.0 Bye',
    '=== Connection closed with remote host.',
  ].join('\n');

  it('offers "Convert this swaks output to C:/S: lines" first, once, whichever line of the block it is asked on', () => {
    const { fixes } = quickFixes(PASTED_SWAKS.replace(' -> MAIL', '| -> MAIL'), 'unprefixed-line');
    const conversions = fixes.filter((fix) => fix.title.startsWith('Convert'));
    assert.deepEqual(titles(conversions), ['Convert this swaks output to C:/S: lines (preferred)']);
    assert.equal(fixes[0], conversions[0]);
  });

  it('replaces the whole block with lines that check clean: no unprefixed-line left, no credential copied, the file\'s @server kept', () => {
    const { text, fixes } = quickFixes(PASTED_SWAKS, 'unprefixed-line');
    const converted = apply(text, fixes[0]);
    assert.deepEqual(checkTranscript(parseTranscript(converted)).map((problem) => problem.code), []);
    assert.ok(!converted.includes('AGFsaWNlAHMzY3IzdA=='));
    const lines = converted.split('\n');
    assert.deepEqual(lines.slice(0, 6), ['@server = 127.0.0.1:2525', '', '### Delivery, pasted from swaks', '# connected to 127.0.0.1:2525', '# Connected to 127.0.0.1.', 'S: 220 mx.example.org ESMTP']);
    assert.ok(!lines.some((line) => line.startsWith('@server') && line !== lines[0]));
    assert.equal(lines[lines.length - 1], '# Connection closed with remote host.');
  });

  it('converts a sendmail -v block as a >>>/<<< log, and offers nothing for a block in no marked format', () => {
    const { text, fixes } = quickFixes(['>>> EHLO client.example.com', '250 mail.example.com', '>>> QUIT', '221 2.0.0 closing connection'].join('\n'), 'unprefixed-line');
    assert.equal(fixes[0].title, 'Convert this >>>/<<< log to C:/S: lines');
    assert.equal(apply(text, fixes[0]), 'C: EHLO client.example.com\nS: 250 mail.example.com\nC: QUIT\nS: 221 2.0.0 closing connection');
    const typed = quickFixes(['220 mx ESMTP', 'EHLO client.example.com', '250 mx'].join('\n'), 'unprefixed-line');
    assert.deepEqual(typed.fixes.filter((fix) => fix.title.startsWith('Convert')), []);
  });
});
