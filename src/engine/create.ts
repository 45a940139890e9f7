/** Creating a workload: the record is written (under the lock) before Docker is asked anything. */
import type { EngineContext } from './ports/context.js';
import { DIALECT_MESSAGES } from '../core/dialects/messages.js';
import { conflictsAlwaysWithDestroy } from '../core/policy.js';
import { containerNameFor, newInstance, type Dialect, type Workload } from '../core/workload.js';
import { UserError } from '../errors.js';
import { removeWorkloadContainers, startWorkload } from './lifecycle.js';
import { checkInstanceCount } from './scale.js';
import { randomHex, randomUUID } from './ids.js';
import { userEvent } from './store-helpers.js';

/** What the user chose; the rest of a Workload (ids, intent, instances, times) is the engine's. */
export type NewWorkload = Pick<
  Workload,
  'dialect' | 'name' | 'app' | 'processGroup' | 'spec' | 'policy' | 'targetInstances' | 'deployManaged' | 'metadata'
> & {
  /** Where it runs; default the context's (SVC_BACKEND, else local). */
  backend?: Workload['backend'];
};

/** DC uses uuid4; a Fly machine id is 14 lowercase hex characters. */
export const newWorkloadId = (dialect: Dialect): string => (dialect === 'service' ? randomUUID() : randomHex(7));

export const policyConflictError = (dialect: Dialect) => {
  const { message, hint } = DIALECT_MESSAGES[dialect].policyConflict;
  return new UserError(message, { kind: 'conflict', hint });
};

/**
 * Records the workload (Not running). Two live workloads of one dialect cannot share a name: their
 * containers would clash. `announce: false` leaves the `create` event to the caller, written only
 * once the launch worked, so a creation Docker refused leaves no trace in the event log.
 */
export const recordWorkload = async (
  ctx: EngineContext,
  input: NewWorkload,
  { announce = true } = {},
): Promise<Workload> => {
  if (conflictsAlwaysWithDestroy(input.policy)) throw policyConflictError(input.dialect);
  checkInstanceCount(input.targetInstances, 1);
  await ctx.docker.serverVersion(); // an unreachable engine is exit 4 before anything is recorded
  const now = ctx.clock.now();
  return ctx.store.update((tx) => {
    const clash = Object.values(tx.state.workloads).find(
      (w) => w.dialect === input.dialect && w.name === input.name && w.app === input.app && w.intent !== 'terminated',
    );
    if (clash) {
      const { message, hint } = DIALECT_MESSAGES[input.dialect].nameTaken(input.name, clash.id);
      throw new UserError(message, { kind: 'conflict', hint });
    }
    let id = newWorkloadId(input.dialect);
    while (tx.state.workloads[id]) id = newWorkloadId(input.dialect);
    const { backend: _backend, ...fields } = input;
    const workload: Workload = {
      id,
      ...fields,
      backend: 'local',
      intent: 'not-started',
      operation: null,
      instances: [],
      createdAt: now,
      deployedAt: null,
      startedAt: null,
      stoppedAt: null,
      destroyedAt: null,
    };
    for (let index = 1; index <= input.targetInstances; index++) {
      const instance = newInstance(index, containerNameFor(workload, index));
      instance.intent = 'stopped'; // until the user starts the workload
      workload.instances.push(instance);
    }
    tx.state.workloads[id] = workload;
    if (announce) tx.emit(userEvent(ctx, workload, 'create', `created from ${input.spec.image}`));
    return workload;
  });
};

/**
 * Undoes a creation that Docker refused, so nothing is left half-created. The record says terminated
 * first: a supervisor's reconcile between here and the end (no operation holds the workload any
 * more) must not start, judge or recreate what is being removed.
 */
export const forgetWorkload = async (ctx: EngineContext, workload: Workload): Promise<void> => {
  await ctx.store.update((tx) => {
    const recorded = tx.state.workloads[workload.id];
    if (!recorded) return;
    recorded.intent = 'terminated';
    for (const instance of recorded.instances) instance.pending = null;
  });
  await removeWorkloadContainers(ctx, workload);
  await ctx.store.update((tx) => {
    delete tx.state.workloads[workload.id];
  });
};

/** Records a workload and starts it; if Docker refuses, nothing of it is left behind. */
export const launchWorkload = async (ctx: EngineContext, input: NewWorkload): Promise<Workload> => {
  const workload = await recordWorkload(ctx, input, { announce: false });
  try {
    return await startWorkload(ctx, workload.id, { announceCreate: true });
  } catch (error) {
    await forgetWorkload(ctx, workload);
    throw error;
  }
};
