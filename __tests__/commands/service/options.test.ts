import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnvPair, readEnvFile } from '../../../src/commands/service/options.js';
import { splitRunCommand } from '../../../src/core/workloadSpec.js';
import { userErrorOf } from '../../helpers/errors.js';
import { specFromFlags } from '../../helpers/spec.js';

const IMAGE = 'svc-busybox:latest';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-options-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const envFile = (text: string) => {
  const file = path.join(dir, 'app.env');
  fs.writeFileSync(file, text);
  return file;
};

describe('specFromFlags: the image must be an image reference', () => {
  it.each([
    '--pid=host',
    '--volume=/:/hostroot',
    '--privileged',
    '--network=host',
    '-v=/:/h',
    '--entrypoint=/bin/sh',
    'Busy Box',
  ])('refuses %s as a usage error', (image) => {
    const error = userErrorOf(() => specFromFlags(image, [], {}));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`Invalid image '${image}': not an image reference`);
  });

  it('takes a reference with registry, tag and digest', () => {
    const image = `localhost:5000/team/app:v1@sha256:${'0'.repeat(64)}`;
    expect(specFromFlags(image, ['--privileged'], {})).toMatchObject({ image, command: ['--privileged'] });
  });
});

describe('parseEnvPair (-e)', () => {
  it.each([
    ['A=1', { key: 'A', value: '1' }],
    ['EMPTY=', { key: 'EMPTY', value: '' }],
    ['EQ=a=b', { key: 'EQ', value: 'a=b' }],
    ['FLAG=--privileged', { key: 'FLAG', value: '--privileged' }],
  ])('%s', (pair, envVar) => {
    expect(parseEnvPair(pair)).toEqual(envVar);
  });

  it.each([
    ['no =', 'A', "Invalid environment variable 'A' in -e/--env: expected KEY=VALUE"],
    ['an empty name', '=1', "Invalid environment variable '=1' in -e/--env: expected KEY=VALUE"],
    [
      'whitespace in the name',
      'BAD NAME=1',
      "Invalid environment variable 'BAD NAME=1' in -e/--env: the name 'BAD NAME' contains whitespace",
    ],
    [
      'a leading #',
      '#A=1',
      "Invalid environment variable '#A=1' in -e/--env: the name '#A' starts with '#', which docker reads as a comment",
    ],
    [
      'a newline in the value',
      'A=x\nB=y',
      'Invalid environment variable A in -e/--env: the value of A contains a line break',
    ],
    [
      'a carriage return in the value',
      'A=x\r',
      'Invalid environment variable A in -e/--env: the value of A contains a line break',
    ],
  ])('refuses %s as a usage error', (_case, pair, message) => {
    const error = userErrorOf(() => parseEnvPair(pair));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(message);
  });
});

describe('readEnvFile (--env-file): values are secret', () => {
  it('reads KEY=VALUE lines, skipping blanks and # comments, each marked secret', () => {
    const file = envFile('# comment\n\nA=1\r\n  B=two words\nEQ=a=b\n');
    expect(readEnvFile(file)).toEqual([
      { key: 'A', value: '1', secret: true },
      { key: 'B', value: 'two words', secret: true },
      { key: 'EQ', value: 'a=b', secret: true },
    ]);
  });

  it.each([
    ['a line without =', 'A=1\nhunter2\n', 'line 2: expected KEY=VALUE'],
    ['whitespace in a name', 'BAD NAME=hunter2\n', "line 1: the name 'BAD NAME' contains whitespace"],
    ['a carriage return inside a value', 'A=hun\rter2\n', 'line 1: the value of A contains a line break'],
    ['a NUL in a value', 'A=hun\0ter2\n', 'line 1: the value of A contains a NUL character'],
  ])('refuses %s without showing the value', (_case, text, problem) => {
    const file = envFile(text);
    const error = userErrorOf(() => readEnvFile(file));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`Invalid environment variable in --env-file ${file}, ${problem}`);
    expect(error.message).not.toContain('hunter2');
  });

  it('is a usage error when the file cannot be read', () => {
    expect(userErrorOf(() => readEnvFile(path.join(dir, 'missing.env'))).kind).toBe('usage');
  });
});

describe('specFromFlags: env from both sources', () => {
  it('marks only --env-file values secret; a later -e of the same key wins and is shown', () => {
    const file = envFile('TOKEN=hunter2\nA=from-file\n');
    expect(specFromFlags(IMAGE, [], { envFile: [file], env: ['A=1', 'B=2'] }).env).toEqual([
      { key: 'TOKEN', value: 'hunter2', secret: true },
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
    ]);
  });
});

describe('splitRunCommand (-r): shell words, nothing expanded', () => {
  it.each([
    ['sh -c "echo $HOME"', ['sh', '-c', 'echo $HOME']],
    [`sh -c 'sleep 5; exit 1'`, ['sh', '-c', 'sleep 5; exit 1']],
    ['echo *.txt ~', ['echo', '*.txt', '~']],
    ['echo a\\ b', ['echo', 'a b']],
  ])('%s', (command, words) => {
    expect(splitRunCommand(command, '-r/--run-command')).toEqual(words);
  });

  it.each([
    ['sleep 5; exit 1', "-r/--run-command 'sleep 5; exit 1' uses shell operators; wrap it as: sh -c '...'"],
    ['a | b', "-r/--run-command 'a | b' uses shell operators; wrap it as: sh -c '...'"],
    ['echo > f', "-r/--run-command 'echo > f' uses shell operators; wrap it as: sh -c '...'"],
    [`sh -c 'echo hi`, `-r/--run-command 'sh -c 'echo hi' cannot be split into words: unterminated single quote`],
    ['sh -c "echo hi', `-r/--run-command 'sh -c "echo hi' cannot be split into words: unterminated double quote`],
    ['echo \\', `-r/--run-command 'echo \\' cannot be split into words: a trailing backslash escapes nothing`],
  ])('refuses %j as a usage error', (command, message) => {
    const error = userErrorOf(() => splitRunCommand(command, '-r/--run-command'));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(message);
  });
});
