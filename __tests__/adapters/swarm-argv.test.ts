/**
 * The argv the swarm adapter builds, through an injected runner: user values stay data (after `--`,
 * or joined to their option), an entrypoint stays one word although the CLI splits it, and services
 * removed between a listing and its inspect (or `service ps`) are left out rather than failing the listing.
 */
import { createSwarmClient } from '../../src/adapters/swarm.js';
import type { RunResult } from '../../src/adapters/docker.js';
import { splitShellWords } from '../../src/core/shellWords.js';
import type { SwarmServiceSpec } from '../../src/engine/ports/swarm-client.js';
import { DockerCommandError } from '../../src/errors.js';

const answering = (answer: (args: string[]) => RunResult) => {
  const calls: string[][] = [];
  const run = async (args: string[]) => {
    calls.push(args);
    return answer(args);
  };
  return { client: createSwarmClient(run), calls };
};

const spec = (fields: Partial<SwarmServiceSpec> = {}): SwarmServiceSpec => ({
  name: 'web',
  image: 'svc-busybox:latest',
  command: ['--help', 'sleep 1'],
  entrypoint: null,
  env: [],
  memoryMb: null,
  replicas: 1,
  labels: { 'io.svc.managed': 'true' },
  restart: { condition: 'any', maxAttempts: 0, windowMs: 0, delayMs: 100 },
  ...fields,
});

const created = { stdout: 'servicexyz\n', stderr: '', exitCode: 0 };

test("the image and command come after --, so a command word like --help is the container's", async () => {
  const { client, calls } = answering(() => created);
  expect(await client.create(spec())).toBe('servicexyz');
  const args = calls[0]!;
  expect(args.slice(args.indexOf('--'))).toEqual(['--', 'svc-busybox:latest', '--help', 'sleep 1']);
  expect(args).toContain('--restart-condition=any');
  expect(args).toContain('--restart-delay=100ms');
});

test.each(['/bin/my tool', "it's", '$(reboot)', '--privileged'])(
  'the entrypoint %p reaches the swarm as one word',
  async (entrypoint) => {
    const { client, calls } = answering(() => created);
    await client.create(spec({ entrypoint }));
    const option = calls[0]!.find((arg) => arg.startsWith('--entrypoint='))!;
    // The docker CLI splits the value as a shell would (without expanding anything).
    expect(splitShellWords(option.slice('--entrypoint='.length))).toEqual({
      ok: true,
      words: [entrypoint],
      operators: expect.any(Array),
    });
  },
);

const SERVICE = (id: string) => ({
  ID: id,
  Spec: {
    Name: id,
    Labels: { 'io.svc.managed': 'true' },
    TaskTemplate: { ContainerSpec: { Image: 'svc-busybox:latest' } },
    Mode: { Replicated: { Replicas: 1 } },
  },
  CreatedAt: '2026-12-02T00:00:00Z',
  UpdatedAt: '2026-12-02T00:00:00Z',
});

test('a service removed between `service ls` and its inspect is left out', async () => {
  const { client } = answering((args) => {
    if (args[1] === 'ls') return { stdout: 'aaa\nbbb\n', stderr: '', exitCode: 0 };
    return { stdout: JSON.stringify([SERVICE('aaa')]), stderr: 'Error: no such service: bbb\n', exitCode: 1 };
  });
  expect((await client.services()).map((s) => s.id)).toEqual(['aaa']);
});

test('every service gone by the inspect: an empty list', async () => {
  const { client } = answering((args) =>
    args[1] === 'ls'
      ? { stdout: 'aaa\n', stderr: '', exitCode: 0 }
      : { stdout: '[]\n', stderr: 'Error: no such service: aaa\n', exitCode: 1 },
  );
  expect(await client.services()).toEqual([]);
});

test('any other inspect failure is an error', async () => {
  const { client } = answering((args) =>
    args[1] === 'ls'
      ? { stdout: 'aaa\n', stderr: '', exitCode: 0 }
      : { stdout: '', stderr: 'Error response from daemon: rpc error: code = Unknown\n', exitCode: 1 },
  );
  await expect(client.services()).rejects.toThrow(DockerCommandError);
});

const TASK = (id: string, serviceId: string) => ({
  ID: id,
  ServiceID: serviceId,
  Slot: 1,
  NodeID: 'n1',
  DesiredState: 'running',
  Status: { State: 'running', Timestamp: '2026-12-02T00:00:00Z' },
});

test("a service removed between its inspect and `service ps`: its tasks are left out, the others' listed", async () => {
  const { client, calls } = answering((args) => {
    // docker prints the tasks it found, then fails naming the service it did not.
    if (args[1] === 'ps') return { stdout: 'taskaaa\n', stderr: 'no such service: bbb\n', exitCode: 1 };
    return { stdout: JSON.stringify([TASK('taskaaa', 'aaa')]), stderr: '', exitCode: 0 };
  });
  expect((await client.tasks(['aaa', 'bbb'])).map((t) => [t.id, t.serviceId])).toEqual([['taskaaa', 'aaa']]);
  expect(calls[1]).toEqual(['inspect', '--type=task', '--', 'taskaaa']);
});

test('every service gone by `service ps`: no tasks, and no task inspect', async () => {
  const { client, calls } = answering(() => ({ stdout: '', stderr: 'no such service: aaa\n', exitCode: 1 }));
  expect(await client.tasks(['aaa'])).toEqual([]);
  expect(calls).toHaveLength(1);
});

test('any other `service ps` failure is an error', async () => {
  const { client } = answering(() => ({
    stdout: '',
    stderr: 'Error response from daemon: rpc error: code = Unknown\n',
    exitCode: 1,
  }));
  await expect(client.tasks(['aaa'])).rejects.toThrow(DockerCommandError);
});
