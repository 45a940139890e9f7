/** Redeploy: every instance gets a fresh container from the current spec, under the same name. */
import type { EngineContext } from '../ports/context.js';
import { liveInstances, type Workload } from '../../core/workload.js';
import { createContainer, recordStartingContainers } from '../containers.js';
import { runUserOperation } from '../operation.js';
import {
  judgeFailedStarts,
  startFailedError,
  startReportingFailures,
  type StartRefusedError,
} from '../start-failures.js';
import { userEvent } from '../store-helpers.js';

/** Fresh containers Docker refuses to start are judged as their exits, and the redeploy fails saying so (see startWorkload). */
export const redeployWorkload = async (ctx: EngineContext, workloadId: string): Promise<Workload> => {
  const refused: { error?: StartRefusedError } = {};
  const redeployed = await runUserOperation(ctx, workloadId, {
    kind: 'Redeploying',
    plan: (w) => {
      const before = structuredClone(w);
      w.intent = 'running';
      // Forgetting the old ids first makes their exits nobody's, so the supervisor leaves them alone.
      for (const instance of liveInstances(w)) {
        instance.containerId = null;
        instance.intent = 'running';
        instance.pending = null;
      }
      return before;
    },
    act: async (before) => {
      const instances = liveInstances(before);
      await ctx.docker.remove(instances.flatMap((i) => (i.containerId ? [i.containerId] : [])));
      const fresh = new Map<number, string>();
      await Promise.all(instances.map(async (i) => fresh.set(i.index, await createContainer(ctx, before, i))));
      await recordStartingContainers(ctx, workloadId, fresh, { fresh: true });
      const failures = await startReportingFailures(ctx, [...fresh.values()]);
      return { now: ctx.clock.now(), failures, tried: fresh.size };
    },
    record: (w, tx, { now, failures, tried }) => {
      w.deployedAt = now;
      w.startedAt = now;
      tx.emit(userEvent(ctx, w, 'redeploy', 'redeployed by user'));
      if (failures.length > 0)
        refused.error = startFailedError(w, failures, tried, judgeFailedStarts(tx, failures, ctx.clock.now()));
    },
  });
  if (refused.error) {
    refused.error.workload = redeployed;
    throw refused.error;
  }
  return redeployed;
};
