/**
 * Start, stop and terminate. Each writes the user's intent (under the lock) before Docker is asked,
 * so the supervisor reads every exit these cause as the user's and never fights it.
 */
import type { Context } from '../context.js';
import { LABEL_WORKLOAD } from '../core/labels.js';
import { liveInstances, newInstance, containerNameFor, type Workload } from '../core/workload.js';
import { ensureContainers, recordStartingContainers, resetRecovery } from './containers.js';
import { updateWorkload, userEvent } from './store-helpers.js';

export const startWorkload = async (ctx: Context, workloadId: string): Promise<Workload> => {
  const workload = await updateWorkload(ctx, workloadId, (w) => {
    w.intent = 'running';
    w.operation = { kind: 'Starting', since: ctx.clock.now() };
    for (let index = 1; index <= w.targetInstances; index++) {
      if (!w.instances.some((i) => i.index === index && i.intent !== 'removed')) {
        w.instances = w.instances.filter((i) => i.index !== index);
        w.instances.push(newInstance(index, containerNameFor(w, index)));
      }
    }
    w.instances.sort((a, b) => a.index - b.index);
    for (const instance of liveInstances(w)) {
      instance.intent = 'running';
      resetRecovery(instance);
    }
    return structuredClone(w);
  });
  try {
    const instances = liveInstances(workload);
    const ids = await ensureContainers(ctx, workload, instances);
    await recordStartingContainers(ctx, workloadId, ids, { fresh: false });
    await ctx.docker.start([...ids.values()]);
    const startedAt = ctx.clock.now();
    return await updateWorkload(ctx, workloadId, (w, tx) => {
      w.deployedAt ??= startedAt;
      w.startedAt = startedAt;
      tx.emit(userEvent(ctx, w, 'start', 'started by user'));
      return w;
    });
  } finally {
    await clearOperation(ctx, workloadId);
  }
};

export const stopWorkload = async (ctx: Context, workloadId: string): Promise<Workload> => {
  const workload = await updateWorkload(ctx, workloadId, (w) => {
    w.intent = w.intent === 'not-started' ? 'not-started' : 'stopped';
    w.operation = { kind: 'Stopping', since: ctx.clock.now() };
    for (const instance of liveInstances(w)) {
      instance.intent = 'stopped';
      instance.pending = null;
    }
    return structuredClone(w);
  });
  try {
    await ctx.docker.stop(containerIds(workload));
    return await updateWorkload(ctx, workloadId, (w, tx) => {
      w.stoppedAt = ctx.clock.now();
      tx.emit(userEvent(ctx, w, 'stop', 'stopped by user'));
      return w;
    });
  } finally {
    await clearOperation(ctx, workloadId);
  }
};

export const terminateWorkload = async (ctx: Context, workloadId: string): Promise<Workload> => {
  const workload = await updateWorkload(ctx, workloadId, (w) => {
    w.intent = 'terminated';
    w.operation = { kind: 'Terminating', since: ctx.clock.now() };
    for (const instance of w.instances) {
      instance.intent = 'removed';
      instance.pending = null;
    }
    return structuredClone(w);
  });
  try {
    await removeWorkloadContainers(ctx, workload);
    return await updateWorkload(ctx, workloadId, (w, tx) => {
      w.destroyedAt ??= ctx.clock.now();
      tx.emit(userEvent(ctx, w, 'terminate', 'terminated by user'));
      return w;
    });
  } finally {
    await clearOperation(ctx, workloadId);
  }
};

/** Every container labelled with this workload, including any the state file lost track of. */
export const removeWorkloadContainers = async (ctx: Context, workload: Workload) => {
  const labelled = (await ctx.docker.listManaged()).filter((c) => c.labels[LABEL_WORKLOAD] === workload.id);
  await ctx.docker.remove([...new Set([...containerIds(workload), ...labelled.map((c) => c.id)])]);
};

export const containerIds = (workload: Workload): string[] =>
  workload.instances.flatMap((instance) => (instance.containerId ? [instance.containerId] : []));

export const clearOperation = (ctx: Context, workloadId: string) =>
  ctx.store.update((tx) => {
    const workload = tx.state.workloads[workloadId];
    if (workload) workload.operation = null;
  });
