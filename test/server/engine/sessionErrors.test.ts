import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { atLine, SessionError } from '../../../server/src/engine/sessionErrors';

describe('SessionError', () => {
  it('carries its kind, message and line, and is an Error', () => {
    const error = new SessionError('injection', 'line 3: nothing was sent', 3);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'SessionError');
    assert.equal(error.kind, 'injection');
    assert.equal(error.message, 'line 3: nothing was sent');
    assert.equal(error.line, 3);
    assert.match(String(error), /^SessionError: line 3/);
  });

  it('has no line unless given one', () => {
    assert.equal(new SessionError('timeout', 'no greeting').line, null);
  });
});

describe('atLine', () => {
  it('starts a message with the line when it is known', () => {
    assert.equal(atLine(12), 'line 12: ');
    assert.equal(atLine(null), '');
  });
});
