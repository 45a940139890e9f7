/** Redeploy: every instance gets a fresh container from the current spec, under the same name. */
import type { Context } from '../context.js';
import { liveInstances, type Workload } from '../core/workload.js';
import { createContainer, recordStartingContainers } from './containers.js';
import { clearOperation } from './lifecycle.js';
import { updateWorkload, userEvent } from './store-helpers.js';

export const redeployWorkload = async (ctx: Context, workloadId: string): Promise<Workload> => {
  const before = await updateWorkload(ctx, workloadId, (w) => {
    w.operation = { kind: 'Redeploying', since: ctx.clock.now() };
    const snapshot = structuredClone(w);
    w.intent = 'running';
    // Forgetting the old ids first makes their exits nobody's, so the supervisor leaves them alone.
    for (const instance of liveInstances(w)) {
      instance.containerId = null;
      instance.intent = 'running';
      instance.pending = null;
    }
    return snapshot;
  });
  try {
    const instances = liveInstances(before);
    await ctx.docker.remove(instances.flatMap((i) => (i.containerId ? [i.containerId] : [])));
    const fresh = new Map<number, string>();
    await Promise.all(instances.map(async (i) => fresh.set(i.index, await createContainer(ctx, before, i))));
    await recordStartingContainers(ctx, workloadId, fresh, { fresh: true });
    await ctx.docker.start([...fresh.values()]);
    return await updateWorkload(ctx, workloadId, (w, tx) => {
      const now = ctx.clock.now();
      w.deployedAt = now;
      w.startedAt = now;
      tx.emit(userEvent(ctx, w, 'redeploy', 'redeployed by user'));
      return w;
    });
  } finally {
    await clearOperation(ctx, workloadId);
  }
};
