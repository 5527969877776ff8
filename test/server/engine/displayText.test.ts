import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { escapeForDisplay, truncateForDisplay } from '../../../server/src/engine/displayText';

describe('escapeForDisplay', () => {
  it('leaves ordinary text, tabs, backslashes and non-ASCII letters alone', () => {
    const text = '250-mx.example.org\tgrüßt dich \\o/ 日本';
    assert.equal(escapeForDisplay(text), text);
  });

  it('escapes CR and LF, alone or paired', () => {
    assert.equal(escapeForDisplay('a\rb\nc\r\nd'), 'a\\rb\\nc\\r\\nd');
  });

  it('escapes terminal escape sequences, NUL, DEL and other C0 controls', () => {
    assert.equal(escapeForDisplay('\x1b[2J\x1b]0;pwned\x07ok\x00\x7f\x08'), '\\x1b[2J\\x1b]0;pwned\\x07ok\\x00\\x7f\\x08');
  });

  it('escapes C1 controls, including the one-character CSI and NEL', () => {
    assert.equal(escapeForDisplay('a\u009b31mb\u0085c\u0080'), 'a\\u009b31mb\\u0085c\\u0080');
  });

  it('escapes line separators and bidirectional overrides', () => {
    assert.equal(escapeForDisplay('x\u2028y\u202egnp.exe\u2066'), 'x\\u2028y\\u202egnp.exe\\u2066');
  });

  it('keeps the text around escapes in order', () => {
    assert.equal(escapeForDisplay('\nstart middle end\n'), '\\nstart middle end\\n');
  });
});

describe('truncateForDisplay', () => {
  it('returns short text unchanged', () => {
    assert.equal(truncateForDisplay('hello', 5), 'hello');
  });

  it('cuts long text with an ellipsis and the original length', () => {
    assert.equal(truncateForDisplay('x'.repeat(10), 4), 'xxxx… (10 characters)');
  });

  it('defaults to 2000 characters', () => {
    const shown = truncateForDisplay('y'.repeat(1_048_576));
    assert.equal(shown, `${'y'.repeat(2000)}… (1048576 characters)`);
  });

  it('does not split a surrogate pair', () => {
    assert.equal(truncateForDisplay('ab😀cd', 3), 'ab… (6 characters)');
  });
});
