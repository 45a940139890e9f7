/**
 * The `service run` / `m run` flag parsers, as tables of input -> spec, name or env; the cases
 * options.test.ts already covers (image references, -e pairs, env file secrecy, -r splitting) are not repeated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnvFile, type SpecFlags } from '../../../src/commands/service/options.js';
import { checkServiceName, defaultServiceName, mergeEnv } from '../../../src/core/workloadSpec.js';
import type { EnvVar, WorkloadSpec } from '../../../src/core/workload.js';
import { userErrorOf } from '../../helpers/errors.js';
import { specFromFlags } from '../../helpers/spec.js';

const IMAGE = 'svc-busybox:latest';

describe('defaultServiceName: the image name without registry, path, tag or digest', () => {
  test.each([
    ['nginx', 'nginx'],
    [IMAGE, 'svc-busybox'],
    ['library/nginx:1.25', 'nginx'],
    ['localhost:5000/team/app:v1', 'app'],
    ['localhost:5000/app', 'app'],
    [`registry.example.com/app@sha256:${'a'.repeat(64)}`, 'app'],
    [`app:v1@sha256:${'b'.repeat(64)}`, 'app'],
  ])('%s -> %s', (image, name) => {
    expect(defaultServiceName(image)).toBe(name);
  });
});

describe('checkServiceName', () => {
  test.each(['web', 'Web_1', 'a.b-c', '9lives', 'x', 'svc-busybox'])('takes %p', (name) => {
    expect(checkServiceName(name)).toBe(name);
  });

  test.each([
    ['empty', ''],
    ['a leading -', '-web'],
    ['a leading .', '.web'],
    ['a leading _', '_web'],
    ['a space', 'web app'],
    ['a slash', 'web/1'],
    ['a colon', 'web:1'],
    ['a non-ASCII letter', 'wéb'],
    ['a trailing newline', 'web\n'],
  ])('refuses %s as a usage error', (_what, name) => {
    const error = userErrorOf(() => checkServiceName(name));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(
      `Invalid service name '${name}': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters`,
    );
  });

  // A DNS label's length: its containers (`NAME-1000` at most) are still names Docker takes.
  it('takes a name of 63 characters and refuses one of 64, describing it by its length', () => {
    expect(checkServiceName('a'.repeat(63))).toBe('a'.repeat(63));
    const error = userErrorOf(() => checkServiceName('a'.repeat(64)));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(
      `Invalid service name '${'a'.repeat(20)}...' (64 characters): use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 63 characters`,
    );
  });

  it('quotes no more than 20 characters of a 140,000-character name', () => {
    expect(userErrorOf(() => checkServiceName('x'.repeat(140_000))).message.length).toBeLessThan(200);
  });
});

describe("the command fits on docker's argv: at most 32000 characters with its entrypoint", () => {
  it('takes 32000 characters, entrypoint included', () => {
    expect(specFromFlags(IMAGE, ['x'.repeat(31_990)], { entrypoint: 'e'.repeat(10) }).command).toEqual([
      'x'.repeat(31_990),
    ]);
  });

  test.each<[string, string[], SpecFlags]>([
    ['one word of 140000', ['x'.repeat(140_000)], {}],
    ['words adding up to 32001', ['a'.repeat(16_000), 'b'.repeat(16_001)], {}],
    ['an entrypoint that tips it over', ['x'.repeat(31_990)], { entrypoint: 'e'.repeat(11) }],
  ])('refuses %s as a usage error, before docker could fail with E2BIG', (_what, command, flags) => {
    const error = userErrorOf(() => specFromFlags(IMAGE, command, flags));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/^Invalid command: \d+ characters with its entrypoint, at most 32000$/);
  });
});

describe('mergeEnv: a later definition of a key wins, with its secrecy, in the place of the first', () => {
  const secret = (key: string, value: string): EnvVar => ({ key, value, secret: true });
  const shown = (key: string, value: string): EnvVar => ({ key, value });

  test.each<[string, EnvVar[], EnvVar[]]>([
    ['nothing', [], []],
    ['distinct keys, in order', [shown('A', '1'), shown('B', '2')], [shown('A', '1'), shown('B', '2')]],
    ['a repeated key', [shown('A', '1'), shown('B', '2'), shown('A', '3')], [shown('A', '3'), shown('B', '2')]],
    ['-e after --env-file: shown', [secret('TOKEN', 'x'), shown('TOKEN', 'y')], [shown('TOKEN', 'y')]],
    ['--env-file after -e: secret', [shown('TOKEN', 'x'), secret('TOKEN', 'y')], [secret('TOKEN', 'y')]],
    ['keys differ by case', [shown('a', '1'), shown('A', '2')], [shown('a', '1'), shown('A', '2')]],
  ])('%s', (_what, vars, merged) => {
    expect(mergeEnv(vars)).toEqual(merged);
  });
});

describe('readEnvFile: more line forms', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-options-table-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each<[string, string, EnvVar[]]>([
    ['an empty file', '', []],
    ['comments and blank lines only', '# a\n\n   \n  # indented\n', []],
    ['no final newline', 'A=1', [{ key: 'A', value: '1', secret: true }]],
    [
      'a # after the = is part of the value',
      'A=1 # not a comment\n',
      [{ key: 'A', value: '1 # not a comment', secret: true }],
    ],
    ['spaces around the line are trimmed', '  A=1  \n', [{ key: 'A', value: '1', secret: true }]],
    ['an empty value', 'A=\n', [{ key: 'A', value: '', secret: true }]],
    [
      'a repeated key is kept twice (merged later)',
      'A=1\nA=2\n',
      [
        { key: 'A', value: '1', secret: true },
        { key: 'A', value: '2', secret: true },
      ],
    ],
  ])('%s', (_what, text, vars) => {
    const file = path.join(dir, 'app.env');
    fs.writeFileSync(file, text);
    expect(readEnvFile(file)).toEqual(vars);
  });

  test.each([
    ['an = at the start', '=1\n', 'line 1: expected KEY=VALUE'],
    ['a shell export', 'export A=1\n', "line 1: the name 'export A' contains whitespace"],
    ['the bad line after good ones', 'A=1\n# c\nB\n', 'line 3: expected KEY=VALUE'],
  ])('refuses %s, naming the line', (_what, text, problem) => {
    const file = path.join(dir, 'app.env');
    fs.writeFileSync(file, text);
    const error = userErrorOf(() => readEnvFile(file));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`Invalid environment variable in --env-file ${file}, ${problem}`);
  });
});

describe('specFromFlags', () => {
  const spec = (over: Partial<WorkloadSpec>): WorkloadSpec => ({
    image: IMAGE,
    command: [],
    entrypoint: null,
    env: [],
    memoryMb: null,
    ...over,
  });

  test.each<[string, string[], SpecFlags, WorkloadSpec]>([
    ['no flags: the image defaults', [], {}, spec({})],
    [
      'the words after the image, untouched',
      ['sh', '-c', 'exit $CODE'],
      {},
      spec({ command: ['sh', '-c', 'exit $CODE'] }),
    ],
    [
      '-r split as a shell would',
      [],
      { runCommand: `sh -c 'sleep 5; exit 1'` },
      spec({ command: ['sh', '-c', 'sleep 5; exit 1'] }),
    ],
    ['an empty -r keeps the image command', [], { runCommand: '' }, spec({})],
    ['--entrypoint', [], { entrypoint: '/bin/sh' }, spec({ entrypoint: '/bin/sh' })],
    ['an empty --entrypoint resets it', [], { entrypoint: '' }, spec({ entrypoint: '' })],
    ['--memory in MB', [], { memory: 64 }, spec({ memoryMb: 64 })],
    [
      '-e pairs, a later one winning',
      [],
      { env: ['A=1', 'B=2', 'A=3'] },
      spec({
        env: [
          { key: 'A', value: '3' },
          { key: 'B', value: '2' },
        ],
      }),
    ],
  ])('%s', (_what, command, flags, expected) => {
    expect(specFromFlags(IMAGE, command, flags)).toEqual(expected);
  });

  test.each<[string, string[], SpecFlags, string]>([
    [
      'a command both after IMAGE and in -r',
      ['sh'],
      { runCommand: 'sh' },
      'Give the command either after IMAGE or with -r/--run-command, not both',
    ],
    [
      'an empty -r beside a command',
      ['sh'],
      { runCommand: '' },
      'Give the command either after IMAGE or with -r/--run-command, not both',
    ],
    [
      '-r with a shell operator',
      [],
      { runCommand: 'a && b' },
      "-r/--run-command 'a && b' uses shell operators; wrap it as: sh -c '...'",
    ],
    ['a bad -e', [], { env: ['NOEQUALS'] }, "Invalid environment variable 'NOEQUALS' in -e/--env: expected KEY=VALUE"],
  ])('refuses %s as a usage error', (_what, command, flags, message) => {
    const error = userErrorOf(() => specFromFlags(IMAGE, command, flags));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(message);
  });
});
