import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import type { Body, CommandStep } from '../../../server/src/transcript/ast';

function parse(...lines: string[]) {
  return parseTranscript(lines.join('\n'));
}

describe('the tree built over the line table', () => {
  it('gives each group its own steps, though the parser reuses one waiting list', () => {
    const session = parse('C: EHLO x', 'S: 250 ok', 'C: MAIL FROM:<a@x>', 'C: RCPT TO:<b@x>', 'S: 250 ok', 'S: 250 ok', 'C: QUIT', 'S: 221 bye').sessions[0];
    assert.deepEqual(session.groups.map((group) => group.steps.map((step) => step.line)), [[0], [2, 3], [6]]);
    assert.deepEqual(session.groups.map((group) => group.pipelined), [false, true, false]);
  });

  it('builds the ranges of a session, a body and its end from their line numbers', () => {
    const file = parse('### one', 'C: DATA', 'S: 354 go', 'Subject: x', '', 'C: .', 'S: 250 ok', '# trailing note', '', '### two');
    const [one, two] = file.sessions;
    assert.deepEqual(one.range, { start: { line: 0, character: 0 }, end: { line: 7, character: 15 } });
    assert.deepEqual(two.range, { start: { line: 9, character: 0 }, end: { line: 9, character: 7 } });
    const data = one.steps.find((step): step is CommandStep => step.kind === 'command')!;
    assert.deepEqual(data.body?.range, { start: { line: 3, character: 0 }, end: { line: 5, character: 4 } });
    const end = data.body!.terminator!;
    assert.deepEqual(end.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 4 } });
    assert.deepEqual(end.prefix?.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 2 } });
    assert.equal(end.reply?.code, '250');
  });
});

/** The DATA body of the first session's only DATA command, read from the file's lines joined with `ending`. */
function bodyOf(lines: string[], ending = '\n'): Body {
  const file = parseTranscript(['S: 220', 'C: DATA', 'S: 354', ...lines, '.', 'S: 250', ''].join(ending));
  const data = file.sessions[0].steps.find((step): step is CommandStep => step.kind === 'command' && step.verbName === 'DATA');
  return data!.body!;
}

describe('a body\'s plain text: its lines and their CRLFs read from the file in one piece', () => {
  it('joins the lines of a body written plainly with CRLF, whatever the file ends its lines with', () => {
    const lines = ['Subject: hi', '', '..leading dot', '  indented, trailing space '];
    const wire = 'Subject: hi\r\n\r\n..leading dot\r\n  indented, trailing space \r\n';
    assert.equal(bodyOf(lines).plainText(), wire);
    assert.equal(bodyOf(lines, '\r\n').plainText(), wire);
    assert.equal(bodyOf(['one line']).plainText(), 'one line\r\n');
    assert.equal(bodyOf(['one line']).plainText('.\r\n'), 'one line\r\n.\r\n');
    assert.equal(bodyOf(['one line'], '\r\n').plainText('.\r\n'), 'one line\r\n.\r\n');
    const mixed = parseTranscript('S: 220\nC: DATA\nS: 354\na\r\nb\nc\r\nd\n.\nS: 250\n');
    const data = mixed.sessions[0].steps.find((step): step is CommandStep => step.kind === 'command')!;
    assert.equal(data.body!.plainText(), 'a\r\nb\r\nc\r\nd\r\n');
  });

  it('leaves the lines to be read one by one when one is not sent as it stands', () => {
    // A reference to resolve, a `C:` prefix to drop, a CR inside a line (refused, naming its line), no line at all.
    assert.equal(bodyOf(['Subject: {{subject}}', 'text']).plainText(), null);
    assert.equal(bodyOf(['text', 'C: prefixed']).plainText(), null);
    assert.equal(bodyOf(['bare\rcarriage return', 'text']).plainText(), null);
    assert.equal(bodyOf(['bare\rcarriage return', 'text'], '\r\n').plainText(), null);
    assert.equal(bodyOf([]).plainText(), null);
  });

  it('reads the same text as the lines do one by one', () => {
    const lines = ['From: <a@example.com>', 'Subject: \u00e9 \u2013 \u00fcn\u00efcode', '', 'x'.repeat(1000), '.. two dots'];
    for (const ending of ['\n', '\r\n']) {
      const body = bodyOf(lines, ending);
      assert.equal(body.plainText(), body.lines.map((line) => `${line.text.text}\r\n`).join(''));
    }
  });

  it('names a verb in capitals however it is written, short or long', () => {
    const session = parse('C: ehlo a', 'C: Ehlo b', 'C: StartTls', 'C: x-foo y', 'C:', 'C: verylongverb').sessions[0];
    const verbs = session.steps.filter((step): step is CommandStep => step.kind === 'command').map((command) => command.verbName);
    assert.deepEqual(verbs, ['EHLO', 'EHLO', 'STARTTLS', 'X-FOO', '', 'VERYLONGVERB']);
  });

  it('finds bare CRs and references on the lines that hold them, searching the text once for each', () => {
    const file = parseTranscript('C: EHLO a\r\nC: NO\rOP\r\nC: {{\r\nC: MAIL FROM:<{{from}}>\r\nC: QUIT\r\n');
    assert.deepEqual(file.problems.map((problem) => [problem.code, problem.range.start.line, problem.range.start.character]),
      [['bare-line-ending', 1, 5], ['unclosed-variable', 2, 3]]);
    const commands = file.sessions[0].steps.filter((step): step is CommandStep => step.kind === 'command');
    assert.deepEqual(commands.map((command) => command.variables.map((reference) => reference.name.text)), [[], [], [], ['from'], []]);
  });
});
