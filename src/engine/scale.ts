/**
 * Scaling: new instances are created (and started if the workload runs); surplus ones are removed,
 * never fought. A user operation (see operation.ts): parallel scales of one workload run one after
 * another, so the last one's count is what remains and every container is tracked.
 */
import type { EngineContext } from './ports/context.js';
import { MAX_CONTAINERS_PER_SERVICE } from '../core/limits.js';
import { containerNameFor, liveInstances, newInstance, type Workload } from '../core/workload.js';
import { usageError } from '../errors.js';
import { ensureContainers, recordStartingContainers } from './containers.js';
import { runUserOperation } from './operation.js';
import {
  judgeFailedStarts,
  startFailedError,
  startReportingFailures,
  type StartRefusedError,
} from './start-failures.js';
import { userEvent } from './store-helpers.js';

export const checkInstanceCount = (target: number, min: number): number => {
  if (!Number.isSafeInteger(target) || target < min || target > MAX_CONTAINERS_PER_SERVICE) {
    throw usageError(`Invalid number of containers ${target}: expected ${min} to ${MAX_CONTAINERS_PER_SERVICE}`);
  }
  return target;
};

export const scaleWorkload = async (ctx: EngineContext, workloadId: string, target: number): Promise<Workload> => {
  checkInstanceCount(target, 0);
  let from = 0;
  const refused: { error?: StartRefusedError } = {};
  const scaled = await runUserOperation(ctx, workloadId, {
    kind: 'Scaling',
    plan: (w) => {
      from = w.targetInstances;
      w.targetInstances = target;
      const running = w.intent === 'running';
      // Linear in the number of instances: this runs under the state lock.
      const live = new Set(liveInstances(w).map((i) => i.index));
      const added = [];
      for (let index = from + 1; index <= target; index++) {
        if (live.has(index)) continue;
        const instance = newInstance(index, containerNameFor(w, index));
        instance.intent = running ? 'running' : 'stopped';
        added.push(instance);
      }
      const addedIndexes = new Set(added.map((i) => i.index));
      w.instances = w.instances.filter((i) => !addedIndexes.has(i.index)).concat(added);
      const removed = liveInstances(w).filter((i) => i.index > target);
      for (const instance of removed) {
        instance.intent = 'removed';
        instance.pending = null;
      }
      w.instances.sort((a, b) => a.index - b.index);
      return { workload: w, added, removed, running };
    },
    act: async (plan) => {
      const ids = plan.running ? await ensureContainers(ctx, plan.workload, plan.added) : new Map<number, string>();
      if (ids.size > 0) await recordStartingContainers(ctx, workloadId, ids, { fresh: false });
      const failures = await startReportingFailures(ctx, [...ids.values()]);
      await ctx.docker.remove(plan.removed.flatMap((i) => (i.containerId ? [i.containerId] : [])));
      return { failures, tried: ids.size };
    },
    record: (w, tx, { failures, tried }) => {
      // Scaled-down instances leave the record: their numbers are free for a later scale up.
      w.instances = w.instances.filter((i) => !(i.intent === 'removed' && i.index > w.targetInstances));
      tx.emit(userEvent(ctx, w, 'scale', `scaled from ${from} to ${target} by user`));
      // New containers Docker refused to start are judged as their exits (see startWorkload).
      if (failures.length > 0)
        refused.error = startFailedError(w, failures, tried, judgeFailedStarts(tx, failures, ctx.clock.now()));
    },
  });
  if (refused.error) {
    refused.error.workload = scaled;
    throw refused.error;
  }
  return scaled;
};
