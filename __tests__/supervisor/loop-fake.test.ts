/**
 * The supervisor loop (loop, judge, act) on a fake Docker event stream, with jest's fake timers as
 * its clock: each policy rule is checked in milliseconds, against the docker argv the loop asked
 * for and the state and events it wrote. The store is the real one, in a temp dir.
 *
 * Only timers are faked (Date, setImmediate and the like stay real): the store's file locks and
 * writes need real turns of the event loop, and `until` waits for them with setImmediate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { jest } from '@jest/globals';
import { createDocker } from '../../src/adapters/docker.js';
import type { Context } from '../../src/context.js';
import { servicePolicyFromWords, type ServicePolicyWords } from '../../src/core/dialects/dockercloud.js';
import { machinePolicyFromConfig } from '../../src/core/dialects/fly.js';
import { managedLabels } from '../../src/core/labels.js';
import { containerNameFor, newInstance, type Workload } from '../../src/core/workload.js';
import { stopWorkload } from '../../src/engine/lifecycle.js';
import { createSupervisor, type SupervisorOptions } from '../../src/supervisor/loop.js';
import { MAX_PARALLEL_STARTS } from '../../src/supervisor/start-limit.js';
import { inProcessContext } from '../helpers/context.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { createFakeDocker, type FakeDocker } from './fake-docker.js';

const RECONCILE_MS = 30_000;
const RECONNECT_CAP_MS = 800;

let home: string;
let docker: FakeDocker;
let ctx: Context;
let logs: string[];
let supervisor: ReturnType<typeof createSupervisor> | null;

beforeEach(() => {
  jest.useFakeTimers({
    doNotFake: ['Date', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'performance', 'hrtime'],
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-loop-'));
  docker = createFakeDocker(() => jest.now());
  ctx = { ...inProcessContext(home, createDocker(docker.run, docker.stream)), clock: { now: () => jest.now() } };
  logs = [];
  supervisor = null;
});

afterEach(async () => {
  await supervisor?.stop();
  jest.useRealTimers();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Polls `check` between real turns of the event loop (fake time stands still); fails after 5 real seconds. */
const until = async <T>(what: string, check: () => T | null | undefined | false): Promise<T> => {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`never happened: ${what}\nsupervisor log:\n${logs.join('\n')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
};

/** Moves the fake clock on, running every timer that falls due. */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

/** The supervisor under test, logging into `logs`, with no dockerd to read a start time from. */
const newSupervisor = (extra: Partial<SupervisorOptions> = {}) =>
  (supervisor = createSupervisor(ctx, {
    reconcileEveryMs: RECONCILE_MS,
    reconnectCapMs: RECONNECT_CAP_MS,
    log: (message) => logs.push(message),
    daemonStartedAt: () => null,
    ...extra,
  }));

const startSupervisor = () => newSupervisor().start();

const dcPolicy = (words: Partial<ServicePolicyWords>) =>
  servicePolicyFromWords({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF', ...words });

/** A running workload as `svc` leaves it: recorded in the state, its container running in the fake engine. */
const seed = async (id: string, overrides: Partial<Workload>): Promise<Workload> => {
  const workload = workloadRecord(id, {
    intent: 'running',
    spec: {
      image: 'svc-busybox:latest',
      command: ['sh', '-c', 'sleep 1; exit 1'],
      entrypoint: null,
      env: [],
      memoryMb: null,
    },
    ...overrides,
  });
  const name = containerNameFor(workload, 1);
  const container = docker.running({
    name,
    labels: managedLabels(id, 1, workload.dialect),
    command: workload.spec.command,
  });
  workload.instances = [{ ...newInstance(1, name), containerId: container.id, lastStartedAt: jest.now() }];
  await ctx.store.update((tx) => {
    tx.state.workloads[id] = workload;
  });
  return workload;
};

const instanceOf = (workload: Workload) => ctx.store.read().workloads[workload.id].instances[0];
const supervisorEvents = (workload: Workload) =>
  ctx.store.readEvents().filter((e) => e.workloadId === workload.id && e.source === 'supervisor');
const actionsAndReasons = (workload: Workload) => supervisorEvents(workload).map((e) => [e.action, e.reason]);

/**
 * The container runs a while, crashes, and is restarted: at once, or after the back-off the
 * judgement wrote down, which the fake clock is moved through. Returns that back-off.
 */
const runThenCrash = async (workload: Workload, exitCode: number, ranForMs = 1_000): Promise<number> => {
  await advance(ranForMs);
  const before = instanceOf(workload);
  docker.exit(before.containerId!, exitCode);
  const judged = await until('the exit judged', () => {
    const now = instanceOf(workload);
    return now.judgedExitKey !== before.judgedExitKey && now;
  });
  const { pending } = judged;
  if (!pending) return 0;
  // Logged once the judgement is written and right before its action is scheduled.
  await until('the action scheduled', () =>
    logs.includes(`${workload.name} #1: ${pending.action} (${pending.reason})`),
  );
  return pending.delayMs;
};

/** Two reconcile passes go by; returns once both have asked Docker for its containers. */
const twoReconciles = async () => {
  const before = docker.callsOf('ps').length;
  await advance(2 * RECONCILE_MS);
  await until('two reconcile passes', () => docker.callsOf('ps').length >= before + 2);
};

test('ON_FAILURE: a crash is restarted at once, the next one after its back-off', async () => {
  const workload = await seed('onfail', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();

  expect(await runThenCrash(workload, 1)).toBe(0);
  await until('the first restart charged', () => instanceOf(workload).restartCount === 1);
  expect(docker.callsOf('start')).toEqual([['start', '--', id]]);

  expect(await runThenCrash(workload, 1)).toBe(100);
  expect(instanceOf(workload).pending).toMatchObject({ action: 'restart', exitCode: 1, delayMs: 100 });
  await advance(99);
  expect(docker.callsOf('start')).toHaveLength(1);
  await advance(1);
  await until('the second restart charged', () => instanceOf(workload).restartCount === 2);

  expect(docker.callsOf('start')).toEqual([
    ['start', '--', id],
    ['start', '--', id],
  ]);
  expect(docker.containers.get(id)?.state).toBe('running');
  expect(instanceOf(workload)).toMatchObject({ pending: null, backoffStep: 2, stoppedReason: null });
  expect(actionsAndReasons(workload)).toEqual([
    ['restart', 'exit code 1; restart policy on-failure'],
    ['restart', 'exit code 1; restart policy on-failure; back-off 100 ms'],
  ]);
  expect(logs).toContain('st-onfail #1: restart (exit code 1; restart policy on-failure; back-off 100 ms)');
});

test('ON_FAILURE: the back-off starts over once the container stayed up 10 s', async () => {
  const workload = await seed('recovered', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  await startSupervisor();
  expect(await runThenCrash(workload, 1)).toBe(0);
  await until('a restart', () => instanceOf(workload).restartCount === 1);
  expect(await runThenCrash(workload, 1)).toBe(100);
  await advance(100);
  await until('a second restart', () => instanceOf(workload).restartCount === 2);

  expect(await runThenCrash(workload, 1, 10_000)).toBe(0);
  await until('a third restart, without waiting', () => instanceOf(workload).restartCount === 3);
  expect(docker.callsOf('start')).toHaveLength(3);
});

test('ON_FAILURE: a clean exit is left Stopped, also by the reconcile passes after it', async () => {
  const workload = await seed('clean', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  await startSupervisor();

  expect(await runThenCrash(workload, 0)).toBe(0);
  const reason = 'exit code 0; restart policy on-failure restarts only failures';
  expect(actionsAndReasons(workload)).toEqual([['leave-stopped', reason]]);
  expect(instanceOf(workload)).toMatchObject({ pending: null, restartCount: 0, stoppedReason: reason });

  await twoReconciles();
  expect(docker.callsOf('inspect')).toEqual([]); // nothing was judged again
  expect(docker.callsOf('start')).toEqual([]);
  expect(supervisorEvents(workload)).toHaveLength(1);
});

test('ALWAYS: a stop the user asked for is judged as theirs and not fought', async () => {
  const workload = await seed('stopme', { policy: dcPolicy({ autorestart: 'ALWAYS' }) });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();

  await stopWorkload(ctx, workload.id);
  await until("the stop's exit judged", () => instanceOf(workload).judgedExitKey?.startsWith(`${id}@`));

  expect(docker.callsOf('stop')).toEqual([['stop', '--time=10', '--', id]]);
  expect(instanceOf(workload)).toMatchObject({ intent: 'stopped', pending: null, restartCount: 0 });
  // The user's stop, then the exit it caused, recorded as an exit (no restart, no leave-stopped): Fly shows it with requested_stop.
  expect(ctx.store.readEvents().map((e) => [e.action, e.source, e.reason])).toEqual([
    ['stop', 'user', 'stopped by user'],
    ['exit', 'supervisor', 'stopped by user'],
  ]);

  await twoReconciles();
  expect(docker.callsOf('start')).toEqual([]);
  expect(docker.containers.get(id)?.state).toBe('exited');
});

test('ALWAYS: an exit that was not asked for is restarted, even with code 0', async () => {
  const workload = await seed('always', { policy: dcPolicy({ autorestart: 'ALWAYS' }) });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();
  expect(await runThenCrash(workload, 0)).toBe(0);
  await until('the restart charged', () => instanceOf(workload).restartCount === 1);
  expect(docker.callsOf('start')).toEqual([['start', '--', id]]);
  expect(actionsAndReasons(workload)).toEqual([['restart', 'exit code 0; restart policy always']]);
});

test('Tutum autoreplace: the fourth failure inside 60 s replaces the container, under the same name', async () => {
  const workload = await seed('tutum', { policy: dcPolicy({ autorestart: 'ON_FAILURE', autoreplace: 'ON_FAILURE' }) });
  const first = instanceOf(workload).containerId!;
  const name = instanceOf(workload).containerName;
  await startSupervisor();

  for (const [restarts, backoff] of [
    [1, 0],
    [2, 100],
    [3, 200],
  ]) {
    expect(await runThenCrash(workload, 1)).toBe(backoff);
    await advance(backoff);
    await until(`restart ${restarts} charged`, () => instanceOf(workload).restartCount === restarts);
  }
  expect(await runThenCrash(workload, 1)).toBe(0);
  const replaced = await until(
    'the replacement charged',
    () => instanceOf(workload).restartCount === 4 && instanceOf(workload),
  );

  const fresh = replaced.containerId!;
  expect(fresh).not.toBe(first);
  const create = docker.callsOf('create');
  expect(create).toHaveLength(1);
  expect(create[0]).toEqual(
    expect.arrayContaining([
      `--name=${name}`,
      '--restart=no',
      '--label=io.svc.workload=tutum',
      '--label=io.svc.instance=1',
    ]),
  );
  expect(create[0].slice(create[0].indexOf('--') + 1)).toEqual(['svc-busybox:latest', 'sh', '-c', 'sleep 1; exit 1']);
  expect(docker.callsOf('rm')).toEqual([['rm', '--force', '--', first]]);
  expect(docker.callsOf('start').at(-1)).toEqual(['start', '--', fresh]);
  expect(docker.containers.has(first)).toBe(false);
  expect(docker.containers.get(fresh)).toMatchObject({ name, state: 'running' });

  expect(replaced).toMatchObject({ pending: null, restarts: [], backoffStep: 0 });
  expect(replaced.replaces).toHaveLength(1);
  expect(actionsAndReasons(workload)).toEqual([
    ['restart', 'exit code 1; restart policy on-failure; restart 1 of 3 in 60 s'],
    ['restart', 'exit code 1; restart policy on-failure; restart 2 of 3 in 60 s; back-off 100 ms'],
    ['restart', 'exit code 1; restart policy on-failure; restart 3 of 3 in 60 s; back-off 200 ms'],
    ['replace', 'exit code 1; restart budget spent: 3 restarts in 60 s; replacing the container (1 of 3 in 5 min)'],
  ]);
});

test.each<[string, ServicePolicyWords['autodestroy'], number, boolean, string]>([
  [
    'ON_SUCCESS removes a container that exited 0',
    'ON_SUCCESS',
    0,
    true,
    'exit code 0; restart policy never; destroy policy on-success',
  ],
  ['ON_SUCCESS keeps a container that failed', 'ON_SUCCESS', 1, false, 'exit code 1; restart policy never'],
  [
    'ALWAYS removes a container that failed',
    'ALWAYS',
    1,
    true,
    'exit code 1; restart policy never; destroy policy always',
  ],
])('autodestroy %s', async (_what, autodestroy, exitCode, removed, reason) => {
  const workload = await seed('oneoff', { policy: dcPolicy({ autodestroy }) });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();

  await runThenCrash(workload, exitCode);
  const [event] = await until('the exit judged and its action done', () => {
    const events = supervisorEvents(workload);
    return events.length > 0 && (!removed || ctx.store.read().workloads[workload.id].intent === 'terminated') && events;
  });

  expect(event).toMatchObject({ action: removed ? 'destroy' : 'leave-stopped', exitCode, reason });
  expect(docker.callsOf('rm')).toEqual(removed ? [['rm', '--force', '--', id]] : []);
  expect(docker.containers.has(id)).toBe(!removed);
  expect(ctx.store.read().workloads[workload.id].intent).toBe(removed ? 'terminated' : 'running');
  expect(instanceOf(workload).intent).toBe(removed ? 'removed' : 'running');
  expect(docker.callsOf('start')).toEqual([]);
});

test('Fly on-failure: once the retry budget is spent the machine gives up and stays stopped', async () => {
  const workload = await seed('0123456789abcd', {
    dialect: 'machine',
    name: 'crashy',
    app: 'shop',
    processGroup: 'app',
    policy: machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 }),
  });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();

  for (const [restarts, backoff] of [
    [1, 0],
    [2, 100],
  ]) {
    expect(await runThenCrash(workload, 3)).toBe(backoff);
    await advance(backoff);
    await until(`retry ${restarts} charged`, () => instanceOf(workload).restartCount === restarts);
  }
  expect(await runThenCrash(workload, 3)).toBe(0);

  const reason = 'exit code 3; restart budget spent: 2 restarts in 5 min';
  expect(instanceOf(workload)).toMatchObject({ pending: null, restartCount: 2, stoppedReason: reason });
  expect(actionsAndReasons(workload)).toEqual([
    ['restart', 'exit code 3; restart policy on-failure; restart 1 of 2 in 5 min'],
    ['restart', 'exit code 3; restart policy on-failure; restart 2 of 2 in 5 min; back-off 100 ms'],
    ['give-up', reason],
  ]);

  await twoReconciles();
  expect(docker.callsOf('start')).toEqual([
    ['start', '--', id],
    ['start', '--', id],
  ]);
  expect(docker.containers.get(id)).toMatchObject({ name: 'shop-crashy', state: 'exited', exitCode: 3 });
});

test('an exit while the event stream was broken is judged by the reconcile on reconnecting', async () => {
  const workload = await seed('missed', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  const id = instanceOf(workload).containerId!;
  await startSupervisor();
  await advance(5_000);
  const brokeAt = jest.now();

  docker.breakStream('unexpected EOF');
  docker.exit(id, 1); // no one is listening: only a reconcile can find this exit
  await until('the restart charged', () => instanceOf(workload).restartCount === 1);

  expect(logs).toContain('event stream ended: unexpected EOF; reconnecting');
  expect(docker.streamed).toHaveLength(2);
  expect(docker.streamed[1]).toContain(`--since=${Math.floor(brokeAt / 1000) - 1}`);
  expect(docker.callsOf('inspect')).toEqual([['inspect', '--type=container', '--', id]]);
  expect(docker.callsOf('start')).toEqual([['start', '--', id]]);
  expect(actionsAndReasons(workload)).toEqual([['restart', 'exit code 1; restart policy on-failure']]);
});

test('Docker unreachable: retried with doubling back-off; exits while it was away count as its restart, so only ALWAYS comes back', async () => {
  const onFailure = await seed('daemon-onfail', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  const always = await seed('daemon-always', { policy: dcPolicy({ autorestart: 'ALWAYS' }) });
  docker.setUnreachable(true);
  const started = newSupervisor().start();
  await until('the first failed attempt', () => logs.length === 1);
  // dockerd stops its containers as it goes down.
  docker.exit(instanceOf(onFailure).containerId!, 143);
  docker.exit(instanceOf(always).containerId!, 143);

  for (const delay of [100, 200, 400, 800]) {
    await until(`the attempt before a ${delay} ms wait`, () =>
      logs.some((line) => line.endsWith(`retrying in ${delay} ms`)),
    );
    await advance(delay);
  }
  docker.setUnreachable(false);
  await advance(RECONNECT_CAP_MS);
  await started;
  await until('the ALWAYS service restarted', () => instanceOf(always).restartCount === 1);
  await until('the ON_FAILURE exit judged', () => supervisorEvents(onFailure).length > 0);

  expect(
    logs.filter((line) => line.startsWith('Docker unreachable')).map((line) => /retrying in (\d+) ms/.exec(line)?.[1]),
  ).toEqual(['100', '200', '400', '800', '800']);
  expect(logs).toContain('connected to Docker');
  expect(actionsAndReasons(onFailure)).toEqual([
    [
      'leave-stopped',
      'Docker daemon restarted; exit code 143; restart policy on-failure (only always restarts after a daemon restart)',
    ],
  ]);
  expect(actionsAndReasons(always)).toEqual([
    ['restart', 'Docker daemon restarted; exit code 143; restart policy always'],
  ]);
  expect(docker.callsOf('start')).toEqual([['start', '--', instanceOf(always).containerId]]);
});

test('an event stream that ends as soon as it starts is reconnected with doubling waits, not in a busy loop', async () => {
  await startSupervisor();
  await advance(5_000);
  docker.breakStream('unexpected EOF'); // after 5 s up: reconnected at once
  await until('the second stream', () => docker.streamed.length === 2);
  for (const [n, delay] of [
    [3, 100],
    [4, 200],
    [5, 400],
    [6, 800],
    [7, 800],
  ] as const) {
    docker.breakStream('unexpected EOF'); // at once after connecting
    await until(`the wait of ${delay} ms logged`, () => logs.at(-1)?.endsWith(`reconnecting in ${delay} ms`));
    await advance(delay - 1);
    expect(docker.streamed).toHaveLength(n - 1);
    await advance(1);
    await until(`stream ${n}`, () => docker.streamed.length === n);
  }
  await advance(5_000);
  docker.breakStream('unexpected EOF'); // this one lasted: at once again
  await until('the next stream, at once', () => docker.streamed.length === 8);
});

test('a state file from a newer svc stops the supervisor, which says so, acts on nothing and lets its process end', async () => {
  const workload = await seed('newer', { policy: dcPolicy({ autorestart: 'ALWAYS' }) });
  const fatal: Error[] = [];
  await newSupervisor({ onFatal: (error) => fatal.push(error) }).start();
  const containerId = instanceOf(workload).containerId!;
  const text = fs.readFileSync(ctx.store.stateFile, 'utf8');
  fs.writeFileSync(ctx.store.stateFile, text.replace(/"schemaVersion":\s*\d+/, '"schemaVersion": 99'));
  docker.exit(containerId, 1);

  await until('onFatal called', () => fatal.length === 1);
  expect(fatal[0].message).toMatch(/schema version 99 was written by a newer svc/);
  expect(logs.some((line) => line.endsWith("stopping, so that the newer svc's supervisor can take over"))).toBe(true);
  expect(docker.callsOf('start')).toEqual([]);
  expect(jest.getTimerCount()).toBe(0);
});

test('stopped while it waits for Docker, the supervisor leaves no timer behind when Docker comes back', async () => {
  docker.setUnreachable(true);
  const waiting = newSupervisor();
  const started = waiting.start();
  await until('the first failed attempt', () => logs.length === 1);
  await waiting.stop();
  docker.setUnreachable(false);
  await advance(RECONNECT_CAP_MS);
  await started;
  expect(jest.getTimerCount()).toBe(0);
  expect(docker.streamed).toEqual([]);
});

test('a burst of 200 crashes at once: every instance is restarted, none twice, sharing at most MAX_PARALLEL_STARTS docker starts at a time', async () => {
  const workload = workloadRecord('burst', {
    intent: 'running',
    policy: dcPolicy({ autorestart: 'ALWAYS' }),
    targetInstances: 200,
    spec: { image: 'svc-busybox:latest', command: ['sh', '-c', 'exit 1'], entrypoint: null, env: [], memoryMb: null },
  });
  workload.instances = Array.from({ length: 200 }, (_, i) => {
    const name = containerNameFor(workload, i + 1);
    const container = docker.running({
      name,
      labels: managedLabels('burst', i + 1, workload.dialect),
      command: workload.spec.command,
    });
    return { ...newInstance(i + 1, name), containerId: container.id, lastStartedAt: jest.now() };
  });
  await ctx.store.update((tx) => {
    tx.state.workloads.burst = workload;
  });
  // The engine answers a start only after others have asked: starts overlap, as in a real burst.
  let inFlight = 0;
  let mostAtOnce = 0;
  const run = docker.run;
  ctx = {
    ...ctx,
    docker: createDocker(async (args) => {
      if (args[0] !== 'start') return run(args);
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return run(args);
    }, docker.stream),
  };
  await startSupervisor();
  await advance(1_000);
  for (const instance of workload.instances) docker.exit(instance.containerId!, 1);

  await until('all 200 restarted and charged', () =>
    ctx.store.read().workloads.burst.instances.every((i) => i.restartCount === 1 && i.pending === null),
  );
  await twoReconciles();
  const calls = docker.callsOf('start');
  const started = calls.flatMap((call) => call.slice(call.indexOf('--') + 1));
  expect(started).toHaveLength(200);
  expect(new Set(started).size).toBe(200);
  // Starts that waited shared a docker process: far fewer processes than restarts.
  expect(calls.length).toBeLessThan(200 / 2);
  expect(mostAtOnce).toBeLessThanOrEqual(MAX_PARALLEL_STARTS);
  expect(mostAtOnce).toBeGreaterThan(1);
  expect(ctx.store.readEvents().filter((e) => e.action === 'restart')).toHaveLength(200);
});

test('no descriptor left to run docker: a crash is restarted once docker runs again, not at the next reconcile, and the log says so once', async () => {
  const workload = await seed('fd-limit', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  await startSupervisor();
  docker.setSpawnFailure('EMFILE');
  expect(await runThenCrash(workload, 1)).toBe(0);
  // The restart's `docker start` fails, and so do the tries after it, with back-off: 250, 500, 800 ms.
  await advance(250 + 500);
  docker.setSpawnFailure(null);
  await advance(800);
  await until('the restart charged', () => instanceOf(workload).restartCount === 1);

  expect(docker.containers.get(instanceOf(workload).containerId!)?.state).toBe('running');
  // Far sooner than the next reconcile (RECONCILE_MS), which was all that retried it before.
  expect(jest.now() - instanceOf(workload).lastStartedAt!).toBeLessThan(RECONCILE_MS);
  expect(logs.filter((line) => /too many open files/.test(line))).toEqual([
    'Cannot run `docker start`: too many open files in this process (EMFILE): a limit of this host; trying again with back-off until it passes',
  ]);
  expect(logs.filter((line) => line.startsWith('the host limit has passed'))).toHaveLength(1);
  expect(actionsAndReasons(workload)).toEqual([['restart', 'exit code 1; restart policy on-failure']]);
});

test('no descriptor left to run docker while connecting is not the daemon going away: an ON_FAILURE crash meanwhile is restarted', async () => {
  const workload = await seed('fd-limit-connect', { policy: dcPolicy({ autorestart: 'ON_FAILURE' }) });
  docker.setSpawnFailure('EMFILE');
  const started = newSupervisor().start();
  await until('the first failed attempt', () => logs.length === 1);
  docker.exit(instanceOf(workload).containerId!, 1);
  await advance(100 + 200);
  docker.setSpawnFailure(null);
  await advance(400);
  await started;
  await until('the crash restarted', () => instanceOf(workload).restartCount === 1);

  expect(actionsAndReasons(workload)).toEqual([['restart', 'exit code 1; restart policy on-failure']]);
  expect(logs.filter((line) => line.startsWith('Docker unreachable'))).toEqual([]);
  expect(logs.filter((line) => /EMFILE/.test(line))).toHaveLength(1);
});
