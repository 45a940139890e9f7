import type { OperationContext } from '../context.js';
import type { Workload } from '../core/workload.js';
import { StartRefusedError } from '../engine/start-failures.js';

/**
 * An operation that leaves a policy to keep (a workload created, started, changed) ends by making
 * sure someone keeps it. So does one that failed because Docker refused a start: the policy has
 * judged that as an exit, and a restart it called for is the supervisor's to carry out.
 */
export const enforcedAfter = async (ctx: OperationContext, operation: Promise<Workload>): Promise<Workload> => {
  let workload: Workload;
  try {
    workload = await operation;
  } catch (error) {
    // The refused start is the answer; a supervisor that cannot be started says so in its own log.
    if (error instanceof StartRefusedError && error.workload)
      await ctx.backend.enforcePolicies(error.workload).catch(() => {});
    throw error;
  }
  await ctx.backend.enforcePolicies(workload);
  return workload;
};
