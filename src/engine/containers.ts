/** Creating an instance's container, adopting one a killed svc process already made. */
import type { EngineContext } from './ports/context.js';
import { LABEL_WORKLOAD, managedLabels } from '../core/labels.js';
import { liveInstances, type InstanceRecord, type Workload } from '../core/workload.js';
import { updateWorkload } from './store-helpers.js';

export const createContainer = async (
  ctx: EngineContext,
  workload: Workload,
  instance: InstanceRecord,
): Promise<string> =>
  ctx.docker.create({
    name: instance.containerName,
    image: workload.spec.image,
    command: workload.spec.command,
    entrypoint: workload.spec.entrypoint,
    env: workload.spec.env,
    memoryMb: workload.spec.memoryMb,
    labels: managedLabels(workload.id, instance.index, workload.dialect),
  });

/**
 * Makes sure every given instance has a container and returns instance index -> container id.
 * A container with the instance's name and this workload's label is taken over rather than
 * created again: it is what a process killed between `docker create` and the state write leaves.
 */
export const ensureContainers = async (
  ctx: EngineContext,
  workload: Workload,
  instances: readonly InstanceRecord[],
): Promise<Map<number, string>> => {
  const existing = await ctx.docker.listManaged();
  const ours = new Map(
    existing.filter((c) => c.labels[LABEL_WORKLOAD] === workload.id).map((c) => [c.name, c.id] as const),
  );
  const ids = new Map<number, string>();
  await Promise.all(
    instances.map(async (instance) => {
      const adopted = ours.get(instance.containerName);
      ids.set(instance.index, adopted ?? (await createContainer(ctx, workload, instance)));
    }),
  );
  return ids;
};

/**
 * Writes the new containers' ids into the state before they are started. A container can exit the
 * moment it starts; its die event must find its instance, or the supervisor takes it for nobody's.
 * Their start time is taken as now, just before svc asks Docker. `fresh` also resets the recovery
 * history (budgets, back-off): done here, not after the start, so it never wipes a restart the
 * supervisor charged in between.
 */
export const recordStartingContainers = (
  ctx: EngineContext,
  workloadId: string,
  ids: ReadonlyMap<number, string>,
  { fresh }: { fresh: boolean },
): Promise<void> =>
  updateWorkload(ctx, workloadId, (w) => {
    const startingAt = ctx.clock.now();
    for (const instance of liveInstances(w)) {
      const id = ids.get(instance.index);
      if (!id) continue;
      instance.containerId = id;
      instance.lastStartedAt = startingAt;
      if (fresh) resetRecovery(instance);
    }
  });

/** A fresh start after the user asked for one: budgets and back-off start over. */
export const resetRecovery = (instance: InstanceRecord): void => {
  instance.restarts = [];
  instance.replaces = [];
  instance.backoffStep = 0;
  instance.pending = null;
  instance.stoppedReason = null;
};
