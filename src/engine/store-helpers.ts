import type { EngineContext } from './ports/context.js';
import type { Transaction } from './ports/store.js';
import type { EventAction, WorkloadEvent } from '../core/events.js';
import type { Workload } from '../core/workload.js';
import { UserError } from '../errors.js';

/** Locked change of one workload; fails if another process removed it meanwhile. */
export const updateWorkload = <T>(
  ctx: EngineContext,
  workloadId: string,
  change: (workload: Workload, tx: Transaction) => T,
): Promise<T> =>
  ctx.store.update((tx) => {
    const workload = tx.state.workloads[workloadId];
    if (!workload)
      throw new UserError(`The workload ${workloadId} disappeared from the state file while svc was working on it`);
    return change(workload, tx);
  });

export const userEvent = (
  ctx: EngineContext,
  workload: Workload,
  action: EventAction,
  reason: string,
  instance: number | null = null,
): WorkloadEvent => ({
  time: ctx.clock.now(),
  workloadId: workload.id,
  workloadName: workload.name,
  instance,
  containerId: null,
  exitCode: null,
  oomKilled: null,
  action,
  reason,
  source: 'user',
});
