// Re-checks the dialogues recorded from real servers by the interop suite
// (npm run test:interop writes them to test/interop/recorded/SERVER/): the
// analyzer must find no error and no warning in any of them. A finding here
// is a false positive of the analyzer on a real server's dialogue.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';
import { SERVER_NAMES } from './interopServers';

const folder = join(__dirname, 'recorded');

function recordingsOf(server: string): string[] {
  return readdirSync(join(folder, server)).filter((name) => name.endsWith('.smtp')).sort();
}

describe('test/interop/recorded/ (real servers\' dialogues)', () => {
  for (const server of SERVER_NAMES) {
    it(`holds recordings of ${server}`, () => {
      assert.ok(recordingsOf(server).length >= 5, `only ${recordingsOf(server).length} recordings of ${server}: run npm run test:interop`);
    });

    for (const name of recordingsOf(server)) {
      it(`${server}/${name} has no error or warning`, () => {
        const text = readFileSync(join(folder, server, name), 'utf8');
        const transcript = parseTranscript(text);
        assert.ok(transcript.sessions.length > 0, 'no session in the recording');
        const found = checkTranscript(transcript)
          .filter((problem) => problem.severity === 'error' || problem.severity === 'warning')
          .map((problem) => `line ${problem.range.start.line + 1}: ${problem.severity} ${problem.code}: ${problem.message}`);
        assert.deepEqual(found, []);
      });
    }
  }
});
