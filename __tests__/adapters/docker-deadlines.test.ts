/**
 * The adapter's side of issue 20, case 2, on fake runners: each kind of docker call gets its own
 * deadline, identical reads at the same time share one process while changes never do, and a
 * timeout is exit 4 only for the preflight `docker version` (nothing was changed yet).
 */
import { createDocker, type DockerRunner, type RunOptions, type RunResult } from '../../src/adapters/docker.js';
import { DEFAULT_DOCKER_DEADLINES } from '../../src/adapters/docker-deadlines.js';
import { sharingReads } from '../../src/adapters/shared-reads.js';
import { earlyResult, withEarlyRun, type EarlyDockerRun } from '../../src/adapters/early-run.js';
import { LIST_MANAGED_ARGS } from '../../src/adapters/docker-listing.js';
import { STATUS_OF_KIND } from '../../src/api/errors.js';
import { exitCodeFor } from '../../src/cli.js';
import { DockerTimeoutError, UserError } from '../../src/errors.js';
import type { ContainerRuntime, CreateOptions } from '../../src/engine/ports/runtime.js';
import { createSwarmClient } from '../../src/adapters/swarm.js';
import type { SwarmClient } from '../../src/engine/ports/swarm-client.js';

const ok = (stdout = ''): RunResult => ({ stdout, stderr: '', exitCode: 0 });
const DEADLINES = { readMs: 700, changeMs: 5_000 };

/** A runner whose calls wait until `finish()`; records each call's argv and options. */
const heldRunner = (answer: (args: string[]) => RunResult = () => ok()) => {
  const calls: { args: string[]; options?: RunOptions }[] = [];
  const releases: (() => void)[] = [];
  const run: DockerRunner = (args, options) => {
    calls.push({ args, options });
    return new Promise((resolve) => releases.push(() => resolve(answer(args))));
  };
  /** Ends every call made so far. */
  const finish = () => releases.forEach((release) => release());
  /** Ends the call of that index (0: the first). */
  const finishCall = (index: number) => releases[index]();
  return { run, calls, finish, finishCall };
};

const createOptions: CreateOptions = {
  name: 'web-1',
  image: 'img',
  command: [],
  entrypoint: null,
  env: [],
  memoryMb: null,
  labels: {},
};

const quietStderr = { write: () => true } as unknown as NodeJS.WritableStream;

describe('deadlines by kind of call', () => {
  test.each<[string, (docker: ContainerRuntime) => Promise<unknown>, number]>([
    ['version', (d) => d.serverVersion(), DEADLINES.readMs],
    ['ps', (d) => d.listManaged(), DEADLINES.readMs],
    ['inspect', (d) => d.inspect(['a', 'b']), DEADLINES.readMs],
    ['image inspect', (d) => d.imageExists('img'), DEADLINES.readMs],
    ['create', (d) => d.create(createOptions), DEADLINES.changeMs],
    ['start of one', (d) => d.start(['a']), DEADLINES.changeMs],
    [
      'start of three: a second more for each after the first',
      (d) => d.start(['a', 'b', 'c']),
      DEADLINES.changeMs + 2_000,
    ],
    ['stop --time=30: its 30 s on top', (d) => d.stop(['a'], 30), DEADLINES.changeMs + 30_000],
    ['rm', (d) => d.remove(['a']), DEADLINES.changeMs],
    ['kill', (d) => d.kill(['a'], 'SIGUSR1'), DEADLINES.changeMs],
  ])('%s', async (_, call, deadlineMs) => {
    const { run, calls, finish } = heldRunner((args) => ok(args[0] === 'ps' || args[0] === 'inspect' ? '' : 'x'));
    const done = call(createDocker(run, undefined, DEADLINES));
    finish();
    await done;
    expect(calls.map((c) => c.options)).toEqual([{ deadlineMs }]);
  });

  test.each<[string, (swarm: SwarmClient) => Promise<unknown>, number]>([
    ['swarm: info (is it a manager?)', (c) => c.requireManager(), DEADLINES.readMs],
    ['swarm: service ls', (c) => c.services(), DEADLINES.readMs],
    ['swarm: node ls', (c) => c.nodes(), DEADLINES.readMs],
    [
      'swarm: service create',
      (c) =>
        c.create({
          ...createOptions,
          replicas: 1,
          restart: { condition: 'any', maxAttempts: 0, windowMs: 0, delayMs: 0 },
        }),
      DEADLINES.changeMs,
    ],
    ['swarm: service update', (c) => c.update('s1', { replicas: 2 }), DEADLINES.changeMs],
    ['swarm: service rm', (c) => c.remove('s1'), DEADLINES.changeMs],
  ])('%s', async (_, call, deadlineMs) => {
    const { run, calls, finish } = heldRunner((args) =>
      ok(args[0] === 'info' ? 'active true' : args[0] === 'node' || args[1] === 'ls' ? '' : 'x'),
    );
    const done = call(createSwarmClient(run, undefined, DEADLINES)).catch(() => {});
    finish();
    await done;
    expect(calls.map((c) => c.options)).toEqual([{ deadlineMs }]);
  });

  test('without deadlines given, the defaults: 10 s for reads, 120 s for changes', async () => {
    const { run, calls, finish } = heldRunner(() => ok('x'));
    const docker = createDocker(run);
    const done = Promise.all([docker.serverVersion(), docker.start(['a'])]);
    finish();
    await done;
    expect(DEFAULT_DOCKER_DEADLINES).toEqual({ readMs: 10_000, changeMs: 120_000 });
    expect(calls.map((c) => c.options)).toEqual([{ deadlineMs: 10_000 }, { deadlineMs: 120_000 }]);
  });
});

describe('identical reads at the same time share one docker process', () => {
  test('eight listings at once: one process, one answer for all', async () => {
    const { run, calls, finish } = heldRunner(() => ok(''));
    const docker = createDocker(run, undefined, DEADLINES);
    const listings = Array.from({ length: 8 }, () => docker.listManaged());
    expect(calls).toHaveLength(1);
    finish();
    expect(await Promise.all(listings)).toEqual(Array.from({ length: 8 }, () => []));
    // Once answered, the next read asks again: nothing is reused after the fact.
    const again = docker.listManaged();
    expect(calls).toHaveLength(2);
    finish();
    await again;
  });

  test('one timeout answers every caller that shared the process', async () => {
    const run: DockerRunner = async (args, options) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new DockerTimeoutError('docker ps', options!.deadlineMs);
    };
    const docker = createDocker(run, undefined, DEADLINES);
    const results = await Promise.allSettled([docker.listManaged(), docker.listManaged()]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
      'Docker did not answer `docker ps` within 0.7 s; svc ended that docker process',
      'Docker did not answer `docker ps` within 0.7 s; svc ended that docker process',
    ]);
  });

  test('different reads do not share: another argv is another process', async () => {
    const { run, calls, finish } = heldRunner(() => ok('[]'));
    const docker = createDocker(run, undefined, DEADLINES);
    const done = Promise.all([docker.inspect(['a']), docker.inspect(['b']), docker.inspect(['a'])]);
    expect(calls.map((c) => c.args.at(-1))).toEqual(['a', 'b']);
    finish();
    await done;
  });

  test('changes never share: three identical starts are three processes', async () => {
    const { run, calls, finish } = heldRunner();
    const docker = createDocker(run, undefined, DEADLINES);
    const done = Promise.all([docker.start(['a']), docker.start(['a']), docker.start(['a'])]);
    expect(calls).toHaveLength(3);
    finish();
    await done;
  });

  test('a read after a change has ended does not join a read begun before it: the caller sees its change', async () => {
    const { run, calls, finishCall } = heldRunner();
    const { read, change } = sharingReads(run);
    const begunBefore = read(['ps']);
    const started = change(['start', '--', 'a']);
    expect(read(['ps'])).toBe(begunBefore); // the change has not ended: sharing is fine
    finishCall(1);
    await started;
    const after = read(['ps']);
    expect(after).not.toBe(begunBefore);
    expect(calls.map((c) => c.args[0])).toEqual(['ps', 'start', 'ps']);
    finishCall(0);
    finishCall(2);
    await Promise.all([begunBefore, after]);
  });
});

describe('what a timeout means', () => {
  const timingOut: DockerRunner = async (args, options) => {
    throw new DockerTimeoutError(args[0] === 'version' ? 'docker version' : `docker ${args[0]}`, options!.deadlineMs);
  };

  test('the preflight `docker version` timed out: engine unreachable, exit 4, HTTP 503, naming the timeout', async () => {
    const error = (await createDocker(timingOut, undefined, DEADLINES)
      .serverVersion()
      .catch((caught: unknown) => caught)) as UserError;
    expect(error.kind).toBe('engine-unreachable');
    expect(error.message).toBe('Cannot connect to the Docker engine: it did not answer `docker version` within 0.7 s');
    expect(error.cause).toBeInstanceOf(DockerTimeoutError);
    expect(exitCodeFor(error, quietStderr)).toBe(4);
    expect(STATUS_OF_KIND[error.kind]).toBe(503);
  });

  test.each<[string, (d: ContainerRuntime) => Promise<unknown>]>([
    ['ps', (d) => d.listManaged()],
    ['start', (d) => d.start(['a'])],
    ['stop', (d) => d.stop(['a'], 10)],
  ])('`docker %s` timed out mid-operation: exit 1 and HTTP 504, never exit 4', async (name, call) => {
    const error = (await call(createDocker(timingOut, undefined, DEADLINES)).catch(
      (caught: unknown) => caught,
    )) as UserError;
    expect(error).toBeInstanceOf(DockerTimeoutError);
    expect(error.message).toMatch(new RegExp(`^Docker did not answer \`docker ${name}\` within \\d+(\\.\\d)? s`));
    expect(exitCodeFor(error, quietStderr)).toBe(1);
    expect(STATUS_OF_KIND[error.kind]).toBe(504);
  });
});

describe("the launcher's early listing has the deadline of the call it stands for", () => {
  const never = (): EarlyDockerRun & { stopped: number } => {
    const early = {
      args: LIST_MANAGED_ARGS,
      outcome: new Promise<RunResult | null>(() => {}),
      stopped: 0,
      stop: () => void (early.stopped += 1),
    };
    return early;
  };

  test('an early run that does not answer in time is stopped, and the call fails naming the timeout; docker is not asked again', async () => {
    const early = never();
    const calls: string[][] = [];
    const runner = withEarlyRun(async (args) => (calls.push(args), ok()), early);
    const error = (await runner([...LIST_MANAGED_ARGS], { deadlineMs: 100 }).catch(
      (caught: unknown) => caught,
    )) as UserError;
    expect(error).toBeInstanceOf(DockerTimeoutError);
    expect(error.message).toMatch(/^Docker did not answer `docker ps` within 0\.1 s/);
    expect(early.stopped).toBe(1);
    expect(calls).toEqual([]);
  });

  test('an early run waited out its deadline: the runner after it fails at once, not after a second deadline', async () => {
    const early = never();
    await expect(earlyResult(early, 100)).rejects.toBeInstanceOf(DockerTimeoutError);
    const started = Date.now();
    await expect(
      withEarlyRun(async () => ok(), early)([...LIST_MANAGED_ARGS], { deadlineMs: 5_000 }),
    ).rejects.toBeInstanceOf(DockerTimeoutError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(early.stopped).toBe(1);
  });
});
