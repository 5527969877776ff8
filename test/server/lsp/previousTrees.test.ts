// Hover and completion on a large document while its newest version waits for
// analysis: answered from the last parsed tree when the line asked about was
// not edited since, over a real LSP connection. The analysis is held by the
// validation delay (a minute: it never runs during a test), and a counting
// parser shows whether a request parsed the new version — no timing involved.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionRequest, DidChangeTextDocumentNotification, HoverRequest, MarkupContent, PublishDiagnosticsNotification, type CompletionItem, type Hover, type Position, type PublishDiagnosticsParams, type TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { PREVIOUS_TREE_MIN_CHARACTERS, rangesToCurrent, toCurrent, toPrevious, type LineEdit } from '../../../server/src/lsp/previousTrees';
import { Harness, TIMEOUT } from './lspHarness';

describe('mapping lines through edits', () => {
  // Lines 3–4 of the old text became lines 3–6 (two lines typed into line 3), then a line was deleted at 10–11.
  const edits: LineEdit[] = [{ startLine: 3, endLine: 4, newEndLine: 6 }, { startLine: 10, endLine: 11, newEndLine: 10 }];

  it('keeps lines above the first edit, shifts lines below each edit, and refuses an edited line', () => {
    assert.equal(toPrevious(edits, 2), 2);
    assert.equal(toPrevious(edits, 7), 5);
    assert.equal(toPrevious(edits, 9), 7);
    assert.equal(toPrevious(edits, 11), 10);
    for (const edited of [3, 4, 5, 6, 10]) assert.equal(toPrevious(edits, edited), null, `line ${edited} was edited`);
  });

  it('brings an old line back to the current text the same way', () => {
    for (const line of [2, 7, 9, 11]) assert.equal(toCurrent(edits, toPrevious(edits, line)!), line);
    assert.equal(toCurrent(edits, 10), 11);
    assert.equal(toCurrent(edits, 3), null);
    assert.equal(toCurrent(edits, 8), null, 'old line 8 is the first line of the deletion at current line 10');
  });

  it('moves every range of an answer, or gives up when one is on an edited line', () => {
    const answer = { contents: 'x', range: { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } }, items: [{ textEdit: { range: { start: { line: 10, character: 1 }, end: { line: 10, character: 2 } }, newText: 'y' } }] };
    assert.deepEqual(rangesToCurrent(answer, (line) => toCurrent(edits, line)), {
      contents: 'x', range: { start: { line: 7, character: 0 }, end: { line: 7, character: 4 } }, items: [{ textEdit: { range: { start: { line: 11, character: 1 }, end: { line: 11, character: 2 } }, newText: 'y' } }],
    });
    assert.equal(rangesToCurrent({ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } } }, (line) => toCurrent(edits, line)), null);
  });
});

describe('hover and completion while a large document waits for its analysis', () => {
  const HEAD = ['S: 220 mx.example.org ESMTP', 'C: EHLO client.example', 'S: 250 ok', 'C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'C: RCPT TO:<b@example.org>'];
  // 6 lines, then NOOPs until the text is well past the size from which older trees answer.
  const FILLER = 'S: 250 ok\nC: NOOP\n'.repeat(Math.ceil(PREVIOUS_TREE_MIN_CHARACTERS / 18) + 100);
  const LARGE = `${HEAD.join('\n')}\n${FILLER}S: 250 ok\nC: QUIT\nS: 221 bye\n`;
  const SMALL = `${HEAD.join('\n')}\nS: 250 ok\nC: QUIT\n`;
  const TWO_LINES_ABOVE = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# two lines\n# typed above\n' };

  let harness: Harness;
  let parsed: number[];
  let versions: Map<string, number>;
  let published: string[];

  before(async () => {
    parsed = [];
    versions = new Map();
    published = [];
    // The validation delay holds every analysis for a minute: longer than any test here.
    harness = new Harness({ validationDelayMs: 60_000, parse: (text) => (parsed.push(text.length), parseTranscript(text)) }, null);
    harness.client.onNotification(PublishDiagnosticsNotification.method, (params: PublishDiagnosticsParams) => {
      published.push(`${params.uri}@${params.version}`);
    });
    await harness.initialize({ textDocument: { completion: { completionItem: { snippetSupport: true } } } });
  });
  after(() => harness.close());

  async function change(uri: string, ...contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    const version = (versions.get(uri) ?? 1) + 1;
    versions.set(uri, version);
    await harness.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }
  const hover = (uri: string, position: Position) => harness.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position }) as Promise<Hover | null>;
  const complete = (uri: string, position: Position) => harness.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }) as Promise<CompletionItem[]>;
  const text = (answer: Hover | null) => (MarkupContent.is(answer?.contents) ? answer.contents.value : '');

  it('answers a hover from the last parsed tree, at the line as it is now, without parsing the new version', TIMEOUT, async () => {
    const uri = 'file:///large-hover.smtp';
    await harness.open(uri, LARGE);
    const before = await hover(uri, { line: 3, character: 4 });
    assert.match(text(before), /MAIL/);
    assert.equal(parsed.length, 1, 'the first request parsed version 1');

    await change(uri, TWO_LINES_ABOVE);
    const during = await hover(uri, { line: 5, character: 4 });
    assert.equal(parsed.length, 1, 'the new version was not parsed for the hover');
    assert.equal(text(during), text(before));
    assert.deepEqual(during?.range, before?.range && { start: { ...before.range.start, line: 5 }, end: { ...before.range.end, line: 5 } }, 'the range is on the line as it is now');
    assert.ok(!published.includes(`${uri}@2`), 'the analysis of version 2 was still pending');
  });

  it('answers a completion from the last parsed tree too, with its edits on the line as it is now', TIMEOUT, async () => {
    const uri = 'file:///large-completion.smtp';
    await harness.open(uri, LARGE);
    // After "C: " on the RCPT line (5): the commands that may come next.
    const before = await complete(uri, { line: 5, character: 3 });
    assert.ok(before.length > 0);
    const parses = parsed.length;

    await change(uri, TWO_LINES_ABOVE);
    const during = await complete(uri, { line: 7, character: 3 });
    assert.equal(parsed.length, parses, 'the new version was not parsed for the completion');
    assert.deepEqual(during.map((item) => item.label), before.map((item) => item.label));
    const lines = (items: CompletionItem[]) => items.flatMap((item) => (item.textEdit && 'range' in item.textEdit ? [item.textEdit.range.start.line] : []));
    assert.deepEqual(new Set(lines(before)), new Set([5]));
    assert.deepEqual(new Set(lines(during)), new Set([7]), 'text edits moved to the line as it is now');
  });

  it('parses the new version at once for a line edited since, and then answers from it', TIMEOUT, async () => {
    const uri = 'file:///large-edited.smtp';
    await harness.open(uri, LARGE);
    await hover(uri, { line: 3, character: 4 });
    const parses = parsed.length;
    // MAIL becomes RCPT on line 3: the old tree knows nothing of this line.
    await change(uri, { range: { start: { line: 3, character: 3 }, end: { line: 3, character: 7 } }, text: 'RCPT' });
    const edited = await hover(uri, { line: 3, character: 4 });
    assert.equal(parsed.length, parses + 1, 'the edited line made the server parse the new version');
    assert.match(text(edited), /RCPT/);
  });

  it('after a change that replaced the whole text, parses the new version', TIMEOUT, async () => {
    const uri = 'file:///large-replaced.smtp';
    await harness.open(uri, LARGE);
    await hover(uri, { line: 3, character: 4 });
    const parses = parsed.length;
    await change(uri, { text: `# replaced\n${LARGE}` });
    assert.match(text(await hover(uri, { line: 4, character: 4 })), /MAIL/);
    assert.equal(parsed.length, parses + 1);
  });

  it('on a small document always answers from the newest text: a parse costs little there', TIMEOUT, async () => {
    const uri = 'file:///small.smtp';
    await harness.open(uri, SMALL);
    await hover(uri, { line: 3, character: 4 });
    const parses = parsed.length;
    await change(uri, TWO_LINES_ABOVE);
    assert.match(text(await hover(uri, { line: 5, character: 4 })), /MAIL/);
    assert.equal(parsed.length, parses + 1);
  });
});
