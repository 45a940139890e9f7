/**
 * A pending action left by a supervisor that was killed mid-way is finished, never repeated, and a
 * restart decided while dockerd was going down is cancelled for all but ALWAYS. Real Docker, with
 * the engine called in-process so the moment of the "crash" can be chosen exactly.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../../src/context.js';
import { exitKey, type Workload } from '../../src/core/workload.js';
import { carryOut } from '../../src/supervisor/act.js';
import { resetRecovery } from '../../src/engine/containers.js';
import type { DaemonHistory } from '../../src/engine/judge.js';
import { inProcessContext, launchShellService } from '../helpers/context.js';
import { cleanupContainers, docker, requireDocker } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

const NO_DAEMON_RESTART: DaemonHistory = { startedAt: null, lostAt: null, regainedAt: null };
const made: string[] = [];
let home: string;
let ctx: Context;

beforeAll(async () => {
  await requireDocker();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-act-'));
  ctx = inProcessContext(home);
});

afterAll(async () => {
  await cleanupContainers(made);
  fs.rmSync(home, { recursive: true, force: true });
});

const inspectState = async (id: string) =>
  JSON.parse((await docker(['inspect', '--format', '{{json .State}}', id])).stdout);

/** A running service whose one container has exited with code 1, and a restart written down for that exit. */
const crashedWithPendingRestart = async (autorestart: 'ON_FAILURE' | 'ALWAYS') => {
  const workload = await launchShellService(ctx, {
    namePrefix: 'act',
    script: 'sleep 1; exit 1',
    autorestart,
    instances: 1,
  });
  made.push(workload.id);
  const containerId = workload.instances[0].containerId!;
  await waitFor('the crash', async () => !(await inspectState(containerId)).Running);
  const finishedAt = Date.parse((await inspectState(containerId)).FinishedAt);
  const decidedAt = Date.now();
  await ctx.store.update((tx) => {
    const instance = tx.state.workloads[workload.id].instances[0];
    instance.judgedExitKey = exitKey(containerId, String(finishedAt));
    instance.judgedAt = decidedAt;
    instance.pending = {
      action: 'restart',
      exitKey: instance.judgedExitKey,
      exitCode: 1,
      oomKilled: false,
      finishedAt,
      decidedAt,
      delayMs: 0,
      dueAt: decidedAt,
      reason: 'test',
    };
  });
  return { workload, containerId, ref: { workloadId: workload.id, index: 1 }, finishedAt };
};

const instanceOf = (workload: Workload) => ctx.store.read().workloads[workload.id].instances[0];

test('a restart recorded but not done when the supervisor died is done once when it is back', async () => {
  const { workload, containerId, ref } = await crashedWithPendingRestart('ON_FAILURE');
  await carryOut(ctx, ref, true, NO_DAEMON_RESTART);
  const started = (await inspectState(containerId)).StartedAt;
  expect(instanceOf(workload).restartCount).toBe(1);
  expect(instanceOf(workload).pending).toBeNull();
  await carryOut(ctx, ref, true, NO_DAEMON_RESTART); // a second supervisor pass finds nothing to do
  expect((await inspectState(containerId)).StartedAt).toBe(started);
  expect(instanceOf(workload).restartCount).toBe(1);
});

test('a restart done just before the supervisor died is not done again', async () => {
  const { workload, containerId, ref } = await crashedWithPendingRestart('ON_FAILURE');
  await docker(['start', containerId]); // the dead supervisor got this far, but did not record it
  const started = (await inspectState(containerId)).StartedAt;
  await carryOut(ctx, ref, true, NO_DAEMON_RESTART);
  expect((await inspectState(containerId)).StartedAt).toBe(started);
  expect(instanceOf(workload).pending).toBeNull();
  expect(instanceOf(workload).restartCount).toBe(1);
});

test('a restart decided while dockerd went down is cancelled for ON_FAILURE and carried out for ALWAYS', async () => {
  const onFailure = await crashedWithPendingRestart('ON_FAILURE');
  const always = await crashedWithPendingRestart('ALWAYS');
  const daemonCameBack: DaemonHistory = { startedAt: Date.now(), lostAt: null, regainedAt: null };
  await carryOut(ctx, onFailure.ref, true, daemonCameBack);
  await carryOut(ctx, always.ref, true, daemonCameBack);
  expect((await inspectState(onFailure.containerId)).Running).toBe(false);
  expect(instanceOf(onFailure.workload).restartCount).toBe(0);
  expect(instanceOf(onFailure.workload).stoppedReason).toContain('Docker daemon restarted');
  const lastEvent = ctx.store
    .readEvents()
    .filter((e) => e.workloadId === onFailure.workload.id)
    .pop();
  expect(lastEvent?.action).toBe('leave-stopped');
  expect(instanceOf(always.workload).restartCount).toBe(1);
  expect(instanceOf(always.workload).pending).toBeNull();
});

test('a restart the user overtook with a stop is dropped, and the stop stands', async () => {
  const { workload, containerId, ref } = await crashedWithPendingRestart('ALWAYS');
  await ctx.store.update((tx) => {
    tx.state.workloads[workload.id].intent = 'stopped';
    tx.state.workloads[workload.id].instances[0].intent = 'stopped';
  });
  await carryOut(ctx, ref, false, NO_DAEMON_RESTART);
  expect((await inspectState(containerId)).Running).toBe(false);
  expect(instanceOf(workload).pending).toBeNull();
  expect(instanceOf(workload).restartCount).toBe(0);
});

test("a user's start made while the supervisor's start waited its turn is not undone, and not charged", async () => {
  const { workload, containerId, ref } = await crashedWithPendingRestart('ON_FAILURE');
  const stopped: string[][] = [];
  const userStartsFirst: Context = {
    ...ctx,
    docker: {
      ...ctx.docker,
      // What a user's `service start` does while the supervisor's start waits for one of its slots.
      start: async (ids) => {
        await ctx.store.update((tx) => resetRecovery(tx.state.workloads[workload.id].instances[0]));
        await ctx.docker.start(ids);
        await ctx.docker.start(ids); // the supervisor's own turn: Docker finds it running already
      },
      stop: async (ids, timeout) => {
        stopped.push(ids);
        await ctx.docker.stop(ids, timeout);
      },
    },
  };
  await carryOut(userStartsFirst, ref, false, NO_DAEMON_RESTART);
  expect(stopped).toEqual([]);
  expect(instanceOf(workload).pending).toBeNull();
  expect(instanceOf(workload).restartCount).toBe(0);
  expect(instanceOf(workload).containerId).toBe(containerId);
});
