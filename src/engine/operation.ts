/**
 * The shape every user operation on one workload shares (start, stop, scale, redeploy, terminate):
 *
 * 1. Docker is asked whether it is there, so an unreachable engine is exit 4 with nothing changed.
 * 2. The workload's operation lock is taken: operations on one workload run one after another,
 *    across processes, and the last one's wish is what remains.
 * 3. The user's intent and the operation are written under the state lock, before Docker is asked,
 *    so the supervisor reads every exit the operation causes as the user's and never fights it.
 * 4. Docker is asked.
 * 5. The result is recorded and the operation cleared (also when Docker failed).
 */
import type { EngineContext } from './ports/context.js';
import type { Transaction } from './ports/store.js';
import type { UserOperation, Workload } from '../core/workload.js';
import { UserError } from '../errors.js';
import { currentHolder } from './operation-holder.js';
import { updateWorkload } from './store-helpers.js';

export interface OperationSteps<Plan, Done> {
  kind: UserOperation;
  /** Under the state lock: writes the intent and returns what Docker must do (it is copied). */
  plan(workload: Workload, tx: Transaction): Plan;
  /** Asks Docker; gets its own copy of the plan, never the shared state. */
  act(plan: Plan): Promise<Done>;
  /** Under the state lock: records what was done. */
  record(workload: Workload, tx: Transaction, done: Done, plan: Plan): void;
}

export const runUserOperation = async <Plan, Done>(
  ctx: EngineContext,
  workloadId: string,
  steps: OperationSteps<Plan, Done>,
): Promise<Workload> => {
  await ctx.docker.serverVersion();
  return ctx.store.operationLock.hold(workloadId, async () => {
    const plan = await updateWorkload(ctx, workloadId, (w, tx) => {
      // Another process may have terminated it while this one waited for the operation lock.
      if (w.intent === 'terminated' && steps.kind !== 'Terminating') {
        throw new UserError(`${w.name} (${w.id}) is terminated`, { kind: 'conflict' });
      }
      // Who holds it: the supervisor finishes an operation whose process died (operation-holder.ts).
      w.operation = { kind: steps.kind, since: ctx.clock.now(), holder: currentHolder() };
      return steps.plan(w, tx);
    });
    let done: Done;
    try {
      done = await steps.act(plan);
    } catch (error) {
      await clearOperation(ctx, workloadId).catch(() => {});
      throw error;
    }
    return updateWorkload(ctx, workloadId, (w, tx) => {
      steps.record(w, tx, done, plan);
      w.operation = null;
      return w;
    });
  });
};

export const clearOperation = (ctx: EngineContext, workloadId: string) =>
  ctx.store.update((tx) => {
    const workload = tx.state.workloads[workloadId];
    if (workload) workload.operation = null;
  });
