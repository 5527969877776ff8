import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getSemanticTokens, SEMANTIC_TOKENS_LEGEND, type SemanticDepth } from '../../../server/src/features/semanticTokens';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** Decodes LSP's relative encoding into [line, character, length] triples. */
function positions(depth: SemanticDepth, ...lines: string[]): number[][] {
  return decode(depth, lines).map(({ line, character, length }) => [line, character, length]);
}

/** Each token as `text type.modifier…`, in order: what an editor would colour and how. */
function painted(...lines: string[]): string[] {
  return decode('full', lines).map(({ line, character, length, type, modifiers }) =>
    `${lines[line].slice(character, character + length)} ${[type, ...modifiers].join('.')}`);
}

function decode(depth: SemanticDepth, lines: string[]) {
  const data = getSemanticTokens(parseTranscript(lines.join('\n')), lines, depth).data;
  const decoded: { line: number; character: number; length: number; type: string; modifiers: string[] }[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
    const modifiers = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => (data[i + 4] & (1 << bit)) !== 0);
    decoded.push({ line, character, length: data[i + 2], type: SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]], modifiers });
  }
  return decoded;
}

describe('getSemanticTokens for a client with the TextMate grammar (VS Code)', () => {
  it('marks SASL responses, which the grammar would take for commands', () => {
    assert.deepEqual(positions('beyondGrammar', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: DATA', 'S: 235 ok', 'C: NOOP'), [[2, 3, 4]]);
  });

  it('marks BDAT chunk lines, whose end only an octet count tells', () => {
    assert.deepEqual(positions('beyondGrammar', 'C: BDAT 12 LAST', 'S: 250 x', 'C:ab', 'S: 250 ok'), [[1, 0, 8], [2, 2, 2]]);
  });
});

describe('getSemanticTokens for editors with semantic tokens alone', () => {
  it('uses only standard token types, besides the reply classes as modifiers', () => {
    const standard = ['namespace', 'type', 'class', 'enum', 'interface', 'struct', 'typeParameter', 'parameter', 'variable', 'property', 'enumMember', 'event', 'function', 'method', 'macro', 'keyword', 'modifier', 'comment', 'string', 'number', 'regexp', 'operator', 'decorator'];
    for (const type of SEMANTIC_TOKENS_LEGEND.tokenTypes) assert.ok(standard.includes(type), type);
  });

  it('colours prefixes and verbs as keywords, addresses as strings, parameters, and reply codes by class', () => {
    assert.deepEqual(painted('S: 220 mx.example ESMTP', 'C: MAIL FROM:<a@example.com> SIZE=100', 'S: 250-2.1.0 ok', 'S: 250 more', 'C: RCPT TO:<b@example.org>', 'S: 450 4.2.1 later', 'C: VRFY b', 'S: 550 no', 'C: DATA', 'S: 354 go'), [
      'S: keyword', '220 number.success',
      'C: keyword', 'MAIL keyword', 'FROM: keyword', '<a@example.com> string', 'SIZE parameter', '100 string',
      'S: keyword', '250 number.success', '- operator', '2.1.0 number.success',
      'S: keyword', '250 number.success',
      'C: keyword', 'RCPT keyword', 'TO: keyword', '<b@example.org> string',
      'S: keyword', '450 number.transient', '4.2.1 number.transient',
      'C: keyword', 'VRFY keyword',
      'S: keyword', '550 number.permanent',
      'C: keyword', 'DATA keyword',
      'S: keyword', '354 number.intermediate',
    ]);
  });

  it('colours comments, sessions, variables and system functions, with a reference cut out of the text around it', () => {
    assert.deepEqual(painted('# a file comment', '@user = alice', '### Login', 'S: 220', 'C: AUTH PLAIN {{$authPlain {{user}} {{$secret PASS}}}}', 'C: MAIL FROM:<{{user}}@example.com>'), [
      '# a file comment comment',
      '@user variable.declaration', 'alice string',
      '### Login namespace.declaration',
      'S: keyword', '220 number.success',
      'C: keyword', 'AUTH keyword', '{{$authPlain {{user}} {{$secret PASS}}}} function.defaultLibrary',
      'C: keyword', 'MAIL keyword', 'FROM: keyword', '< string', '{{user}} variable', '@example.com> string',
    ]);
  });

  it('colours a message: header names as properties, values and text as strings, the final dot as a keyword', () => {
    assert.deepEqual(painted('S: 220', 'C: DATA', 'S: 354', 'Subject: Hi', '', 'Hello: not a header', '.', 'S: 250'), [
      'S: keyword', '220 number.success',
      'C: keyword', 'DATA keyword',
      'S: keyword', '354 number.intermediate',
      'Subject property', ' Hi string',
      'Hello: not a header string',
      '. keyword',
      'S: keyword', '250 number.success',
    ]);
  });
});
