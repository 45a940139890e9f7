/**
 * User data on its way to a terminal. A run_command, a process group or a reason may hold control
 * characters: ESC starts sequences that clear the screen, move the cursor over svc's own lines or
 * set the window title, CR and backspace overwrite what is shown, and bidi overrides reorder it. In
 * human-readable output each is shown as text (`\x1b`, `\n`, `\u202e`); --json stays exact.
 */

// C0 (tab and line feed included), DEL, C1, and Unicode's bidi controls and overrides.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, line feeds apart
const CONTROL_BUT_LINE_FEED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escaped = (char: string): string => {
  const code = char.charCodeAt(0);
  return (
    NAMED[char] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
};

/** One line of text: a table cell, a value. */
export const escapeControls = (text: string): string => text.replace(CONTROL, escaped);

/** A message of several lines, svc's own line breaks kept (an error with a hint, fly.toml's problems). */
export const escapeControlsInLines = (text: string): string => text.replace(CONTROL_BUT_LINE_FEED, escaped);
