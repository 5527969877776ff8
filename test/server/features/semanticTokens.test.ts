import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getSemanticTokens } from '../../../server/src/features/semanticTokens';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** Decodes LSP's relative encoding into [line, character, length] triples. */
function tokens(...lines: string[]): number[][] {
  const data = getSemanticTokens(parseTranscript(lines.join('\n'))).data;
  const decoded: number[][] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    decoded.push([line, character, data[i + 2]]);
  }
  return decoded;
}

describe('getSemanticTokens', () => {
  it('marks SASL responses, which the grammar would take for commands', () => {
    assert.deepEqual(tokens('C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: DATA', 'S: 235 ok', 'C: NOOP'), [[2, 3, 4]]);
  });

  it('marks BDAT chunk lines, whose end only an octet count tells', () => {
    assert.deepEqual(tokens('C: BDAT 12 LAST', 'S: 250 x', 'C:ab', 'S: 250 ok'), [[1, 0, 8], [2, 2, 2]]);
  });
});
