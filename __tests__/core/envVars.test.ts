import { envFileText, envVarProblem, maskSecretEnv, SECRET_MASK } from '../../src/core/envVars.js';

describe("envVarProblem: what docker's env file can carry", () => {
  it.each([
    ['A', '1'],
    ['_lower.and-dash', ''],
    ['EQ', 'a=b=c'],
    ['SPACES', '  hello world  '],
    ['HASH', '#not a comment'],
    ['QUOTES', `"it's"`],
    ['UNICODE', 'grüße'],
    ['A#B', 'x'],
  ])('accepts %s=%j', (key, value) => {
    expect(envVarProblem(key, value)).toBeNull();
  });

  it.each([
    ['an empty name', '', '1', 'the name is empty'],
    ['a space in the name', 'BAD NAME', '1', "the name 'BAD NAME' contains whitespace"],
    ['a tab in the name', 'A\tB', '1', "the name 'A\tB' contains whitespace"],
    ['= in the name', 'A=B', '1', "the name 'A=B' contains '='"],
    ['a leading #', '#A', '1', "the name '#A' starts with '#', which docker reads as a comment"],
    ['a newline in the value', 'A', 'x\ny', 'the value of A contains a line break'],
    ['a carriage return in the value', 'A', 'x\r', 'the value of A contains a line break'],
    ['NUL in the value', 'A', 'x\0y', 'the value of A contains a NUL character'],
    ['NUL in the name', 'A\0', '1', "the name 'A\0' contains a NUL character"],
  ])('refuses %s', (_case, key, value, problem) => {
    expect(envVarProblem(key, value)).toBe(problem);
  });
});

describe('envFileText', () => {
  it('writes one KEY=VALUE line per variable, values as they are', () => {
    expect(
      envFileText([
        { key: 'A', value: '1' },
        { key: 'B', value: ' x=#y ' },
        { key: 'C', value: '' },
      ]),
    ).toBe('A=1\nB= x=#y \nC=\n');
  });
});

describe('maskSecretEnv: values from --env-file are never shown', () => {
  it.each([
    ['no env', [], []],
    ['command-line values stay visible', [{ key: 'A', value: '1' }], [{ key: 'A', value: '1' }]],
    [
      'a secret value is masked, its key shown',
      [
        { key: 'A', value: '1' },
        { key: 'TOKEN', value: 'hunter2', secret: true as const },
      ],
      [
        { key: 'A', value: '1' },
        { key: 'TOKEN', value: SECRET_MASK },
      ],
    ],
  ])('%s', (_case, env, shown) => {
    expect(maskSecretEnv(env)).toEqual(shown);
  });

  it('masks with a fixed string that says nothing about the value', () => {
    expect(SECRET_MASK).toBe('********');
  });
});
