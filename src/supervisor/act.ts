/**
 * Carrying out a pending action. Each step checks what Docker shows first, so running it again
 * after a crash of the supervisor finishes the action instead of repeating it.
 */
import type { Context } from '../context.js';
import { ensureContainers } from '../engine/containers.js';
import type { InstanceRecord, Workload } from '../core/workload.js';
import { stillShowsExit } from './judge.js';

type Ref = { workloadId: string; index: number };

const findInstance = (workloads: Record<string, Workload>, ref: Ref) => {
  const workload = workloads[ref.workloadId];
  const instance = workload?.instances.find((i) => i.index === ref.index && i.intent !== 'removed');
  return workload && instance ? { workload, instance } : null;
};

const wantsRunning = (workload: Workload, instance: InstanceRecord) =>
  workload.intent === 'running' && instance.intent === 'running';

/** Clears the pending action once done; returns whether the user changed their mind meanwhile. */
const finish = (ctx: Context, ref: Ref, change: (workload: Workload, instance: InstanceRecord) => void) =>
  ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    if (!found) return false;
    found.instance.pending = null;
    change(found.workload, found.instance);
    return wantsRunning(found.workload, found.instance);
  });

/**
 * `resumed`: the action was recorded by an earlier supervisor process, which may have done it before
 * it died, so Docker is asked first. A fresh action skips that look: it is on the restart latency path.
 */
export const carryOut = async (ctx: Context, ref: Ref, resumed: boolean): Promise<void> => {
  const found = findInstance(ctx.store.read().workloads, ref);
  const pending = found?.instance.pending;
  if (!found || !pending) return;
  const { workload, instance } = found;

  if (pending.action !== 'destroy' && !wantsRunning(workload, instance)) {
    await finish(ctx, ref, () => {}); // the user stopped it meanwhile: their wish wins
    return;
  }

  if (pending.action === 'restart') {
    const id = instance.containerId!;
    const due = resumed ? stillShowsExit((await ctx.docker.inspect([id]))[0], pending) : true;
    if (due) await ctx.docker.start([id]);
    const startedAt = ctx.clock.now();
    const stillWanted = await finish(ctx, ref, (_, i) => void (i.lastStartedAt = startedAt));
    if (!stillWanted) await ctx.docker.stop([id]);
    return;
  }

  if (pending.action === 'replace') {
    // Remove first: afterwards any container with this name and workload label is the replacement.
    if (instance.containerId) await ctx.docker.remove([instance.containerId]);
    const ids = await ensureContainers(ctx, workload, [instance]);
    const freshId = ids.get(instance.index)!;
    await ctx.docker.start([freshId]);
    const startedAt = ctx.clock.now();
    const stillWanted = await finish(ctx, ref, (_, i) => {
      i.containerId = freshId;
      i.lastStartedAt = startedAt;
      i.judgedExitKey = null;
    });
    if (!stillWanted) await ctx.docker.stop([freshId]);
    return;
  }

  // destroy: the container goes; a workload with no instance left is over (DC terminates the service).
  await ctx.docker.remove(instance.containerId ? [instance.containerId] : []);
  await finish(ctx, ref, (w, i) => {
    i.intent = 'removed';
    if (w.instances.every((other) => other.intent === 'removed')) {
      w.intent = 'terminated';
      w.destroyedAt = ctx.clock.now();
    }
  });
};
