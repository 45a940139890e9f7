/** One machine as the user sees it: its record joined with Docker's view of its container. */
import type { Context } from '../../context.js';
import { flyMachineState, type FlyMachineState } from '../../core/machineState.js';
import type { Workload } from '../../core/workload.js';
import { UserError } from '../../errors.js';
import { observeAll, type ObservedWorkload } from '../../engine/observe.js';

export const observeMachine = async (ctx: Context, workload: Workload): Promise<ObservedWorkload> => {
  const observed = (await observeAll(ctx, 'machine')).find((o) => o.workload.id === workload.id);
  if (!observed) throw new UserError(`machine ${workload.id} disappeared from the state file while svc was reading it`);
  return observed;
};

export const machineStateOf = async (ctx: Context, workload: Workload): Promise<FlyMachineState> =>
  flyMachineState((await observeMachine(ctx, workload)).state);

/** flyctl's words for acting on a machine that no longer exists. */
export const refuseDestroyed = (workload: Workload) => {
  if (workload.intent === 'terminated') {
    throw new UserError(`machine ${workload.id} has already been destroyed`, {
      kind: 'conflict',
      hint: 'Create a new one with `svc m run` or `svc deploy`.',
    });
  }
};
