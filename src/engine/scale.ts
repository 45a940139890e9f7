/** Scaling: new instances are created (and started if the workload runs); surplus ones are removed, never fought. */
import type { Context } from '../context.js';
import { containerNameFor, liveInstances, newInstance, type Workload } from '../core/workload.js';
import { ensureContainers, recordStartingContainers } from './containers.js';
import { clearOperation } from './lifecycle.js';
import { updateWorkload, userEvent } from './store-helpers.js';

export const scaleWorkload = async (ctx: Context, workloadId: string, target: number): Promise<Workload> => {
  const plan = await updateWorkload(ctx, workloadId, (w) => {
    const from = w.targetInstances;
    w.targetInstances = target;
    w.operation = { kind: 'Scaling', since: ctx.clock.now() };
    const running = w.intent === 'running';
    const added = [];
    for (let index = from + 1; index <= target; index++) {
      w.instances = w.instances.filter((i) => i.index !== index);
      const instance = newInstance(index, containerNameFor(w, index));
      instance.intent = running ? 'running' : 'stopped';
      w.instances.push(instance);
      added.push(structuredClone(instance));
    }
    const removed = liveInstances(w).filter((i) => i.index > target);
    for (const instance of removed) {
      instance.intent = 'removed';
      instance.pending = null;
    }
    return { workload: structuredClone(w), from, added, removed: structuredClone(removed), running };
  });
  try {
    const ids = plan.running ? await ensureContainers(ctx, plan.workload, plan.added) : new Map<number, string>();
    if (ids.size > 0) await recordStartingContainers(ctx, workloadId, ids, { fresh: false });
    await ctx.docker.start([...ids.values()]);
    await ctx.docker.remove(plan.removed.flatMap((i) => (i.containerId ? [i.containerId] : [])));
    return await updateWorkload(ctx, workloadId, (w, tx) => {
      // Scaled-down instances leave the record: their numbers are free for a later scale up.
      w.instances = w.instances.filter((i) => !(i.intent === 'removed' && i.index > w.targetInstances));
      w.instances.sort((a, b) => a.index - b.index);
      tx.emit(userEvent(ctx, w, 'scale', `scaled from ${plan.from} to ${target} by user`));
      return w;
    });
  } finally {
    await clearOperation(ctx, workloadId);
  }
};
