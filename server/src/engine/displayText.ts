// Text that came from the network (or from a file) is shown in terminals, the
// editor's output and JSON consumers. A hostile server could otherwise move the
// cursor, clear the screen, retitle the window (ESC sequences), fake extra lines
// (CR, LF, U+2028) or reorder what is shown (bidirectional overrides).

const HEX = '0123456789abcdef';

function hex2(code: number): string {
  return HEX[code >> 4] + HEX[code & 15];
}

/** Characters shown as escapes; tab is the one control character left as it is. */
function needsEscape(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09) || // C0 controls, including CR and LF
    (code >= 0x7f && code <= 0x9f) || // DEL and C1 controls (0x9b is a one-byte CSI)
    code === 0x2028 || code === 0x2029 || // line and paragraph separators
    (code >= 0x202a && code <= 0x202e) || // bidirectional embeddings and overrides
    (code >= 0x2066 && code <= 0x2069) || // bidirectional isolates
    code === 0x200e || code === 0x200f || code === 0x061c // directional marks
  );
}

/** The characters needsEscape names, as one pattern. */
const NEEDS_ESCAPE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

function escapeChar(code: number): string {
  if (code === 0x0d) return '\\r';
  if (code === 0x0a) return '\\n';
  if (code < 0x80) return `\\x${hex2(code)}`;
  return `\\u${hex2(code >> 8)}${hex2(code & 0xff)}`;
}

/**
 * One display line: every CR and LF (whether or not they form a pair), every
 * other C0 control except tab, DEL, C1 controls, and the Unicode line
 * separators and bidirectional controls are written as escapes — `\r`, `\n`,
 * `\x1b`, `\x7f`, `\u0085`, `\u202e`. Backslashes are left alone so ordinary
 * text reads normally. Redact secrets before escaping (the Redactor also knows
 * the escaped forms, so either order is safe).
 */
export function escapeForDisplay(text: string): string {
  // Nearly every line shown has nothing to escape: one native scan says so (the same set as needsEscape).
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!needsEscape(code)) continue;
    out += text.slice(from, i) + escapeChar(code);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * At most `max` characters of `text`, then an ellipsis and the original length
 * when anything was cut: `abc… (1048576 characters)`. Never splits a surrogate
 * pair. The suffix is not counted in `max`.
 */
export function truncateForDisplay(text: string, max = 2000): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--; // keep a pair whole
  return `${text.slice(0, end)}… (${text.length} characters)`;
}
