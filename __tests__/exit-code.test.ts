/** SPEC §3: each kind of user error has its exit code; the CLI prints message and hint on stderr. */
import { PassThrough } from 'node:stream';
import { CommanderError } from 'commander';
import { exitCodeFor } from '../src/cli.js';
import { DockerUnreachableError, PartialFailure, StateWriteError, UserError, type ErrorKind } from '../src/errors.js';

const run = (error: unknown) => {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = exitCodeFor(error, stderr);
  return { code, stderr: text };
};

test.each<[ErrorKind, number]>([
  ['usage', 2],
  ['not-found', 3],
  ['conflict', 1],
  ['failed', 1],
  ['engine-unreachable', 4],
])('a %s error exits %i', (kind, code) => {
  expect(run(new UserError('it went wrong', { kind, hint: 'do this' }))).toEqual({
    code,
    stderr: 'Error: it went wrong\ndo this\n',
  });
});

test.each<[string, unknown, number]>([
  ['Docker unreachable', new DockerUnreachableError('no socket'), 4],
  [
    'a state file that cannot be written',
    new StateWriteError('/x/state.json', Object.assign(new Error('x'), { code: 'ENOSPC' })),
    1,
  ],
  ['--help or --version', new CommanderError(0, 'commander.helpDisplayed', ''), 0],
  ['an unknown flag', new CommanderError(1, 'commander.unknownOption', 'unknown option'), 2],
])('%s exits %i', (_name, error, code) => {
  expect(run(error).code).toBe(code);
});

test.each<[string, ErrorKind[], number]>([
  ['one not found among failures', ['failed', 'not-found', 'conflict'], 3],
  ['only failures', ['failed', 'conflict'], 1],
  ['a usage error and a failure', ['failed', 'usage'], 2],
])('several identifiers, %s: the worst exit code, nothing printed again', (_name, kinds, code) => {
  const failures = kinds.map((kind) => new UserError(`${kind} happened`, { kind }));
  expect(run(new PartialFailure(failures))).toEqual({ code, stderr: '' });
});

test('a bug is exit 1 with its stack, named as a bug', () => {
  const { code, stderr } = run(new TypeError('x is undefined'));
  expect(code).toBe(1);
  expect(stderr).toMatch(/^Internal error \(a bug in svc, please report it\): TypeError: x is undefined\n {4}at /);
});

test('the cause is kept for whoever reads the error', () => {
  const cause = new Error('EACCES');
  expect(new UserError('Cannot read', { cause }).cause).toBe(cause);
});
