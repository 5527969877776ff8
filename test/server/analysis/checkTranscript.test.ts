import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

describe('checkTranscript on hostile input', () => {
  it('reports each of 200,000 dotted body lines (more problems than a call can take as arguments)', () => {
    const body = Array<string>(200_000).fill('.hidden');
    const problems = checkTranscript(parseTranscript(['C: MAIL FROM:<a@b>', 'C: RCPT TO:<c@d>', 'C: DATA', 'S: 354 go', ...body, '.'].join('\n')));
    assert.equal(problems.filter((problem) => problem.code === 'dot-stuffing').length, 200_000);
  });

  it('quotes at most 40 characters of a 1 MB unknown word, and suggests nothing', () => {
    const [problem] = checkTranscript(parseTranscript(`C: ${'a'.repeat(1_000_000)}`)).filter((p) => p.code === 'unknown-command');
    assert.equal(problem.message, `"${'a'.repeat(40)}…" is not an SMTP command: servers answer 500 5.5.1 (RFC 5321 §4.2.4). Known commands are listed by completion and \`smtp-session explain\`.`);
  });

  it('reports 20,000 nested {{ on a line as unclosed, with the line too long', () => {
    const codes = checkTranscript(parseTranscript(`C: EHLO a\nC: MAIL FROM:<${'{{'.repeat(20_000)}>`)).map((p) => p.code);
    assert.deepEqual([...new Set(codes)], ['line-too-long', 'unclosed-variable']);
  });
});
