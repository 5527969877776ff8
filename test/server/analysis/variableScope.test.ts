import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VariableScopes, visibleVariables } from '../../../server/src/analysis/variableScope';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const names = (scope: ReadonlyMap<string, { value: { text: string } }>) => [...scope].map(([name, definition]) => `${name}=${definition.value.text}`);

describe('VariableScopes', () => {
  const file = parseTranscript([
    '@server = mx.example', // 0
    '### one', // 1
    'C: EHLO a', // 2
    '@user = alice', // 3
    'C: MAIL FROM:<{{user}}@example.com>', // 4
    '@user = bob', // 5
    'C: RCPT TO:<{{user}}@example.org>', // 6
    '### two', // 7
    'C: EHLO {{user}}', // 8
  ].join('\n'));
  const [one, two] = file.sessions;

  it('sees what visibleVariables sees at each line, walking forward and back and across sessions', () => {
    const scopes = new VariableScopes(file);
    for (const [session, line] of [[one, 2], [one, 4], [one, 5], [one, 6], [one, 3], [one, 99], [two, 8], [one, 6]] as const) {
      assert.deepEqual(names(scopes.at(session, line)), names(visibleVariables(file, session, line)), `line ${line}`);
    }
    assert.deepEqual(names(scopes.at(one, 6)), ['server=mx.example', 'user=bob']);
    assert.deepEqual(names(scopes.at(two, 8)), ['server=mx.example']);
  });

  it('shares one map between the lines that see the same definitions', () => {
    const scopes = new VariableScopes(file);
    assert.equal(scopes.at(one, 2), scopes.at(two, 8));
    assert.equal(scopes.at(one, 4), scopes.at(one, 5));
    assert.notEqual(scopes.at(one, 5), scopes.at(one, 6));
  });
});
