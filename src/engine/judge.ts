/**
 * Judging one exit: the decision and the action it calls for are written down (under the lock)
 * before anything is done, so a supervisor killed at any point neither loses nor repeats an action.
 */
import type { EngineContext } from './ports/context.js';
import type { Transaction } from './ports/store.js';
import type { ContainerDetails } from './ports/runtime.js';
import { decideAfterExit, historyAfter } from '../core/decide.js';
import type { WorkloadEvent } from '../core/events.js';
import { exitKey, type InstanceRecord, type PendingAction, type Workload } from '../core/workload.js';

/** One exit, as a die event or `docker inspect` tells it. */
export interface ExitObservation {
  containerId: string;
  exitCode: number;
  oomKilled: boolean;
  /** When the container stopped (ms), by the daemon's clock. */
  finishedAt: number;
  /** Put before the decision's reason, e.g. that the container was removed outside svc. */
  note?: string;
  /**
   * Docker could not start the container (engine/start-failures.ts): an exit svc saw itself, at
   * `finishedAt` by svc's clock, never replayed by an event stream.
   */
  failedStart?: true;
}

/** What the supervisor knows about the Docker daemon's restarts when it judges an exit. */
export interface DaemonHistory {
  /** When the running dockerd started (null: not known, e.g. a remote engine). */
  startedAt: number | null;
  /** When the supervisor last lost the daemon, and when it came back. */
  lostAt: number | null;
  regainedAt: number | null;
}

/**
 * dockerd stops its containers (up to its 15 s shutdown timeout) before it closes the API, so
 * without a start time to go by, exits this long before the loss still count as the daemon's.
 */
const DAEMON_SHUTDOWN_GRACE_MS = 20_000;

export const exitWasDaemonRestart = (finishedAtMs: number, daemon: DaemonHistory): boolean => {
  if (daemon.startedAt !== null && finishedAtMs < daemon.startedAt) return true;
  return (
    daemon.lostAt !== null &&
    daemon.regainedAt !== null &&
    finishedAtMs >= daemon.lostAt - DAEMON_SHUTDOWN_GRACE_MS &&
    finishedAtMs <= daemon.regainedAt
  );
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

/**
 * A container cannot exit again before it is started again, which happens only after its last exit
 * was judged: so an exit that finished before the last judgement of the same container is that one.
 */
const alreadyJudged = (instance: InstanceRecord, exit: ExitObservation): boolean =>
  instance.judgedExitKey === exitKey(exit.containerId, String(exit.finishedAt)) ||
  (!exit.failedStart &&
    instance.judgedExitKey?.startsWith(`${exit.containerId}@`) === true &&
    exit.finishedAt <= (instance.judgedAt ?? 0));

export const supervisorEvent = (
  workload: Workload,
  instance: InstanceRecord,
  exit: Pick<ExitObservation, 'containerId' | 'exitCode' | 'oomKilled'>,
  action: WorkloadEvent['action'],
  reason: string,
  time: number,
): WorkloadEvent => ({
  time,
  workloadId: workload.id,
  workloadName: workload.name,
  instance: instance.index,
  containerId: exit.containerId,
  exitCode: exit.exitCode,
  oomKilled: exit.oomKilled,
  action,
  reason,
  source: 'supervisor',
});

/** The action an exit called for, now pending: the few facts the loop needs (a copy of the whole workload would be made for each of a burst's exits). */
export interface JudgedExit {
  workloadId: string;
  workloadName: string;
  index: number;
  pending: PendingAction;
}

/** Returns the action when the exit calls for one (now pending), else null. */
export const judgeExit = (
  ctx: EngineContext,
  exit: ExitObservation,
  daemon: DaemonHistory,
): Promise<JudgedExit | null> => ctx.store.update((tx) => judgeExitIn(tx, exit, daemon, ctx.clock.now()));

/** judgeExit inside a transaction already open (a user's start records the starts Docker refused with its result). */
export const judgeExitIn = (
  tx: Transaction,
  exit: ExitObservation,
  daemon: DaemonHistory,
  now: number,
): JudgedExit | null => {
  const found = findByContainer(tx.state.workloads, exit.containerId);
  if (!found) return null;
  const { workload, instance } = found;
  if (alreadyJudged(instance, exit)) return null;

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
  const reason = exit.note ? `${exit.note}; ${decision.reason}` : decision.reason;
  const key = exitKey(exit.containerId, String(exit.finishedAt));
  instance.judgedExitKey = key;
  instance.judgedAt = now;
  instance.pending = null;
  if (decision.action === 'restart' || decision.action === 'replace' || decision.action === 'destroy') {
    const delayMs = 'delayMs' in decision ? decision.delayMs : 0;
    instance.pending = {
      action: decision.action,
      exitKey: key,
      exitCode: exit.exitCode,
      oomKilled: exit.oomKilled,
      finishedAt: exit.finishedAt,
      decidedAt: now,
      delayMs,
      dueAt: now + delayMs,
      reason,
    };
    instance.stoppedReason = null;
  } else {
    Object.assign(instance, historyAfter(workload.policy, instance, decision, now));
    instance.stoppedReason = reason;
  }
  // An exit the user's stop caused is recorded as an exit, with its code: Fly's event log shows it
  // (requested_stop=true), and it says how the process took the stop.
  const action = requestedByUser && decision.action === 'leave-stopped' ? 'exit' : decision.action;
  tx.emit(supervisorEvent(workload, instance, exit, action, reason, now));
  return instance.pending
    ? { workloadId: workload.id, workloadName: workload.name, index: instance.index, pending: instance.pending }
    : null;
};

/** A start Docker refused, as the exit it is judged as: now, by svc's clock, with Docker's reason. */
export const failedStartExit = (
  failure: { containerId: string; exitCode: number; reason: string },
  now: number,
): ExitObservation => ({
  containerId: failure.containerId,
  exitCode: failure.exitCode,
  oomKilled: false,
  finishedAt: now,
  note: `could not start: ${failure.reason}`,
  failedStart: true,
});

/**
 * Whether a pending action is still to be done: the container has not been started since the
 * decision (it would be running, or stopped again later, once the action had been carried out).
 */
export const notStartedSince = (container: ContainerDetails | undefined, decidedAt: number): boolean =>
  container !== undefined && !container.running && Date.parse(container.startedAt) < decidedAt;
