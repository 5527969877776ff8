import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineTable } from '../../../server/src/transcript/lineTable';
import { lineStarts } from '../../../server/src/transcript/lines';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import type { Body, CommandStep, Reply, Session } from '../../../server/src/transcript/ast';

function table(text: string): LineTable {
  return new LineTable(text, lineStarts(text));
}

function commands(session: Session): CommandStep[] {
  return session.steps.filter((step): step is CommandStep => step.kind === 'command');
}

function bodyOf(...lines: string[]): Body {
  const data = commands(parseTranscript(lines.join('\n')).sessions[0]).find((command) => command.body !== null);
  assert.ok(data?.body, 'the transcript has a body');
  return data.body;
}

describe('LineTable', () => {
  it('measures each line without its LF or CRLF, and keeps a lone CR in the line', () => {
    const lines = table('C: EHLO x\r\nS: 250\nab\rc\n');
    assert.equal(lines.count, 4);
    assert.deepEqual([0, 1, 2, 3].map((i) => lines.length(i)), [9, 6, 4, 0]);
    assert.equal(lines.slice(2, 0), 'ab\rc');
  });

  it('reads what a line sends from its content column, in UTF-8 octets and character codes', () => {
    const lines = table('x\nC: héllo 😀');
    lines.contentStart[1] = 3;
    assert.equal(lines.content(1), 'héllo 😀');
    // h, é (2), l, l, o, space, 😀 (4).
    assert.equal(lines.contentOctets(1), 11);
    assert.equal(lines.contentCharCode(1, 0), 0x68);
    assert.ok(Number.isNaN(lines.contentCharCode(1, 8)));
  });

  it('keeps the parts of the last few lines read, not of every line', () => {
    const lines = table('a\nb\nc\nd\ne\nf');
    const first = lines.parts(0);
    assert.equal(lines.parts(0), first);
    for (let i = 1; i < 6; i++) lines.parts(i);
    assert.notEqual(lines.parts(0), first);
  });

  it('has no references for a line the parser did not mark, without scanning it', () => {
    const lines = table('C: {{user}}');
    assert.deepEqual(lines.references(0), []);
  });
});

describe('a body read from the line table', () => {
  it('gives each line\'s octets and first characters as the built lines hold them', () => {
    const body = bodyOf('C: DATA', 'S: 354', 'Subject: héllo', '.single dot', 'C: ..stuffed', '', '.', 'S: 250');
    assert.equal(body.lineCount, 4);
    assert.deepEqual(body.lines.map((line) => line.text.text), ['Subject: héllo', '.single dot', '..stuffed', '']);
    for (let k = 0; k < body.lineCount; k++) {
      const text = body.line(k).text.text;
      assert.equal(body.sentOctets(k), Buffer.byteLength(text));
      assert.equal(body.sentLength(k), text.length);
      assert.equal(body.sentCharCode(k, 0), text.length > 0 ? text.charCodeAt(0) : NaN);
    }
    assert.equal(body.line(2).prefix?.side, 'client');
    assert.equal(body.line(0).line, 2);
  });

  it('marks only the lines whose references parse', () => {
    const body = bodyOf('C: DATA', 'S: 354', 'To: {{user}}', 'plain', 'open {{ only', '.', 'S: 250');
    assert.deepEqual([0, 1, 2].map((k) => body.hasReferences(k)), [true, false, false]);
    assert.deepEqual(body.line(0).variables.map((reference) => reference.name.text), ['user']);
  });

  it('keeps the lines it built, so reading `lines` in a loop builds them once', () => {
    const body = bodyOf('C: DATA', 'S: 354', 'a', 'b', '.', 'S: 250');
    assert.equal(body.lines, body.lines);
    assert.equal(body.lines[1].text.text, 'b');
  });

  it('flags the last line of a BDAT chunk that goes without CRLF', () => {
    const body = bodyOf('C: BDAT 5 LAST', 'ab', 'c', 'S: 250');
    assert.deepEqual(body.lines.map((line) => [line.text.text, line.withoutLineEnding]), [['ab', false], ['c', true]]);
  });
});

describe('a reply read from the line table', () => {
  it('takes the S: lines between its first and last, skipping comments and blank lines', () => {
    const file = parseTranscript(['C: EHLO x', 'S: 250-mx', '# a note', '', 'S: 250-SIZE 10', 'S: 250 DSN', 'C: QUIT'].join('\n'));
    const reply = file.sessions[0].steps.find((step): step is Reply => step.kind === 'reply')!;
    assert.deepEqual(reply.lines.map((line) => [line.line, line.separator, line.text.text]), [[1, '-', 'mx'], [4, '-', 'SIZE 10'], [5, ' ', 'DSN']]);
    assert.deepEqual(reply.range, { start: { line: 1, character: 0 }, end: { line: 5, character: 10 } });
  });
});
