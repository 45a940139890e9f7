/** Which docker failures become which errors, written once for the container and the swarm adapters. */
import { stdoutOrThrow, throwIfUnreachable } from '../../src/adapters/docker-errors.js';
import type { RunResult } from '../../src/adapters/docker.js';
import { createSwarmClient } from '../../src/adapters/swarm.js';
import { DockerCommandError, DockerUnreachableError, UserError } from '../../src/errors.js';

const DAEMON_DOWN =
  'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\nmore';
const failing = (stderr: string): RunResult => ({ stdout: '', stderr, exitCode: 1 });

describe('stdoutOrThrow', () => {
  test('a call that succeeded gives its stdout', () => {
    expect(stdoutOrThrow(['ps'], { stdout: 'out\n', stderr: 'a warning', exitCode: 0 })).toBe('out\n');
  });

  test.each([
    ['the daemon down', DAEMON_DOWN],
    ['no permission on the socket', 'permission denied while trying to connect to the Docker daemon socket'],
    ['a remote engine down', 'error during connect: Get "http://host/v1.45/info": EOF'],
  ])('%s: DockerUnreachableError naming the first line', (_what, stderr) => {
    const call = () => stdoutOrThrow(['ps'], failing(stderr));
    expect(call).toThrow(DockerUnreachableError);
    expect(call).toThrow(stderr.split('\n')[0]);
  });

  test("another failure is the caller's error when it recognises one, else DockerCommandError", () => {
    const mine = new UserError('mine');
    const recognise = (stderr: string, firstLine: string) => (stderr.includes('special') ? mine : new Error(firstLine));
    expect(() => stdoutOrThrow(['ps'], failing('x special'), recognise)).toThrow(mine);
    expect(() => stdoutOrThrow(['ps'], failing('Error: invalid filter'))).toThrow(DockerCommandError);
    // Out of reach comes first, whatever the caller recognises.
    expect(() => stdoutOrThrow(['ps'], failing(`${DAEMON_DOWN} special`), recognise)).toThrow(DockerUnreachableError);
  });
});

test('throwIfUnreachable names the detail given, and lets any other failure through', () => {
  expect(() => throwIfUnreachable(DAEMON_DOWN, 'the line that matters')).toThrow('the line that matters');
  expect(() => throwIfUnreachable('Error: No such container: a')).not.toThrow();
});

describe('the swarm adapter', () => {
  const client = (stderr: string) => createSwarmClient(async () => failing(stderr));

  test.each<[string, string, (c: ReturnType<typeof client>) => Promise<unknown>, new (...args: never[]) => Error]>([
    ['nodes, daemon down', DAEMON_DOWN, (c) => c.nodes(), DockerUnreachableError],
    ['services, daemon down', DAEMON_DOWN, (c) => c.services(), DockerUnreachableError],
    ['tasks, daemon down', DAEMON_DOWN, (c) => c.tasks(['s1']), DockerUnreachableError],
    ['remove, daemon down', DAEMON_DOWN, (c) => c.remove('s1'), DockerUnreachableError],
    ['nodes, not a manager', 'Error: This node is not a swarm manager.', (c) => c.nodes(), UserError],
    ['nodes refused', 'Error: something else', (c) => c.nodes(), DockerCommandError],
  ])('%s', async (_what, stderr, call, errorClass) => {
    await expect(call(client(stderr))).rejects.toBeInstanceOf(errorClass);
  });

  test('not a manager says so and how to fix it', async () => {
    await expect(client('Error: This node is not a swarm manager.').nodes()).rejects.toThrow(
      'The Docker engine svc talks to is not a swarm manager: Error: This node is not a swarm manager.',
    );
  });

  test('removing a service that is gone meets the wish', async () => {
    await expect(client('Error: service s1 not found').remove('s1')).resolves.toBeUndefined();
  });
});
