import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { visibleName } from '../../client/src/visibleText';

describe('visible text', () => {
  it('writes out what would reorder or hide text, and leaves the rest alone', () => {
    assert.equal(visibleName('report\u202Efdp.exe'), 'report\\u202efdp.exe');
    assert.equal(visibleName('a\u2066b\u2069c\u061Cd\u200Fe'), 'a\\u2066b\\u2069c\\u061cd\\u200fe');
    assert.equal(visibleName('two\nlines\tand\u009Bcsi'), 'two\\u000alines\\u0009and\\u009bcsi');
    assert.equal(visibleName('bodies/übersicht – 2026.txt'), 'bodies/übersicht – 2026.txt');
  });
});
