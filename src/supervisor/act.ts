/**
 * Carrying out a pending action. Budgets and counters are charged when it is done. An action left
 * by an earlier supervisor process is checked against Docker first, so it is finished, not repeated.
 */
import type { Context } from '../context.js';
import { historyAfter, type Decision } from '../core/decide.js';
import type { InstanceRecord, PendingAction, Workload } from '../core/workload.js';
import { ensureContainers } from '../engine/containers.js';
import { exitWasDaemonRestart, notStartedSince, supervisorEvent, type DaemonHistory } from './judge.js';

type Ref = { workloadId: string; index: number };

const findInstance = (workloads: Record<string, Workload>, ref: Ref) => {
  const workload = workloads[ref.workloadId];
  const instance = workload?.instances.find((i) => i.index === ref.index && i.intent !== 'removed');
  return workload && instance ? { workload, instance } : null;
};

const wantsRunning = (workload: Workload, instance: InstanceRecord) =>
  workload.intent === 'running' && instance.intent === 'running';

/** Clears the pending action (applying `change`); returns whether the user still wants it running. */
const settle = (ctx: Context, ref: Ref, change: (workload: Workload, instance: InstanceRecord, pending: PendingAction) => void) =>
  ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    const pending = found?.instance.pending;
    if (!found || !pending) return false;
    found.instance.pending = null;
    change(found.workload, found.instance, pending);
    return wantsRunning(found.workload, found.instance);
  });

/** Drops a pending restart or replace without doing it; the instance stays Stopped, and the event says why. */
const cancel = (ctx: Context, ref: Ref, reason: string) =>
  ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    const pending = found?.instance.pending;
    if (!found || !pending) return;
    found.instance.pending = null;
    found.instance.stoppedReason = reason;
    const exit = { containerId: found.instance.containerId ?? '', exitCode: pending.exitCode, oomKilled: pending.oomKilled };
    tx.emit(supervisorEvent(found.workload, found.instance, exit, 'leave-stopped', reason, ctx.clock.now()));
  });

/** The restart or replace was done at `startedAt`: charge it to the budgets and counters. */
const charge = (instance: InstanceRecord, workload: Workload, pending: PendingAction, startedAt: number) => {
  const { delayMs, reason } = pending;
  const decision: Decision = pending.action === 'replace' ? { action: 'replace', delayMs, reason } : { action: 'restart', delayMs, reason };
  Object.assign(instance, historyAfter(workload.policy, instance, decision, pending.decidedAt));
  instance.lastStartedAt = startedAt;
  instance.restartCount += 1;
};

/**
 * `resumed`: the action was recorded by an earlier supervisor process, or interrupted (Docker went
 * away mid-way). A fresh action skips the checks: it is on the restart latency path.
 */
export const carryOut = async (ctx: Context, ref: Ref, resumed: boolean, daemon: DaemonHistory): Promise<void> => {
  const found = findInstance(ctx.store.read().workloads, ref);
  const pending = found?.instance.pending;
  if (!found || !pending) return;
  const { workload, instance } = found;

  if (pending.action !== 'destroy') {
    if (!wantsRunning(workload, instance)) return void (await settle(ctx, ref, () => {})); // the user's wish wins
    // A die event seen while dockerd was shutting down looked like a crash; it was the daemon's restart.
    if (resumed && workload.policy.mode !== 'always' && exitWasDaemonRestart(pending.finishedAt, daemon)) {
      const why = `Docker daemon restarted; exit code ${pending.exitCode}; restart policy ${workload.policy.mode} (only always restarts after a daemon restart)`;
      return void (await cancel(ctx, ref, why));
    }
  }

  if (pending.action === 'restart') {
    const id = instance.containerId!;
    const due = resumed ? notStartedSince((await ctx.docker.inspect([id]))[0], pending.decidedAt) : true;
    if (due) await ctx.docker.start([id]);
    const startedAt = ctx.clock.now();
    const stillWanted = await settle(ctx, ref, (w, i, p) => charge(i, w, p, startedAt));
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
    const stillWanted = await settle(ctx, ref, (w, i, p) => {
      charge(i, w, p, startedAt);
      i.containerId = freshId;
      i.judgedExitKey = null;
    });
    if (!stillWanted) await ctx.docker.stop([freshId]);
    return;
  }

  // destroy: the container goes; a workload with no instance left is over (DC terminates the service).
  await ctx.docker.remove(instance.containerId ? [instance.containerId] : []);
  await settle(ctx, ref, (w, i) => {
    i.intent = 'removed';
    if (w.instances.every((other) => other.intent === 'removed')) {
      w.intent = 'terminated';
      w.destroyedAt = ctx.clock.now();
    }
  });
};
