/**
 * Issue 20, cases 3 and 4, on the in-memory Docker with fake timers (as loop-fake.test.ts):
 * - a user operation whose process died mid-way is taken over by the supervisor, which carries the
 *   workload to the operation's intent in the same reconcile, and says so; a live one is left alone;
 * - a container Docker refuses to start (a missing binary: exit 127, no die event) is judged by its
 *   policy like any other exit: an event with Docker's reason, back-off, budgets, and a give-up that
 *   shows as Stopped.
 */
import { spawnSync } from 'node:child_process';
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
import { containerState } from '../../src/core/states.js';
import {
  containerNameFor,
  newInstance,
  type OperationHolder,
  type UserOperation,
  type Workload,
} from '../../src/core/workload.js';
import { startWorkload } from '../../src/engine/lifecycle.js';
import { currentHolder } from '../../src/engine/operation-holder.js';
import { withOperationLock } from '../../src/adapters/operation-lock.js';
import { createSupervisor } from '../../src/supervisor/loop.js';
import { inProcessContext } from '../helpers/context.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { createFakeDocker, MISSING_BINARY, type FakeDocker } from './fake-docker.js';

const RECONCILE_MS = 30_000;

let home: string;
let docker: FakeDocker;
let ctx: Context;
let logs: string[];
let supervisor: ReturnType<typeof createSupervisor> | null;

beforeEach(() => {
  jest.useFakeTimers({
    doNotFake: ['Date', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'performance', 'hrtime'],
  });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-ops-'));
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

const until = async <T>(what: string, check: () => T | null | undefined | false): Promise<T> => {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`never happened: ${what}\nsupervisor log:\n${logs.join('\n')}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
};

const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

const startSupervisor = async () => {
  supervisor = createSupervisor(ctx, {
    reconcileEveryMs: RECONCILE_MS,
    reconnectCapMs: 800,
    log: (m) => logs.push(m),
    daemonStartedAt: () => null,
  });
  await supervisor.start();
};

/** One reconcile pass goes by. */
const aReconcile = async () => {
  const before = docker.callsOf('ps').length;
  await advance(RECONCILE_MS);
  await until('a reconcile pass', () => docker.callsOf('ps').length > before);
};

const dcPolicy = (words: Partial<ServicePolicyWords>) =>
  servicePolicyFromWords({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF', ...words });

const stored = (id: string) => ctx.store.read().workloads[id];
const eventsOf = (id: string) => ctx.store.readEvents().filter((e) => e.workloadId === id);
const supervisorActions = (id: string) =>
  eventsOf(id)
    .filter((e) => e.source === 'supervisor')
    .map((e) => [e.action, e.reason]);

/** A process that has ended: its pid names nobody (the start ticks are made up, so even a reused pid is not it). */
const deadHolder = (): OperationHolder => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return { ...currentHolder(), pid: Number(child.stdout), startTicks: '1' };
};

/**
 * A workload of `count` instances as an operation's process left it when it was killed: `states`
 * gives each instance's container (or none), and the operation is still in the state. Its
 * operation lock is left too, fresh (the dead holder's lock is not stale yet).
 */
const leftBy = async (
  id: string,
  kind: UserOperation,
  holder: OperationHolder,
  states: ('running' | 'created' | 'none')[],
  overrides: Partial<Workload> = {},
  { lockLeft = true } = {},
): Promise<Workload> => {
  const workload = workloadRecord(id, {
    intent: 'running',
    targetInstances: states.length,
    policy: dcPolicy({ autorestart: 'ALWAYS' }),
    ...overrides,
  });
  workload.spec.command = ['sh', '-c', 'sleep 1000'];
  workload.operation = { kind, since: jest.now(), holder };
  workload.instances = [];
  for (const [i, state] of states.entries()) {
    const index = i + 1;
    const name = containerNameFor(workload, index);
    const instance = {
      ...newInstance(index, name),
      intent: workload.intent === 'running' ? ('running' as const) : ('stopped' as const),
    };
    if (state !== 'none') {
      const labels = managedLabels(id, index, workload.dialect);
      const container = state === 'running' ? docker.running({ name, labels, command: workload.spec.command }) : null;
      instance.containerId =
        container?.id ??
        (await ctx.docker.create({
          name,
          labels,
          image: 'svc-busybox:latest',
          command: workload.spec.command,
          entrypoint: null,
          env: [],
          memoryMb: null,
        }));
      instance.lastStartedAt = jest.now();
    }
    workload.instances.push(instance);
  }
  await ctx.store.update((tx) => {
    tx.state.workloads[id] = workload;
  });
  if (lockLeft) {
    fs.mkdirSync(path.join(home, 'operations'), { recursive: true });
    fs.mkdirSync(path.join(home, 'operations', `${id}.lock`));
  }
  return workload;
};

const containersOf = (id: string) => [...docker.containers.values()].filter((c) => c.labels['io.svc.workload'] === id);

describe('case 3: an operation whose process died is finished by the supervisor', () => {
  test('a start killed with 3 of 20 containers running and 17 created: all 20 run after the first reconcile, which says so', async () => {
    const holder = deadHolder();
    const states = Array.from({ length: 20 }, (_, i): 'running' | 'created' => (i < 3 ? 'running' : 'created'));
    await leftBy('killed', 'Starting', holder, states);
    const createdBefore = docker.callsOf('create').length;

    await startSupervisor();
    await until('every container running', () => containersOf('killed').every((c) => c.state === 'running'));
    await until('the operation cleared', () => stored('killed').operation === null);

    expect(containersOf('killed')).toHaveLength(20);
    const started = () => docker.callsOf('start').flatMap((args) => args.slice(2));
    const created = containersOf('killed')
      .slice(3)
      .map((c) => c.id);
    expect(started().sort()).toEqual(created.sort()); // the created ones, each once; the running ones left alone
    expect(docker.callsOf('create')).toHaveLength(createdBefore);
    expect(supervisorActions('killed')).toEqual([
      [
        'start',
        `the user's start was interrupted (its process (pid ${holder.pid}) is gone); the supervisor finishes it: intent running`,
      ],
    ]);
    expect(logs).toContain(
      `killed: the user's Starting was interrupted (its process (pid ${holder.pid}) is gone); finishing it`,
    );

    await aReconcile();
    expect(started()).toHaveLength(17);
    expect(supervisorActions('killed')).toHaveLength(1);
  });

  test('an instance whose container was never created gets one, started', async () => {
    await leftBy('nocreate', 'Starting', deadHolder(), ['running', 'none']);
    await startSupervisor();
    await until(
      'both running',
      () => containersOf('nocreate').length === 2 && containersOf('nocreate').every((c) => c.state === 'running'),
    );
    expect(docker.callsOf('create').map((args) => args[1])).toEqual(['--name=st-nocreate-2']);
    expect(stored('nocreate').instances[1].containerId).toBe(
      containersOf('nocreate').find((c) => c.name === 'st-nocreate-2')?.id,
    );
  });

  test('a take-over whose docker create failed is tried again by the next reconcile, not left Partly running', async () => {
    await leftBy('createfails', 'Starting', deadHolder(), ['running', 'none']);
    docker.setSpawnFailure('EMFILE', ['create']);
    await startSupervisor();
    await until('the take-over tried to create it', () => logs.some((line) => /Cannot run `docker create`/.test(line)));
    expect(stored('createfails').operation).toBeNull();
    docker.setSpawnFailure(null);
    // The operation is cleared now: only the instance itself says what is left to do.
    await aReconcile();
    await until(
      'both running',
      () => containersOf('createfails').length === 2 && containersOf('createfails').every((c) => c.state === 'running'),
    );
    expect(stored('createfails').operation).toBeNull();
  });

  test('a live operation is never fought; once its lock is let go without clearing it, the next reconcile finishes it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // This process holds the operation (it is alive) and its lock, as a CLI in the middle of a start.
    await leftBy('live', 'Starting', currentHolder(), ['running', 'created'], {}, { lockLeft: false });
    const lock = withOperationLock(home, 'live', () => held);
    await until('the operation lock taken', () => fs.existsSync(path.join(home, 'operations', 'live.lock')));

    await startSupervisor();
    await aReconcile();
    await aReconcile();
    expect(docker.callsOf('start')).toEqual([]);
    expect(stored('live').operation).toMatchObject({ kind: 'Starting' });

    release();
    await lock;
    await aReconcile();
    await until('the created container started', () => containersOf('live').every((c) => c.state === 'running'));
    expect(stored('live').operation).toBeNull();
    expect(supervisorActions('live')).toEqual([
      [
        'start',
        `the user's start was interrupted (its operation lock (pid ${process.pid}) went stale or was let go); the supervisor finishes it: intent running`,
      ],
    ]);
  });

  test("a stop killed mid-way: the containers still running are stopped, and their exits are the user's (ALWAYS does not restart them)", async () => {
    await leftBy('halfstop', 'Stopping', deadHolder(), ['running', 'running'], { intent: 'stopped' });
    await startSupervisor();
    await until('both stopped', () => containersOf('halfstop').every((c) => c.state === 'exited'));
    await until('both exits judged', () => stored('halfstop').instances.every((i) => i.judgedExitKey !== null));
    await aReconcile();
    expect(docker.callsOf('start')).toEqual([]);
    expect(supervisorActions('halfstop').map(([action]) => action)).toEqual(['stop', 'exit', 'exit']);
  });

  test('a terminate killed mid-way: the containers go, the record is finished (env dropped, destroyed)', async () => {
    const workload = await leftBy('halfterm', 'Terminating', deadHolder(), ['running', 'created'], {
      intent: 'terminated',
    });
    await ctx.store.update((tx) => {
      tx.state.workloads.halfterm.spec.env = [{ key: 'SECRET', value: 's3cret' }];
      for (const i of tx.state.workloads.halfterm.instances) i.intent = 'removed';
    });
    await startSupervisor();
    await until('the containers removed', () => containersOf(workload.id).length === 0);
    expect(stored('halfterm')).toMatchObject({ operation: null, spec: { env: [] } });
    expect(stored('halfterm').destroyedAt).not.toBeNull();
  });

  test('a redeploy killed before it removed the old containers: they go, and fresh ones from the current spec run', async () => {
    await leftBy('halfredeploy', 'Redeploying', deadHolder(), ['none', 'none']);
    // The redeploy had forgotten them (the state has no container for either instance), but not removed them yet.
    const old = [1, 2].map(
      (index) =>
        docker.running({
          name: `st-halfredeploy-${index}`,
          labels: managedLabels('halfredeploy', index, 'service'),
          command: ['old', 'spec'],
        }).id,
    );
    await startSupervisor();
    await until(
      'two fresh containers running',
      () => containersOf('halfredeploy').filter((c) => c.state === 'running' && !old.includes(c.id)).length === 2,
    );
    expect(old.some((id) => docker.containers.has(id))).toBe(false);
    expect(containersOf('halfredeploy').map((c) => c.command)).toEqual([
      ['sh', '-c', 'sleep 1000'],
      ['sh', '-c', 'sleep 1000'],
    ]);
    expect(
      stored('halfredeploy')
        .instances.map((i) => i.containerId)
        .sort(),
    ).toEqual(
      containersOf('halfredeploy')
        .map((c) => c.id)
        .sort(),
    );
  });

  test('a scale killed before its new container was made: it is made and started', async () => {
    await leftBy('halfscale', 'Scaling', deadHolder(), ['running', 'running', 'none']);
    await startSupervisor();
    await until('three running', () => containersOf('halfscale').filter((c) => c.state === 'running').length === 3);
    expect(supervisorActions('halfscale')[0][0]).toBe('scale');
  });
});

describe('case 4: a container Docker cannot start is judged by its policy', () => {
  /** A workload recorded but never started, whose command is a binary the image does not have. */
  const missingBinary = async (id: string, overrides: Partial<Workload>) => {
    const workload = workloadRecord(id, {
      spec: { image: 'svc-busybox:latest', command: [MISSING_BINARY], entrypoint: null, env: [], memoryMb: null },
      ...overrides,
    });
    await ctx.store.update((tx) => {
      tx.state.workloads[id] = workload;
    });
    return workload;
  };
  const exec = `exec: "${MISSING_BINARY}": stat ${MISSING_BINARY}: no such file or directory`;

  test('Fly on-failure max_retries 2: the start fails with a clear error; two retries with back-off, then a give-up shown as Stopped', async () => {
    await missingBinary('0123456789abcd', {
      dialect: 'machine',
      name: 'nobin',
      app: 'shop',
      processGroup: 'app',
      policy: machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 }),
    });
    await startSupervisor();

    await expect(startWorkload(ctx, '0123456789abcd')).rejects.toThrow(
      `Docker could not start the container of nobin: exit code 127, ${exec}; by its restart policy: restart`,
    );
    const id = stored('0123456789abcd').instances[0].containerId!;
    expect(stored('0123456789abcd').operation).toBeNull();
    expect(eventsOf('0123456789abcd')[0]).toMatchObject({ action: 'start', source: 'user' });

    await aReconcile(); // the supervisor finds the pending restart: the first retry, which fails too
    await until('the second retry scheduled', () =>
      logs.some((line) => line.startsWith('nobin #1: restart') && line.endsWith('back-off 100 ms)')),
    );
    await advance(100); // its back-off
    await until('the give-up', () => stored('0123456789abcd').instances[0].stoppedReason);

    const reason = `could not start: ${exec}; exit code 127`;
    expect(supervisorActions('0123456789abcd')).toEqual([
      ['restart', `${reason}; restart policy on-failure; restart 1 of 2 in 5 min`],
      ['restart', `${reason}; restart policy on-failure; restart 2 of 2 in 5 min; back-off 100 ms`],
      ['give-up', `${reason}; restart budget spent: 2 restarts in 5 min`],
    ]);
    expect(
      eventsOf('0123456789abcd')
        .filter((e) => e.source === 'supervisor')
        .every((e) => e.exitCode === 127),
    ).toBe(true);
    const instance = stored('0123456789abcd').instances[0];
    expect(instance).toMatchObject({ pending: null, restartCount: 2 });
    expect(containerState(instance, docker.containers.get(id)!.state)).toBe('Stopped');

    await aReconcile();
    await aReconcile();
    expect(docker.callsOf('start')).toHaveLength(3); // the user's and two retries: no more after the give-up
    expect(supervisorActions('0123456789abcd')).toHaveLength(3);
  });

  test("Tutum's replacement budget: each replacement that cannot start either is charged, until the budget is spent", async () => {
    await missingBinary('tutumfail', { policy: dcPolicy({ autoreplace: 'ON_FAILURE' }) });
    await startSupervisor();
    await expect(startWorkload(ctx, 'tutumfail')).rejects.toThrow(/by its restart policy: replace$/);

    await aReconcile();
    await until('the give-up', () => stored('tutumfail').instances[0].stoppedReason);
    const actions = supervisorActions('tutumfail').map(([action]) => action);
    expect(actions).toEqual(['replace', 'replace', 'replace', 'give-up']);
    expect(supervisorActions('tutumfail').at(-1)![1]).toMatch(/replace budget spent: 3 replacements in 5 min$/);
    expect(docker.callsOf('create')).toHaveLength(4); // the first container and three replacements
    expect(containersOf('tutumfail')).toHaveLength(1);
  });

  test('a failed start no one judged (no supervisor then) is judged on the next reconcile, once', async () => {
    const workload = await missingBinary('unjudged', { intent: 'running', policy: dcPolicy({ autorestart: 'OFF' }) });
    const labels = managedLabels('unjudged', 1, 'service');
    const id = await ctx.docker.create({
      name: 'st-unjudged-1',
      labels,
      image: 'svc-busybox:latest',
      command: [MISSING_BINARY],
      entrypoint: null,
      env: [],
      memoryMb: null,
    });
    await expect(ctx.docker.start([id])).rejects.toThrow(/exec: "\/nonexistent"/);
    await ctx.store.update((tx) => {
      Object.assign(tx.state.workloads.unjudged.instances[0], {
        containerId: id,
        intent: 'running',
        lastStartedAt: jest.now(),
      });
    });

    await startSupervisor();
    await until('the exit judged', () => stored(workload.id).instances[0].stoppedReason);
    await aReconcile();
    expect(supervisorActions('unjudged')).toEqual([
      ['leave-stopped', `could not start: ${exec}; exit code 127; restart policy never`],
    ]);
    expect(containerState(stored('unjudged').instances[0], 'created')).toBe('Stopped');
  });
});
