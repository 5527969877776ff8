import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sessionAtLine } from '../../client/src/sessionAtCursor';

/** Two sessions, on lines 2–5 and 8–12 (0-based); lines 0–1 hold the file's variables. */
const SESSIONS = [{ startLine: 2, endLine: 5 }, { startLine: 8, endLine: 12 }];

describe('the session at the cursor', () => {
  it('is the session whose lines hold the cursor, its first and last line included', () => {
    assert.equal(sessionAtLine(SESSIONS, 2), 0);
    assert.equal(sessionAtLine(SESSIONS, 5), 0);
    assert.equal(sessionAtLine(SESSIONS, 8), 1);
    assert.equal(sessionAtLine(SESSIONS, 12), 1);
  });
  it('is the session above, for the blank lines between two sessions and below the last', () => {
    assert.equal(sessionAtLine(SESSIONS, 6), 0);
    assert.equal(sessionAtLine(SESSIONS, 40), 1);
  });
  it('is the first session, for the file\'s variables above it', () => {
    assert.equal(sessionAtLine(SESSIONS, 0), 0);
  });
  it('is none in a document without sessions', () => {
    assert.equal(sessionAtLine([], 3), null);
  });
});
