// Every snippet in snippets/smtp.json, expanded the way VS Code inserts it
// with its placeholders' defaults, is a .smtp session the real analyzer
// accepts: no error, no warning.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';
import { expandSnippet } from './expandSnippet';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

const snippets = JSON.parse(readFileSync(join(__dirname, '..', '..', 'snippets', 'smtp.json'), 'utf8')) as Record<string, Snippet>;

describe('snippets/smtp.json', () => {
  const names = Object.keys(snippets);

  it('holds the common sessions', () => {
    const prefixes = names.flatMap((name) => [snippets[name].prefix].flat());
    for (const wanted of ['submission', 'relay', 'pipelining', 'bdat', 'dsn', 'rejected-recipient', 'session']) {
      assert.ok(prefixes.includes(wanted), `no snippet with the prefix "${wanted}"`);
    }
  });

  it('expands placeholders, choices, mirrors and escapes like VS Code', () => {
    assert.equal(expandSnippet('${1:a} $1 ${2|x\\,y,z|} \\$secret {{x\\}} ${3:b${4:c}} $4$0'), 'a a x,y $secret {{x}} bc c');
    assert.throws(() => expandSnippet('{{$secret NAME}}'), /snippet variable/);
  });

  for (const name of names) {
    it(`"${name}" is a session check accepts, once its placeholders hold their defaults`, () => {
      const snippet = snippets[name];
      assert.ok(snippet.description.length > 20, 'says what it is for');
      const text = expandSnippet([snippet.body].flat().join('\n'));
      assert.match(text, /^### /, 'starts a session of its own, so it can go anywhere in a file');
      const file = parseTranscript(text);
      assert.equal(file.sessions.filter((session) => session.name !== null).length, 1);
      const problems = checkTranscript(file).filter((problem) => problem.severity === 'error' || problem.severity === 'warning');
      assert.deepEqual(problems.map((p) => `line ${p.range.start.line + 1}: ${p.code} ${p.message}`), [], text);
    });
  }
});
