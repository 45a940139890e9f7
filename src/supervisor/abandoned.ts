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
import type { UserOperation, Workload } from '../core/workload.js';
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
export const findAbandoned = (workloads: Record<string, Workload>, lockHeld: (workloadId: string) => boolean): AbandonedOperation[] =>
  Object.values(workloads).flatMap((w) => {
    if (!w.operation) return [];
    const pid = w.operation.holder ? ` (pid ${w.operation.holder.pid})` : '';
    if (holderGone(w.operation.holder)) return [{ workloadId: w.id, operation: w.operation, why: `its process${pid} is gone` }];
    if (!lockHeld(w.id)) return [{ workloadId: w.id, operation: w.operation, why: `its operation lock${pid} went stale or was let go` }];
    return [];
  });

const sameOperation = (a: Workload['operation'], b: Workload['operation']) =>
  a !== null && b !== null && a.kind === b.kind && a.since === b.since && a.holder?.pid === b.holder?.pid;

/**
 * Clears each abandoned operation that is still the one found (a new operation may have taken the
 * workload meanwhile), with an event; returns the ids of the workloads the supervisor now finishes.
 */
export const takeOverAbandoned = (ctx: EngineContext, abandoned: readonly AbandonedOperation[]): Promise<Set<string>> =>
  ctx.store.update((tx) => {
    const taken = new Set<string>();
    for (const { workloadId, operation, why } of abandoned) {
      const w = tx.state.workloads[workloadId];
      if (!w || !sameOperation(w.operation, operation)) continue;
      w.operation = null;
      // What the operation's last step would have recorded.
      if (operation.kind === 'Terminating') {
        w.destroyedAt ??= ctx.clock.now();
        dropSecrets(w);
      }
      if (operation.kind === 'Scaling') w.instances = w.instances.filter((i) => !(i.intent === 'removed' && i.index > w.targetInstances));
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
      taken.add(workloadId);
    }
    return taken;
  });
