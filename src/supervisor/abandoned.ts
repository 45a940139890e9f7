/**
 * A user operation whose process died (kill -9 of a CLI or a server mid-start) never clears its
 * operation, and left the workload half done: some containers started, some only created, some
 * never made. The supervisor leaves a workload alone while its operation runs; once the operation
 * is known abandoned (its holder's process is gone, or its operation lock went stale) it takes the
 * operation over: clears it, says so in an event, and the same reconcile carries the workload to
 * the intent the operation recorded (reconcile-plan.ts: unstarted, missing, stop, remove).
 */
import type { EngineContext } from '../context.js';
import type { EventAction } from '../core/events.js';
import { LABEL_WORKLOAD } from '../core/labels.js';
import { liveInstances, type UserOperation, type Workload } from '../core/workload.js';
import type { ContainerSummary } from '../engine/ports/runtime.js';
import { dropSecrets } from '../engine/lifecycle.js';
import { holderGone } from '../engine/operation-holder.js';

export interface AbandonedOperation {
  workloadId: string;
  operation: NonNullable<Workload['operation']>;
  why: string;
}

const ACTION_OF: Record<UserOperation, EventAction> = {
  Starting: 'start',
  Stopping: 'stop',
  Scaling: 'scale',
  Redeploying: 'redeploy',
  Terminating: 'terminate',
};

/**
 * The operations in `workloads` whose holder is gone. `lockHeld` is read after the state was: an
 * operation is written after its lock is taken and cleared before it is released, so a live one
 * is never seen without its lock (unless its holder froze past the lock's stale time: then it has
 * lost the lock to anyone, the supervisor included).
 */
export const findAbandoned = (
  workloads: Record<string, Workload>,
  lockHeld: (workloadId: string) => boolean,
): AbandonedOperation[] =>
  Object.values(workloads).flatMap((w) => {
    if (!w.operation) return [];
    const pid = w.operation.holder ? ` (pid ${w.operation.holder.pid})` : '';
    if (holderGone(w.operation.holder))
      return [{ workloadId: w.id, operation: w.operation, why: `its process${pid} is gone` }];
    if (!lockHeld(w.id))
      return [{ workloadId: w.id, operation: w.operation, why: `its operation lock${pid} went stale or was let go` }];
    return [];
  });

const sameOperation = (a: Workload['operation'], b: Workload['operation']) =>
  a !== null && b !== null && a.kind === b.kind && a.since === b.since && a.holder?.pid === b.holder?.pid;

/**
 * Clears each abandoned operation that is still the one found (a new operation may have taken the
 * workload meanwhile), with an event; returns the ids of the workloads the supervisor now finishes.
 */
export const takeOverAbandoned = (
  ctx: EngineContext,
  abandoned: readonly AbandonedOperation[],
): Promise<Map<string, UserOperation>> =>
  ctx.store.update((tx) => {
    const taken = new Map<string, UserOperation>();
    for (const { workloadId, operation, why } of abandoned) {
      const w = tx.state.workloads[workloadId];
      if (!w || !sameOperation(w.operation, operation)) continue;
      w.operation = null;
      // What the operation's last step would have recorded.
      if (operation.kind === 'Terminating') {
        w.destroyedAt ??= ctx.clock.now();
        dropSecrets(w);
      }
      if (operation.kind === 'Scaling')
        w.instances = w.instances.filter((i) => !(i.intent === 'removed' && i.index > w.targetInstances));
      const verb = ACTION_OF[operation.kind];
      tx.emit({
        time: ctx.clock.now(),
        workloadId: w.id,
        workloadName: w.name,
        instance: null,
        containerId: null,
        exitCode: null,
        oomKilled: null,
        action: verb,
        reason: `the user's ${verb} was interrupted (${why}); the supervisor finishes it: intent ${w.intent}`,
        source: 'supervisor',
      });
      taken.set(workloadId, operation.kind);
    }
    return taken;
  });

/**
 * An interrupted redeploy had forgotten its instances' old containers before it removed them, and
 * may have made fresh ones it never recorded: neither can be told from the other by their labels.
 * Every container of the workload no live instance tracks goes, before the reconcile plans, so the
 * instances get fresh containers from the current spec (the old ones would run the old one).
 * Returns whether any was removed.
 */
export const removeRedeployLeftovers = async (
  ctx: EngineContext,
  workload: Workload,
  containers: readonly ContainerSummary[],
): Promise<boolean> => {
  const tracked = new Set(liveInstances(workload).flatMap((i) => (i.containerId ? [i.containerId] : [])));
  const leftovers = containers.filter((c) => c.labels[LABEL_WORKLOAD] === workload.id && !tracked.has(c.id));
  if (leftovers.length > 0) await ctx.docker.remove(leftovers.map((c) => c.id));
  return leftovers.length > 0;
};
