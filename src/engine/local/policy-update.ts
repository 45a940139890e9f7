/** A policy change is stored at once; the supervisor reads it on the next exit, so it applies to running instances. */
import type { EngineContext } from '../ports/context.js';
import { conflictsAlwaysWithDestroy, type RestartPolicy } from '../../core/policy.js';
import type { Workload } from '../../core/workload.js';
import { policyConflictError } from '../create.js';
import { updateWorkload, userEvent } from '../store-helpers.js';

export const updatePolicy = (
  ctx: EngineContext,
  workloadId: string,
  change: (current: RestartPolicy) => RestartPolicy,
  describe: (policy: RestartPolicy) => string,
): Promise<Workload> =>
  updateWorkload(ctx, workloadId, (w, tx) => {
    const next = change(structuredClone(w.policy));
    if (conflictsAlwaysWithDestroy(next)) throw policyConflictError(w.dialect);
    w.policy = next;
    tx.emit(userEvent(ctx, w, 'update', `restart policy set to ${describe(next)}`));
    return w;
  });
