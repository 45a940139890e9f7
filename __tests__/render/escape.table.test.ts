/** User data shown to a terminal: every control character as text, everything else as it is. */
import { escapeControls, escapeControlsInLines } from '../../src/render/escape.js';

describe('escapeControls', () => {
  test.each<[string, string, string]>([
    ['plain text, non-ASCII letters and a backslash', 'wéb 日本 \\d', 'wéb 日本 \\d'],
    ['ESC: clear the screen', '\u001b[2J\u001b[H', '\\x1b[2J\\x1b[H'],
    ['OSC: set the title, ended by BEL', '\u001b]0;pwned\u0007', '\\x1b]0;pwned\\x07'],
    ['line breaks, carriage return, tab', 'a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['NUL, backspace, DEL', '\u0000\u0008\u007f', '\\x00\\x08\\x7f'],
    ['C1: CSI and the end of the range', '\u009b2J\u0080\u009f', '\\x9b2J\\x80\\x9f'],
    [
      'bidi overrides and isolates',
      '\u202eabc\u202c\u2066\u2069\u200f\u061c',
      '\\u202eabc\\u202c\\u2066\\u2069\\u200f\\u061c',
    ],
    ['the first character after C1, kept', '\u00a0', '\u00a0'],
  ])('%s', (_what, text, shown) => {
    expect(escapeControls(text)).toBe(shown);
  });
});

describe('escapeControlsInLines', () => {
  it("keeps line feeds (svc's own lines) and escapes the rest", () => {
    expect(escapeControlsInLines('line 1: \u001b[2J\r\nline 2')).toBe('line 1: \\x1b[2J\\r\nline 2');
  });
});
