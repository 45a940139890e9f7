/**
 * Every container svc starts is in the state file before `docker start` is called. A container can
 * exit the moment it starts; if its id were written only afterwards, the supervisor would find no
 * instance for that die event and leave a crash unjudged until its next reconcile (seen in CI: an
 * `exit 3` machine not restarted for 30 s). Real Docker, engine called in-process, with the
 * adapter's `start` wrapped to look at the state at that exact moment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocker } from '../../src/adapters/docker.js';
import type { Context } from '../../src/context.js';
import { redeployWorkload } from '../../src/engine/local/redeploy.js';
import { scaleWorkload } from '../../src/engine/scale.js';
import { inProcessContext, launchShellService } from '../helpers/context.js';
import { cleanupContainers, requireDocker } from '../helpers/svc.js';

const made: string[] = [];
let home: string;
let ctx: Context;
/** For each `docker start`: the ids asked for, and which of them the state knew at that moment. */
let starts: { asked: string[]; known: string[] }[] = [];

beforeAll(async () => {
  await requireDocker();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-start-order-'));
  const docker = createDocker();
  ctx = inProcessContext(home, {
    ...docker,
    start: async (ids: string[]) => {
      const recorded = Object.values(ctx.store.read().workloads).flatMap((w) => w.instances.map((i) => i.containerId));
      starts.push({ asked: [...ids], known: ids.filter((id) => recorded.includes(id)) });
      return docker.start(ids);
    },
  });
});

beforeEach(() => {
  starts = [];
});

afterAll(async () => {
  await cleanupContainers(made);
  fs.rmSync(home, { recursive: true, force: true });
});

const launchCrashingService = async (instances: number) => {
  const workload = await launchShellService(ctx, {
    namePrefix: 'order',
    script: 'exit 3',
    autorestart: 'ON_FAILURE',
    instances,
  });
  made.push(workload.id);
  return workload;
};

const expectEveryStartedIdKnown = () => {
  expect(starts.length).toBeGreaterThan(0);
  for (const start of starts) {
    expect(start.asked.length).toBeGreaterThan(0);
    expect(start.known).toEqual(start.asked);
  }
};

test('service run / start: the new containers are recorded before they are started', async () => {
  const workload = await launchCrashingService(2);
  expectEveryStartedIdKnown();
  expect(starts.flatMap((s) => s.asked).sort()).toEqual(workload.instances.map((i) => i.containerId).sort());
});

test('scale up: the added container is recorded before it is started', async () => {
  const workload = await launchCrashingService(1);
  starts = [];
  const scaled = await scaleWorkload(ctx, workload.id, 2);
  expectEveryStartedIdKnown();
  expect(starts.flatMap((s) => s.asked)).toEqual([scaled.instances[1].containerId]);
});

test('redeploy: the fresh containers are recorded before they are started, with a fresh recovery history', async () => {
  const workload = await launchCrashingService(1);
  await ctx.store.update((tx) => {
    tx.state.workloads[workload.id].instances[0].restarts = [1, 2];
    tx.state.workloads[workload.id].instances[0].backoffStep = 2;
  });
  starts = [];
  const redeployed = await redeployWorkload(ctx, workload.id);
  expectEveryStartedIdKnown();
  expect(redeployed.instances[0].containerId).not.toBe(workload.instances[0].containerId);
  expect(redeployed.instances[0]).toMatchObject({ restarts: [], backoffStep: 0 });
});
