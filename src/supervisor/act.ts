/**
 * Carrying out a pending action. Budgets and counters are charged when it is done. An action left
 * by an earlier supervisor process is checked against Docker first, so it is finished, not repeated.
 */
import type { EngineContext } from '../context.js';
import type { ContainerSummary } from '../engine/ports/runtime.js';
import { historyAfter, type Decision } from '../core/decide.js';
import { wantsRunning, type InstanceRecord, type PendingAction, type Workload } from '../core/workload.js';
import { ensureContainers } from '../engine/containers.js';
import { dropSecrets } from '../engine/lifecycle.js';
import { DockerCommandError } from '../errors.js';
import { failedStart, startReportingFailures, type StartFailure } from '../engine/start-failures.js';
import {
  exitWasDaemonRestart,
  failedStartExit,
  notStartedSince,
  supervisorEvent,
  type DaemonHistory,
  type ExitObservation,
} from '../engine/judge.js';
import { NO_TRACE, type RestartTracer } from './trace.js';

type Ref = { workloadId: string; index: number };

const findInstance = (workloads: Record<string, Workload>, ref: Ref) => {
  const workload = workloads[ref.workloadId];
  const instance = workload?.instances.find((i) => i.index === ref.index && i.intent !== 'removed');
  return workload && instance ? { workload, instance } : null;
};

/**
 * Clears the pending action (applying `change`); returns whether the user still wants it running.
 * An action already cleared is not charged, but the answer still follows the user's wish: a user's
 * start or Crash Recovery made while this start waited for its turn cleared it and wants the
 * container running, so the supervisor must not stop it.
 */
const settle = (
  ctx: EngineContext,
  ref: Ref,
  change: (workload: Workload, instance: InstanceRecord, pending: PendingAction) => void,
  always: (instance: InstanceRecord) => void = () => {},
) =>
  ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    if (!found) return false;
    const pending = found.instance.pending;
    if (pending) {
      found.instance.pending = null;
      change(found.workload, found.instance, pending);
    }
    always(found.instance);
    return wantsRunning(found.workload, found.instance);
  });

/** Drops a pending restart or replace without doing it; the instance stays Stopped, and the event says why. */
const cancel = (ctx: EngineContext, ref: Ref, reason: string) =>
  ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    const pending = found?.instance.pending;
    if (!found || !pending) return;
    found.instance.pending = null;
    found.instance.stoppedReason = reason;
    const exit = {
      containerId: found.instance.containerId ?? '',
      exitCode: pending.exitCode,
      oomKilled: pending.oomKilled,
    };
    tx.emit(supervisorEvent(found.workload, found.instance, exit, 'leave-stopped', reason, ctx.clock.now()));
  });

/** The restart or replace was done at `startedAt`: charge it to the budgets and counters. */
const charge = (instance: InstanceRecord, workload: Workload, pending: PendingAction, startedAt: number) => {
  const { delayMs, reason } = pending;
  const decision: Decision =
    pending.action === 'replace' ? { action: 'replace', delayMs, reason } : { action: 'restart', delayMs, reason };
  Object.assign(instance, historyAfter(workload.policy, instance, decision, pending.decidedAt));
  instance.lastStartedAt = startedAt;
  instance.restartCount += 1;
};

const isNoSuchContainer = (error: unknown) =>
  error instanceof DockerCommandError && /No such container/i.test(error.stderr);

/** Starts the container: 'gone' when it no longer exists, or how Docker failed to start it. */
const startUnlessGone = async (ctx: EngineContext, id: string): Promise<'started' | 'gone' | StartFailure> => {
  try {
    const [failure] = await startReportingFailures(ctx, [id]);
    return failure ?? 'started';
  } catch (error) {
    if (isNoSuchContainer(error)) return 'gone';
    throw error;
  }
};

/** A fresh container for the instance, started, then charged as the pending restart or replace. */
const recreate = async (
  ctx: EngineContext,
  ref: Ref,
  workload: Workload,
  instance: InstanceRecord,
): Promise<ExitObservation | null> => {
  const ids = await ensureContainers(ctx, workload, [instance]);
  const freshId = ids.get(instance.index)!;
  const [failure] = await startReportingFailures(ctx, [freshId]);
  const startedAt = ctx.clock.now();
  const takeOver = (i: InstanceRecord) => {
    if (i.containerId === freshId) return;
    i.containerId = freshId;
    i.judgedExitKey = null;
  };
  // An action a user's operation cleared meanwhile: the fresh container takes the place of the one
  // this action replaced, but not of one the user's operation recorded (it made or adopted its own).
  const replacedId = instance.containerId;
  const stillWanted = await settle(
    ctx,
    ref,
    (w, i, p) => {
      charge(i, w, p, startedAt);
      takeOver(i);
    },
    (i) => {
      if (i.containerId === replacedId) takeOver(i);
    },
  );
  if (failure) return failedStartExit(failure, startedAt);
  if (!stillWanted) await ctx.docker.stop([freshId]);
  return null;
};

/**
 * `resumed`: the action was recorded by an earlier supervisor process, or interrupted (Docker went
 * away mid-way). A fresh action skips the checks: it is on the restart latency path. Returns the
 * exit to judge next when Docker could not start the container.
 */
export const carryOut = async (
  ctx: EngineContext,
  ref: Ref,
  resumed: boolean,
  daemon: DaemonHistory,
  tracer: RestartTracer = NO_TRACE,
): Promise<ExitObservation | null> => {
  const found = findInstance(ctx.store.read().workloads, ref);
  const pending = found?.instance.pending;
  if (!found || !pending) return null;
  try {
    return await carryOutPending(ctx, ref, found, pending, resumed, daemon, tracer);
  } finally {
    // A restart that was done wrote its line already; any other ending (left stopped, cancelled,
    // replaced, failed) drops the container's marks, so none is kept or blamed on its next restart.
    if (found.instance.containerId) tracer.forget(found.instance.containerId);
  }
};

const carryOutPending = async (
  ctx: EngineContext,
  ref: Ref,
  { workload, instance }: { workload: Workload; instance: InstanceRecord },
  pending: PendingAction,
  resumed: boolean,
  daemon: DaemonHistory,
  tracer: RestartTracer,
): Promise<ExitObservation | null> => {
  if (pending.action !== 'destroy') {
    if (!wantsRunning(workload, instance)) {
      await settle(ctx, ref, () => {}); // the user's wish wins
      return null;
    }
    // A die event seen while dockerd was shutting down looked like a crash; it was the daemon's restart.
    if (resumed && workload.policy.mode !== 'always' && exitWasDaemonRestart(pending.finishedAt, daemon)) {
      const why = `Docker daemon restarted; exit code ${pending.exitCode}; restart policy ${workload.policy.mode} (only always restarts after a daemon restart)`;
      await cancel(ctx, ref, why);
      return null;
    }
  }

  if (pending.action === 'restart') {
    const id = instance.containerId;
    let started: 'started' | 'gone' | StartFailure = 'gone';
    if (id && !resumed) {
      tracer.mark(id, 'asked');
      started = await startUnlessGone(ctx, id);
      tracer.mark(id, 'returned');
    } else if (id) {
      // Finished, not repeated: a container started since the decision was restarted by an earlier process.
      const container = (await ctx.docker.inspect([id]))[0];
      if (container)
        started = notStartedSince(container, pending.decidedAt) ? await startUnlessGone(ctx, id) : 'started';
    }
    // A container removed behind svc's back cannot be started: the instance gets a fresh one instead,
    // and only a start that happened is charged.
    if (!id || started === 'gone') return recreate(ctx, ref, workload, instance);
    const startedAt = ctx.clock.now();
    const stillWanted = await settle(ctx, ref, (w, i, p) => charge(i, w, p, startedAt));
    // Docker refused the start: charged as done (a start that fails at once is a crash that spends the
    // budget and grows the back-off), and the failure is judged next as the container's exit.
    if (started !== 'started') return failedStartExit(started, startedAt);
    tracer.mark(id, 'charged');
    tracer.done(id, { dieAt: pending.finishedAt, action: 'restart' });
    if (!stillWanted) await ctx.docker.stop([id]);
    return null;
  }

  if (pending.action === 'replace') {
    // Remove first: afterwards any container with this name and workload label is the replacement.
    if (instance.containerId) await ctx.docker.remove([instance.containerId]);
    return recreate(ctx, ref, workload, instance);
  }

  // destroy: the container goes; a workload with no instance left is over (DC terminates the service).
  await ctx.docker.remove(instance.containerId ? [instance.containerId] : []);
  await settle(ctx, ref, (w, i) => {
    i.intent = 'removed';
    if (w.instances.every((other) => other.intent === 'removed')) {
      w.intent = 'terminated';
      w.destroyedAt = ctx.clock.now();
      dropSecrets(w);
    }
  });
  return null;
};

/**
 * Takes back a labelled container the state lost track of (a process killed between `docker create`
 * and the state write, or two operations that crossed). The user's wish for the instance decides
 * whether it runs. Returns false when the state changed meanwhile and nothing was done, else true,
 * or the exit to judge when Docker could not start it.
 */
export const adoptContainer = async (
  ctx: EngineContext,
  ref: Ref,
  container: ContainerSummary,
): Promise<boolean | ExitObservation> => {
  const wanted = await ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    if (!found || found.instance.pending) return null;
    const { instance } = found;
    if (instance.containerId === container.id) return null;
    instance.containerId = container.id;
    instance.judgedExitKey = null;
    if (container.state === 'running') instance.lastStartedAt = ctx.clock.now();
    return wantsRunning(found.workload, instance);
  });
  if (wanted === null) return false;
  if (wanted && container.state === 'created') return (await startLeftCreated(ctx, ref, container.id)) ?? true;
  if (!wanted && container.state === 'running') await ctx.docker.stop([container.id]);
  return true;
};

/**
 * An instance the user wants running whose container is `created`: a user's start was interrupted
 * before Docker started it (the process was killed), or Docker refused the start. One never tried
 * is started now, as the user asked; a refused one is not tried again here, its failure is judged
 * (returned) as its exit, by the policy. Not charged: this start is the user's, not a restart.
 */
export const startLeftCreated = async (
  ctx: EngineContext,
  ref: Ref,
  containerId: string,
): Promise<ExitObservation | null> => {
  const [container] = await ctx.docker.inspect([containerId]);
  if (!container || container.running || container.status !== 'created') return null; // the next reconcile sees what it is now
  const refused = failedStart(container);
  if (refused) return failedStartExit(refused, ctx.clock.now());
  const wanted = await ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    return (
      found !== null &&
      found.instance.containerId === containerId &&
      found.instance.pending === null &&
      wantsRunning(found.workload, found.instance)
    );
  });
  if (!wanted) return null;
  const [failure] = await startReportingFailures(ctx, [containerId]);
  const startedAt = ctx.clock.now();
  const stillWanted = await ctx.store.update((tx) => {
    const found = findInstance(tx.state.workloads, ref);
    if (found?.instance.containerId !== containerId) return false;
    found.instance.lastStartedAt = startedAt;
    return wantsRunning(found.workload, found.instance);
  });
  if (failure) return failedStartExit(failure, startedAt);
  if (!stillWanted) await ctx.docker.stop([containerId]); // a user's stop came in meanwhile: theirs wins
  return null;
};

/**
 * A running container of an instance the user wants stopped, with no operation on it: a user's stop
 * was interrupted before `docker stop`. Looked at again right before stopping, so a start the user
 * asked since the plan (the dead holder's lock went stale) wins. Its exit is judged as the user's stop.
 */
export const stopLeftRunning = async (ctx: EngineContext, ref: Ref, containerId: string): Promise<void> => {
  const found = findInstance(ctx.store.read().workloads, ref);
  if (found === null || found.instance.containerId !== containerId || wantsRunning(found.workload, found.instance))
    return;
  if (found.workload.operation !== null) return; // a new operation took the workload over: it is its to do
  await ctx.docker.stop([containerId]);
};

/**
 * An instance the user wants running that has no container at all: a user's start, scale or
 * redeploy was interrupted before `docker create`. It gets one, started, as the operation would have.
 */
export const createMissing = async (ctx: EngineContext, ref: Ref): Promise<ExitObservation | null> => {
  const found = findInstance(ctx.store.read().workloads, ref);
  if (
    !found ||
    found.instance.containerId !== null ||
    found.instance.pending !== null ||
    !wantsRunning(found.workload, found.instance)
  )
    return null;
  const ids = await ensureContainers(ctx, found.workload, [found.instance]);
  const id = ids.get(ref.index)!;
  const wanted = await ctx.store.update((tx) => {
    const now = findInstance(tx.state.workloads, ref);
    if (!now || now.instance.containerId !== null) return false;
    now.instance.containerId = id;
    now.instance.judgedExitKey = null;
    now.instance.lastStartedAt = ctx.clock.now();
    return wantsRunning(now.workload, now.instance);
  });
  // Not started when another process gave the instance a container meanwhile (this one is nobody's:
  // the next reconcile removes it) or the user no longer wants it running.
  if (!wanted) return null;
  const [failure] = await startReportingFailures(ctx, [id]);
  return failure ? failedStartExit(failure, ctx.clock.now()) : null;
};
