import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';

const folder = join(__dirname, '..', '..', 'examples');
const files = readdirSync(folder).filter((name) => name.endsWith('.smtp')).sort();
// The CI-style folder: files a CI job runs as a whole (smtp-session run examples/ci/).
const ciFiles = readdirSync(join(folder, 'ci')).filter((name) => name.endsWith('.smtp')).sort().map((name) => join('ci', name));

function check(name: string) {
  return checkTranscript(parseTranscript(readFileSync(join(folder, name), 'utf8')));
}

describe('examples/', () => {
  it('holds at least six examples', () => {
    assert.ok(files.length >= 6, `only ${files.length} examples`);
  });

  for (const name of [...files.filter((file) => file !== 'broken.smtp'), ...ciFiles]) {
    it(`${name} has no error or warning`, () => {
      const found = check(name).filter((problem) => problem.severity === 'error' || problem.severity === 'warning');
      assert.deepEqual(found.map((p) => `${p.range.start.line + 1} ${p.code}`), []);
    });
  }

  it('broken.smtp produces exactly the diagnostics its header documents', () => {
    const text = readFileSync(join(folder, 'broken.smtp'), 'utf8');
    // Header lines read "#   line 13  unprefixed-line   (why)".
    const documented = [...text.matchAll(/^#\s+line (\d+)\s+([a-z-]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(documented.length >= 5);
    assert.deepEqual(check('broken.smtp').map((p) => `${p.range.start.line + 1} ${p.code}`), documented);
  });
});
