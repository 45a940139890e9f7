/**
 * Splitting a command string into argv the way a POSIX shell splits words, with nothing expanded:
 * no shell ever runs afterwards, so `$VAR`, globs, `~` and backticks are plain text, and what a
 * shell could not split (an open quote, a trailing backslash) is refused rather than guessed. Pure.
 */

export type SplitResult =
  | {
      ok: true;
      words: string[];
      /** Unquoted shell operator characters, which the words keep as text; callers may refuse them. */
      operators: string[];
    }
  | { ok: false; problem: string };

const BLANK = /[ \t\n]/;
const OPERATOR = /[|&;<>()]/;
/** Inside double quotes a backslash escapes only these; before anything else it is kept. */
const ESCAPABLE_IN_DOUBLE_QUOTES = new Set(['$', '`', '"', '\\', '\n']);

export const splitShellWords = (text: string): SplitResult => {
  const words: string[] = [];
  const operators: string[] = [];
  let word = '';
  /** A word exists once anything, even an empty pair of quotes, was read since the last blank. */
  let inWord = false;
  let i = 0;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };

  while (i < text.length) {
    const char = text[i];
    if (BLANK.test(char)) {
      endWord();
      i += 1;
    } else if (char === '#' && !inWord) {
      // A comment runs to the end of the line.
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline;
    } else if (char === '\\') {
      if (i + 1 >= text.length) return { ok: false, problem: 'a trailing backslash escapes nothing' };
      // Backslash-newline joins two lines; anything else escaped is taken as it is.
      if (text[i + 1] !== '\n') {
        word += text[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (char === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return { ok: false, problem: 'unterminated single quote' };
      word += text.slice(i + 1, close);
      inWord = true;
      i = close + 1;
    } else if (char === '"') {
      const quoted = readDoubleQuoted(text, i + 1);
      if (quoted === null) return { ok: false, problem: 'unterminated double quote' };
      word += quoted.text;
      inWord = true;
      i = quoted.end;
    } else {
      if (OPERATOR.test(char)) operators.push(char);
      word += char;
      inWord = true;
      i += 1;
    }
  }
  endWord();
  return { ok: true, words, operators };
};

/** The text between a double quote at `start - 1` and its closing quote, and the index after it. */
const readDoubleQuoted = (text: string, start: number): { text: string; end: number } | null => {
  let result = '';
  for (let i = start; i < text.length; i += 1) {
    const char = text[i];
    if (char === '"') return { text: result, end: i + 1 };
    if (char === '\\' && i + 1 < text.length && ESCAPABLE_IN_DOUBLE_QUOTES.has(text[i + 1])) {
      if (text[i + 1] !== '\n') result += text[i + 1];
      i += 1;
    } else {
      result += char;
    }
  }
  return null;
};

/** Characters a shell gives no meaning to, so a word made only of them needs no quotes. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** argv back into one string that splitShellWords (and a shell) reads as the same words. */
export const quoteShellWords = (words: readonly string[]): string =>
  words.map((word) => (PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
