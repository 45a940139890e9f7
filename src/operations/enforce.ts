import type { OperationContext } from '../context.js';
import type { Workload } from '../core/workload.js';

/** An operation that leaves a policy to keep (a workload created, started, changed) ends by making sure someone keeps it. */
export const enforcedAfter = async (ctx: OperationContext, operation: Promise<Workload>): Promise<Workload> => {
  const workload = await operation;
  await ctx.backend.enforcePolicies(workload);
  return workload;
};
