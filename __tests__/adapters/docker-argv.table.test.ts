/**
 * More of the Docker adapter through an injected runner: the argv of the calls docker-argv.test.ts
 * does not cover, what it makes of docker's output, and which failures become which errors.
 */
import { createDocker, type RunResult } from '../../src/adapters/docker.js';
import { DockerCommandError, DockerUnreachableError } from '../../src/errors.js';

/** The adapter's own types, read off it, whichever module declares them. */
type Docker = ReturnType<typeof createDocker>;
type ContainerSummary = Awaited<ReturnType<Docker['listManaged']>>[number];
type DockerEvent = Parameters<Parameters<Docker['events']>[1]>[0];

const OK: RunResult = { stdout: '', stderr: '', exitCode: 0 };

/** A runner that records every argv and answers each with `result`. */
const recordingRunner = (result: RunResult = OK) => {
  const calls: string[][] = [];
  const run = async (args: string[]) => {
    calls.push(args);
    return result;
  };
  return { run, calls };
};

/** A streamer that records its argv and hands the test the line callback. */
const recordingStreamer = () => {
  const streamed: string[][] = [];
  let push: (line: string, stream: 'stdout' | 'stderr') => void = () => {
    throw new Error('nothing is streaming');
  };
  const stream = (args: string[], onLine: (line: string, stream: 'stdout' | 'stderr') => void) => {
    streamed.push(args);
    push = onLine;
    return { done: new Promise<{ exitCode: number; stderr: string }>(() => {}), stop: () => undefined };
  };
  return { stream, streamed, push: (line: string, from: 'stdout' | 'stderr' = 'stdout') => push(line, from) };
};

describe('argv', () => {
  test.each<[string, (docker: Docker) => Promise<unknown>, string[][]]>([
    ['server version', (d) => d.serverVersion(), [['version', '--format', '{{.Server.Version}}']]],
    ['stop waits 10 s by default', (d) => d.stop(['abc']), [['stop', '--time=10', '--', 'abc']]],
    ['stop of several', (d) => d.stop(['a', 'b'], 0), [['stop', '--time=0', '--', 'a', 'b']]],
    ['rm of several', (d) => d.remove(['a', 'b']), [['rm', '--force', '--', 'a', 'b']]],
    ['start of no container asks nothing', (d) => d.start([]), []],
    ['stop of no container asks nothing', (d) => d.stop([]), []],
    ['rm of no container asks nothing', (d) => d.remove([]), []],
    ['inspect of no container asks nothing', (d) => d.inspect([]), []],
    [
      'ps of the managed containers',
      (d) => d.listManaged(),
      [['ps', '--all', '--no-trunc', '--filter=label=io.svc.managed=true', '--format={{json .}}']],
    ],
    [
      'create with nothing optional',
      (d) =>
        d.create({
          name: 'web-1',
          image: 'svc-busybox:latest',
          command: [],
          entrypoint: null,
          env: [],
          memoryMb: null,
          labels: {},
        }),
      [['create', '--name=web-1', '--restart=no', '--', 'svc-busybox:latest']],
    ],
    [
      'create: a label value with = and spaces stays one argument',
      (d) =>
        d.create({
          name: 'web-1',
          image: 'svc-busybox:latest',
          command: [],
          entrypoint: null,
          env: [],
          memoryMb: null,
          labels: { k: 'a=b c' },
        }),
      [['create', '--name=web-1', '--restart=no', '--label=k=a=b c', '--', 'svc-busybox:latest']],
    ],
  ])('%s', async (_what, call, argv) => {
    const runner = recordingRunner({ stdout: '', stderr: '', exitCode: 0 });
    await call(createDocker(runner.run));
    expect(runner.calls).toEqual(argv);
  });

  test.each<[string, number | null, string[]]>([
    [
      'events from a time',
      1_700_000_000,
      [
        'events',
        '--filter=type=container',
        '--filter=label=io.svc.managed=true',
        '--since=1700000000',
        '--format={{json .}}',
      ],
    ],
    [
      'events from now',
      null,
      ['events', '--filter=type=container', '--filter=label=io.svc.managed=true', '--format={{json .}}'],
    ],
  ])('%s', (_what, since, argv) => {
    const streamer = recordingStreamer();
    createDocker(recordingRunner().run, streamer.stream).events(since, () => undefined);
    expect(streamer.streamed).toEqual([argv]);
  });

  test.each<[string, { follow: boolean; tail: number | null }, string[]]>([
    ['logs, all of it', { follow: false, tail: null }, ['logs', '--', 'abc']],
    ['logs --tail 0', { follow: false, tail: 0 }, ['logs', '--tail=0', '--', 'abc']],
    ['logs -f', { follow: true, tail: null }, ['logs', '--follow', '--', 'abc']],
  ])('%s', (_what, options, argv) => {
    const streamer = recordingStreamer();
    createDocker(recordingRunner().run, streamer.stream).logs('abc', options, () => undefined);
    expect(streamer.streamed).toEqual([argv]);
  });
});

describe('what the adapter makes of docker output', () => {
  test('server version is trimmed', async () => {
    expect(await createDocker(recordingRunner({ ...OK, stdout: '27.1.0\n' }).run).serverVersion()).toBe('27.1.0');
  });

  test('create returns the new id, trimmed', async () => {
    const docker = createDocker(recordingRunner({ ...OK, stdout: 'c0ffee\n' }).run);
    expect(
      await docker.create({
        name: 'x',
        image: 'i',
        command: [],
        entrypoint: null,
        env: [],
        memoryMb: null,
        labels: {},
      }),
    ).toBe('c0ffee');
  });

  const psRow = (over: Record<string, string>) =>
    JSON.stringify({
      ID: 'c1',
      Names: 'web-1',
      Image: 'svc-busybox:latest',
      Command: '"sh -c \'exit 1\'"',
      State: 'exited',
      Status: 'Exited (1) 3 seconds ago',
      CreatedAt: '2026-11-21 19:23:28 +0000 UTC',
      Labels: 'io.svc.managed=true,io.svc.workload=w1,io.svc.instance=1',
      ...over,
    });

  test.each<[string, string, Partial<ContainerSummary>]>([
    [
      'an exited container: its exit code from the status',
      psRow({}),
      { id: 'c1', name: 'web-1', state: 'exited', exitCode: 1 },
    ],
    [
      'a running container has no exit code',
      psRow({ State: 'running', Status: 'Up 2 minutes' }),
      { state: 'running', exitCode: null },
    ],
    ['a negative exit code', psRow({ Status: 'Exited (-1) 1 second ago' }), { exitCode: -1 }],
    ['a created container', psRow({ State: 'created', Status: 'Created' }), { state: 'created', exitCode: null }],
    [
      'its labels, as a record',
      psRow({}),
      { labels: { 'io.svc.managed': 'true', 'io.svc.workload': 'w1', 'io.svc.instance': '1' } },
    ],
  ])('ps: %s', async (_what, row, expected) => {
    const [container] = await createDocker(recordingRunner({ ...OK, stdout: `${row}\n` }).run).listManaged();
    expect(container).toMatchObject(expected);
  });

  test('ps: one container per line, blank lines skipped', async () => {
    const stdout = `${psRow({ ID: 'a' })}\n\n${psRow({ ID: 'b' })}\n`;
    expect((await createDocker(recordingRunner({ ...OK, stdout }).run).listManaged()).map((c) => c.id)).toEqual([
      'a',
      'b',
    ]);
  });

  test('ps: nothing managed', async () => {
    expect(await createDocker(recordingRunner().run).listManaged()).toEqual([]);
  });

  const dieLine = JSON.stringify({
    status: 'die',
    Action: 'die',
    id: 'c1',
    Actor: { ID: 'c1', Attributes: { exitCode: '1', 'io.svc.workload': 'w1', 'io.svc.instance': '1' } },
    time: 1_700_000_000,
    timeNano: 1_700_000_000_123_000_000,
  });
  const die: DockerEvent = {
    action: 'die',
    containerId: 'c1',
    attributes: { exitCode: '1', 'io.svc.workload': 'w1', 'io.svc.instance': '1' },
    exitCode: 1,
    time: 1_700_000_000_123,
  };
  const startLine = JSON.stringify({
    status: 'start',
    Action: 'start',
    Actor: { ID: 'c2', Attributes: {} },
    timeNano: 1_700_000_000_000_000_000,
  });

  test.each<[string, string, 'stdout' | 'stderr', DockerEvent[]]>([
    ["docker's JSON line becomes svc's event, its time in ms", dieLine, 'stdout', [die]],
    [
      'an event other than die has no exit code',
      startLine,
      'stdout',
      [{ action: 'start', containerId: 'c2', attributes: {}, exitCode: null, time: 1_700_000_000_000 }],
    ],
    [
      'an event without its container id is nothing',
      JSON.stringify({ Action: 'die', Actor: {}, timeNano: 1 }),
      'stdout',
      [],
    ],
    ['a blank line is nothing', '   ', 'stdout', []],
    ['a line that is not JSON is nothing', 'Error response from daemon', 'stdout', []],
    ['stderr is never an event', dieLine, 'stderr', []],
  ])('events: %s', (_what, line, from, events) => {
    const streamer = recordingStreamer();
    const seen: DockerEvent[] = [];
    createDocker(recordingRunner().run, streamer.stream).events(null, (event) => seen.push(event));
    streamer.push(line, from);
    expect(seen).toEqual(events);
  });
});

describe('which failures become which errors', () => {
  const failing = (stderr: string): RunResult => ({ stdout: '', stderr, exitCode: 1 });
  const UNREACHABLE =
    'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

  test.each<
    [string, (docker: Docker) => Promise<unknown>, RunResult, typeof DockerUnreachableError | typeof DockerCommandError]
  >([
    ['version, daemon down', (d) => d.serverVersion(), failing(UNREACHABLE), DockerUnreachableError],
    ['start, daemon down', (d) => d.start(['a']), failing(UNREACHABLE), DockerUnreachableError],
    [
      'start of a missing container',
      (d) => d.start(['a']),
      failing('Error response from daemon: No such container: a'),
      DockerCommandError,
    ],
    [
      'rm where one is missing and one refused',
      (d) => d.remove(['a', 'b']),
      failing('Error: No such container: a\nError: device busy'),
      DockerCommandError,
    ],
    ['stop, daemon down', (d) => d.stop(['a']), failing(UNREACHABLE), DockerUnreachableError],
    ['inspect, daemon down', (d) => d.inspect(['a']), failing(UNREACHABLE), DockerUnreachableError],
    ['image inspect, daemon down', (d) => d.imageExists('x'), failing(UNREACHABLE), DockerUnreachableError],
    ['ps refused', (d) => d.listManaged(), failing('Error: invalid filter'), DockerCommandError],
  ])('%s: rejected', async (_what, call, result, errorClass) => {
    await expect(call(createDocker(recordingRunner(result).run))).rejects.toBeInstanceOf(errorClass);
  });

  test.each<[string, (docker: Docker) => Promise<unknown>, RunResult, unknown]>([
    [
      'stop of a missing container: the wish is met',
      (d) => d.stop(['a']),
      failing('Error response from daemon: No such container: a'),
      undefined,
    ],
    [
      'rm of missing containers: the wish is met',
      (d) => d.remove(['a', 'b']),
      failing('Error: No such container: a\nError: No such container: b'),
      undefined,
    ],
    [
      'inspect of a missing container: left out',
      (d) => d.inspect(['a']),
      { stdout: '[]', stderr: 'Error: No such object: a', exitCode: 1 },
      [],
    ],
    ['image inspect of a missing image', (d) => d.imageExists('nope'), failing('Error: No such image: nope'), false],
    ['image inspect of an image that exists', (d) => d.imageExists('x'), { ...OK, stdout: 'sha256:abc' }, true],
  ])('%s: resolved', async (_what, call, result, value) => {
    await expect(call(createDocker(recordingRunner(result).run))).resolves.toEqual(value);
  });

  test('a refusal names the subcommand and what docker said', async () => {
    const error = await createDocker(recordingRunner(failing('Error: device busy\n')).run)
      .remove(['a'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DockerCommandError);
    expect(error).toMatchObject({
      message: 'docker rm failed: Error: device busy',
      args: ['rm', '--force', '--', 'a'],
    });
  });
});
