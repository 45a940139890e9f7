/**
 * Judging one exit: the decision and the action it calls for are written down (under the lock)
 * before anything is done, so a supervisor killed at any point neither loses nor repeats an action.
 */
import type { Context } from '../context.js';
import type { ContainerDetails } from '../adapters/docker.js';
import { decideAfterExit, historyAfter, type Decision } from '../core/decide.js';
import type { EventAction } from '../core/events.js';
import { exitKey, type InstanceRecord, type PendingAction, type Workload } from '../core/workload.js';

/** One exit, as a die event or `docker inspect` tells it. */
export interface ExitObservation {
  containerId: string;
  exitCode: number;
  oomKilled: boolean;
  /** When the container stopped (ms), by the daemon's clock. */
  finishedAt: number;
}

/**
 * A container cannot exit again before it is started again, which happens only after its last exit
 * was judged: so an exit that finished before the last judgement of the same container is that one.
 */
const alreadyJudged = (instance: InstanceRecord, exit: ExitObservation): boolean =>
  instance.judgedExitKey === exitKey(exit.containerId, String(exit.finishedAt)) ||
  (instance.judgedExitKey?.startsWith(`${exit.containerId}@`) === true && exit.finishedAt <= (instance.judgedAt ?? 0));

/** What the supervisor knows about the Docker daemon's restarts when it judges an exit. */
export interface DaemonHistory {
  /** When the running dockerd started (null: not known). */
  startedAt: number | null;
  /** When the supervisor last lost the daemon, and when it came back: exits in between are the daemon's. */
  lostAt: number | null;
  regainedAt: number | null;
}

export const exitWasDaemonRestart = (finishedAtMs: number, daemon: DaemonHistory): boolean => {
  if (daemon.startedAt !== null && finishedAtMs < daemon.startedAt) return true;
  return daemon.lostAt !== null && daemon.regainedAt !== null && finishedAtMs >= daemon.lostAt && finishedAtMs <= daemon.regainedAt;
};

export interface InstanceRef {
  workload: Workload;
  instance: InstanceRecord;
}

export const findByContainer = (workloads: Record<string, Workload>, containerId: string): InstanceRef | null => {
  for (const workload of Object.values(workloads)) {
    const instance = workload.instances.find((i) => i.containerId === containerId);
    if (instance) return { workload, instance };
  }
  return null;
};

const eventActionFor = (decision: Decision): EventAction => decision.action;

/**
 * Returns the pending action to carry out for this exit (a fresh one, or the one a previous
 * supervisor recorded and may not have finished), or null when there is nothing to do.
 */
export const judgeExit = (ctx: Context, exit: ExitObservation, daemon: DaemonHistory): Promise<InstanceRef | null> =>
  ctx.store.update((tx) => {
    const found = findByContainer(tx.state.workloads, exit.containerId);
    if (!found) return null;
    const { workload, instance } = found;
    if (alreadyJudged(instance, exit)) return null;
    const key = exitKey(exit.containerId, String(exit.finishedAt));

    const now = ctx.clock.now();
    const requestedByUser = instance.intent !== 'running' || workload.intent !== 'running';
    const decision = decideAfterExit(
      workload.policy,
      instance,
      {
        exitCode: exit.exitCode,
        oomKilled: exit.oomKilled,
        requestedByUser,
        daemonRestarted: exitWasDaemonRestart(exit.finishedAt, daemon),
      },
      now,
    );
    Object.assign(instance, historyAfter(workload.policy, instance, decision, now));
    instance.judgedExitKey = key;
    instance.judgedAt = now;
    instance.pending = null;
    if (decision.action === 'restart' || decision.action === 'replace') instance.restartCount += 1;
    if (decision.action === 'restart' || decision.action === 'replace' || decision.action === 'destroy') {
      const pending: PendingAction = {
        action: decision.action,
        exitKey: key,
        dueAt: now + ('delayMs' in decision ? decision.delayMs : 0),
        reason: decision.reason,
      };
      instance.pending = pending;
      instance.stoppedReason = null;
    } else {
      instance.stoppedReason = decision.reason;
    }
    // A stop the user asked for already has the user's own event; repeating it would be noise.
    if (!(requestedByUser && decision.action === 'leave-stopped')) {
      tx.emit({
        time: now,
        workloadId: workload.id,
        workloadName: workload.name,
        instance: instance.index,
        containerId: exit.containerId,
        exitCode: exit.exitCode,
        oomKilled: exit.oomKilled,
        action: eventActionFor(decision),
        reason: decision.reason,
        source: 'supervisor',
      });
    }
    return instance.pending ? found : null;
  });

/**
 * Whether the container still shows the exit a pending action answers, so the action has not been
 * done yet (it is running, or stopped again later, once it has).
 */
export const stillShowsExit = (container: ContainerDetails | undefined, pending: PendingAction): boolean =>
  container !== undefined &&
  !container.running &&
  exitKey(container.id, String(Date.parse(container.finishedAt))) === pending.exitKey;
