/** A workload joined with its backend's view of it, for the service and machine operations. */
import type { OperationContext } from '../context.js';
import type { Workload } from '../core/workload.js';
import type { ObservedWorkload } from '../engine/observe.js';
import { UserError } from '../errors.js';

export const observedWorkload = async (ctx: OperationContext, workload: Workload): Promise<ObservedWorkload> => {
  const found = (await ctx.backend.observe(workload.dialect)).find((o) => o.workload.id === workload.id);
  if (!found)
    throw new UserError(`${workload.dialect} ${workload.id} disappeared from the state file while svc was reading it`);
  return found;
};
