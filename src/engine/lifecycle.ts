/**
 * Start, stop and terminate, each a user operation (see operation.ts): the intent is written before
 * Docker is asked, so the supervisor reads every exit these cause as the user's and never fights it.
 */
import type { EngineContext } from './ports/context.js';
import { LABEL_WORKLOAD } from '../core/labels.js';
import { liveInstances, newInstance, containerNameFor, type Workload } from '../core/workload.js';
import { ensureContainers, recordStartingContainers, resetRecovery } from './containers.js';
import { runUserOperation, type OperationSteps } from './operation.js';
import {
  judgeFailedStarts,
  startFailedError,
  startReportingFailures,
  type StartRefusedError,
} from './start-failures.js';
import { userEvent } from './store-helpers.js';

export interface StartOptions {
  /** The workload was recorded silently by launchWorkload: its `create` event is written with the start, once it worked. */
  announceCreate?: boolean;
}

/**
 * A container Docker refuses to start (a missing binary) is judged by the policy as its exit, with
 * the operation's result, and the operation then fails saying so: nothing is left Starting. A
 * launch (announceCreate) fails at once instead, and its caller removes what it made.
 */
export const startWorkload = async (
  ctx: EngineContext,
  workloadId: string,
  options: StartOptions = {},
): Promise<Workload> => {
  const refused: { error?: StartRefusedError } = {};
  const workload = await runUserOperation(ctx, workloadId, {
    kind: 'Starting',
    plan: (w) => {
      w.intent = 'running';
      const live = new Set(liveInstances(w).map((i) => i.index));
      const missing: number[] = [];
      for (let index = 1; index <= w.targetInstances; index++) if (!live.has(index)) missing.push(index);
      const replaced = new Set(missing);
      w.instances = w.instances.filter((i) => !replaced.has(i.index));
      for (const index of missing) w.instances.push(newInstance(index, containerNameFor(w, index)));
      w.instances.sort((a, b) => a.index - b.index);
      for (const instance of liveInstances(w)) {
        instance.intent = 'running';
        resetRecovery(instance);
      }
      return w;
    },
    act: async (workload) => {
      const ids = await ensureContainers(ctx, workload, liveInstances(workload));
      await recordStartingContainers(ctx, workload.id, ids, { fresh: false });
      const failures = await startReportingFailures(ctx, [...ids.values()]);
      if (failures.length > 0 && options.announceCreate)
        throw startFailedError(workload, failures, ids.size, [], { launch: true });
      return { startedAt: ctx.clock.now(), failures, tried: ids.size };
    },
    record: (w, tx, { startedAt, failures, tried }) => {
      w.deployedAt ??= startedAt;
      w.startedAt = startedAt;
      if (options.announceCreate) tx.emit(userEvent(ctx, w, 'create', `created from ${w.spec.image}`));
      tx.emit(userEvent(ctx, w, 'start', 'started by user'));
      // Judged after the start event, by the clock's time now: the log shows the start, then its failures.
      if (failures.length > 0)
        refused.error = startFailedError(w, failures, tried, judgeFailedStarts(tx, failures, ctx.clock.now()));
    },
  });
  if (refused.error) {
    refused.error.workload = workload;
    throw refused.error;
  }
  return workload;
};

export interface StopOptions {
  /** How long the processes get between SIGTERM and SIGKILL; default Docker's 10 s. */
  timeoutSeconds?: number;
}

const stopSteps = (
  ctx: EngineContext,
  options: StopOptions,
  beforeDocker: () => Promise<void> = async () => {},
): OperationSteps<string[], void> => ({
  kind: 'Stopping',
  // The user's event is written with the intent, before Docker is asked: the exits the stop causes
  // come after it in the log, as Fly's shows an exit with requested_stop after the stop.
  plan: (w, tx) => {
    w.intent = w.intent === 'not-started' ? 'not-started' : 'stopped';
    for (const instance of liveInstances(w)) {
      instance.intent = 'stopped';
      instance.pending = null;
    }
    tx.emit(userEvent(ctx, w, 'stop', 'stopped by user'));
    return containerIds(w);
  },
  act: async (ids) => {
    await beforeDocker();
    await ctx.docker.stop(ids, options.timeoutSeconds);
  },
  record: (w) => {
    w.stoppedAt = ctx.clock.now();
  },
});

export const stopWorkload = (ctx: EngineContext, workloadId: string, options: StopOptions = {}): Promise<Workload> =>
  runUserOperation(ctx, workloadId, stopSteps(ctx, options));

/**
 * Stops several workloads at once: every intent is written before the first `docker stop`, so none
 * of them restarts while another is being stopped, then Docker stops them all in parallel (each
 * may take its 10 s grace period; twenty services took 79 s one after another).
 */
export const stopWorkloadsTogether = (
  ctx: EngineContext,
  workloadIds: readonly string[],
  options: StopOptions = {},
): ((workloadId: string) => Promise<Workload>) => {
  let waiting = workloadIds.length;
  let allRecorded!: () => void;
  const recorded = new Promise<void>((resolve) => (allRecorded = resolve));
  const arrive = () => --waiting <= 0 && allRecorded();
  return async (workloadId) => {
    let arrived = false;
    const arriveOnce = () => {
      if (!arrived) arrive();
      arrived = true;
    };
    try {
      return await runUserOperation(
        ctx,
        workloadId,
        stopSteps(ctx, options, async () => {
          arriveOnce();
          await recorded;
        }),
      );
    } finally {
      arriveOnce(); // an operation that failed before Docker must not hold the others back
    }
  };
};

export const terminateWorkload = (ctx: EngineContext, workloadId: string): Promise<Workload> =>
  runUserOperation(ctx, workloadId, {
    kind: 'Terminating',
    plan: (w, tx) => {
      w.intent = 'terminated';
      for (const instance of w.instances) {
        instance.intent = 'removed';
        instance.pending = null;
      }
      tx.emit(userEvent(ctx, w, 'terminate', 'terminated by user'));
      return w;
    },
    act: (workload) => removeWorkloadContainers(ctx, workload),
    record: (w) => {
      w.destroyedAt ??= ctx.clock.now();
      dropSecrets(w);
    },
  });

/** A terminated workload is kept only as a record: its environment (which may hold secrets) goes. */
export const dropSecrets = (workload: Workload): void => {
  workload.spec.env = [];
};

/** Every container labelled with this workload, including any the state file lost track of. */
export const removeWorkloadContainers = async (ctx: EngineContext, workload: Workload) => {
  const labelled = (await ctx.docker.listManaged()).filter((c) => c.labels[LABEL_WORKLOAD] === workload.id);
  await ctx.docker.remove([...new Set([...containerIds(workload), ...labelled.map((c) => c.id)])]);
};

export const containerIds = (workload: Workload): string[] =>
  workload.instances.flatMap((instance) => (instance.containerId ? [instance.containerId] : []));
