import { quoteShellWords, splitShellWords } from '../../src/core/shellWords.js';

describe('splitShellWords: words as a POSIX shell splits them, nothing expanded', () => {
  it.each([
    ['plain words', 'sleep 600', ['sleep', '600']],
    ['runs of whitespace, tabs and newlines', ' a \t b\n c ', ['a', 'b', 'c']],
    ['nothing', '', []],
    ['only blanks', '  \t ', []],
    ['single quotes are literal', `sh -c 'echo "$HOME" \\n'`, ['sh', '-c', 'echo "$HOME" \\n']],
    ['double quotes keep $VAR', 'sh -c "echo $HOME"', ['sh', '-c', 'echo $HOME']],
    ['in double quotes \\ escapes $ ` " \\', 'x "\\$A \\` \\" \\\\"', ['x', '$A ` " \\']],
    ['in double quotes \\ before anything else stays', '"a\\nb\\\'c"', ["a\\nb\\'c"]],
    ['in double quotes \\ newline continues the line', '"a\\\nb"', ['ab']],
    ['outside quotes \\ escapes the next character', 'a\\ b \\"c\\\' \\$d \\\\', ['a b', '"c\'', '$d', '\\']],
    ['outside quotes \\ newline continues the line', 'ab\\\ncd', ['abcd']],
    ['quotes join with what touches them', `a'b'"c"d`, ['abcd']],
    ['an empty quoted word is a word', `a '' ""`, ['a', '', '']],
    ['globs stay literal', 'ls *.txt ?x [ab]', ['ls', '*.txt', '?x', '[ab]']],
    ['~ and $(...) text stay literal', 'echo ~ ~/x $HOME `id`', ['echo', '~', '~/x', '$HOME', '`id`']],
    ['an unquoted # at a word start begins a comment', 'echo a #b c', ['echo', 'a']],
    ['a comment ends at the newline', 'a # note\nb', ['a', 'b']],
    ['# inside a word is text', 'echo a#b', ['echo', 'a#b']],
    ['a quoted # is text', `echo '#x' "#y" \\#z`, ['echo', '#x', '#y', '#z']],
    ['operators touching words are kept as text', 'a|b c>d', ['a|b', 'c>d']],
  ])('%s: %j', (_case, text, words) => {
    expect(splitShellWords(text)).toEqual({ ok: true, words, operators: expect.any(Array) });
  });

  it.each([
    ['a pipe', 'a | b', ['|']],
    ['and-and', 'a && b', ['&', '&']],
    ['a semicolon and redirections', 'a; b > c < d', [';', '>', '<']],
    ['a subshell', '(a)', ['(', ')']],
    ['$(...)', 'echo $(id)', ['(', ')']],
    ['none when quoted or escaped', `'a|b' "c;d" e\\&f`, []],
    ['none in a comment', 'a # b | c', []],
  ])('reports unquoted operators: %s', (_case, text, operators) => {
    expect(splitShellWords(text)).toMatchObject({ ok: true, operators });
  });

  it.each([
    ['an unterminated single quote', `sh -c 'echo hi`, 'unterminated single quote'],
    ['an unterminated double quote', 'sh -c "echo hi', 'unterminated double quote'],
    ['a quote opened inside the other kind', `"it's`, 'unterminated double quote'],
    ['a trailing lone backslash', 'echo \\', 'a trailing backslash escapes nothing'],
  ])('refuses %s', (_case, text, problem) => {
    expect(splitShellWords(text)).toEqual({ ok: false, problem });
  });
});

describe('quoteShellWords: the inverse, for display', () => {
  it.each([
    [['sleep', '600'], 'sleep 600'],
    [['sh', '-c', 'echo $HOME; exit 1'], `sh -c 'echo $HOME; exit 1'`],
    [["it's"], `'it'\\''s'`],
    [[''], `''`],
    [[], ''],
  ])('%j -> %s', (words, text) => {
    expect(quoteShellWords(words)).toBe(text);
  });

  it.each([
    [['a b', "c'd", '"', '\\', '$X', '#x', '*', '~', '']],
    [['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait']],
    // What DC's run_command showed wrongly before: a newline, an operator, a backslash, an empty word, a leading #.
    [['sh', '-c', 'echo one\necho two']],
    [['echo', 'a|b', 'a\\tb', '', '#1']],
  ])('splits back into the same words: %j', (words) => {
    expect(splitShellWords(quoteShellWords(words))).toEqual({ ok: true, words, operators: [] });
  });
});
