/**
 * What a reconcile pass must do, from the state and `docker ps -a` alone. Pure, so every case of
 * "the state and Docker disagree" is a table test.
 */
import type { ContainerSummary } from '../engine/ports/runtime.js';
import { LABEL_INSTANCE, LABEL_WORKLOAD } from '../core/labels.js';
import { liveInstances, wantsRunning, type InstanceRecord, type Workload } from '../core/workload.js';

export interface InstanceKey {
  workloadId: string;
  index: number;
}

export interface ReconcilePlan {
  /** Pending actions written by an earlier supervisor process, or interrupted. */
  resume: (InstanceKey & { dueAt: number })[];
  /** Stopped containers whose exit has not been judged yet. */
  judge: (InstanceKey & { containerId: string })[];
  /** Instances that should run but whose container is gone, its exit never judged (`docker rm -f`). */
  vanished: (InstanceKey & { containerId: string })[];
  /** Labelled containers the state lost track of, taken back by the instance they were made for. */
  adopt: (InstanceKey & { container: ContainerSummary })[];
  /** Labelled containers no instance wants: a scaled-down, terminated or duplicate instance's. */
  remove: ContainerSummary[];
  /**
   * Containers left `created` of instances that should run: a start interrupted before Docker was
   * asked (started now), or one Docker refused (a missing binary; judged as an exit).
   */
  unstarted: (InstanceKey & { containerId: string })[];
  /**
   * Instances that should run and have no container, with no operation on their workload: it was
   * never created (an operation killed before `docker create`, or a create that failed). Planned on
   * every pass until made, so a take-over whose create failed is tried again.
   */
  missing: InstanceKey[];
  /** Running containers the user wants stopped, with no operation on their workload: a stop was interrupted. */
  stop: (InstanceKey & { containerId: string })[];
}

export interface Busy {
  /** A user operation holds the workload: its containers may be half made; leave it alone. */
  workload(workloadId: string): boolean;
  /** The supervisor itself is acting on this instance (a restart or replace in flight). */
  instance(workloadId: string, index: number): boolean;
}

/** Judged already, and nobody started it since: its current stop is the one that was judged. */
const judgedThisRun = (instance: InstanceRecord, containerId: string) =>
  instance.judgedExitKey?.startsWith(`${containerId}@`) === true &&
  (instance.lastStartedAt ?? 0) <= (instance.judgedAt ?? 0);

const STOPPED = new Set(['exited', 'dead']);

export const planReconcile = (
  workloads: Record<string, Workload>,
  containers: readonly ContainerSummary[],
  busy: Busy,
): ReconcilePlan => {
  const plan: ReconcilePlan = {
    resume: [],
    judge: [],
    vanished: [],
    adopt: [],
    remove: [],
    unstarted: [],
    missing: [],
    stop: [],
  };
  const byId = new Map(containers.map((c) => [c.id, c]));
  const tracked = new Set<string>();
  for (const workload of Object.values(workloads)) {
    if (workload.intent === 'terminated') continue;
    for (const instance of liveInstances(workload)) if (instance.containerId) tracked.add(instance.containerId);
  }

  // Containers first: an instance whose container is gone may find it among the untracked ones.
  const adopting = new Set<string>();
  for (const container of containers) {
    if (tracked.has(container.id)) continue;
    const workloadId = container.labels[LABEL_WORKLOAD];
    const workload = workloadId ? workloads[workloadId] : undefined;
    // A workload this state does not know may belong to another state dir on the same engine.
    if (!workload || busy.workload(workload.id)) continue;
    const index = Number(container.labels[LABEL_INSTANCE]);
    const instance =
      workload.intent === 'terminated' ? undefined : liveInstances(workload).find((i) => i.index === index);
    if (!instance) {
      plan.remove.push(container);
      continue;
    }
    if (busy.instance(workload.id, index) || instance.pending) continue;
    const key = `${workload.id}#${index}`;
    const current = instance.containerId ? byId.get(instance.containerId) : undefined;
    if (current || adopting.has(key)) plan.remove.push(container);
    else {
      adopting.add(key);
      plan.adopt.push({ workloadId: workload.id, index, container });
    }
  }

  for (const workload of Object.values(workloads)) {
    if (workload.intent === 'terminated' || busy.workload(workload.id)) continue;
    for (const instance of liveInstances(workload)) {
      const key = { workloadId: workload.id, index: instance.index };
      if (instance.pending) {
        plan.resume.push({ ...key, dueAt: instance.pending.dueAt });
        continue;
      }
      if (busy.instance(workload.id, instance.index) || adopting.has(`${workload.id}#${instance.index}`)) continue;
      if (!instance.containerId) {
        if (wantsRunning(workload, instance)) plan.missing.push(key);
        continue;
      }
      if (judgedThisRun(instance, instance.containerId)) continue;
      const container = byId.get(instance.containerId);
      if (!container) {
        if (wantsRunning(workload, instance)) plan.vanished.push({ ...key, containerId: instance.containerId });
      } else if (STOPPED.has(container.state)) {
        plan.judge.push({ ...key, containerId: container.id });
      } else if (container.state === 'created' && wantsRunning(workload, instance)) {
        plan.unstarted.push({ ...key, containerId: container.id });
      } else if (container.state === 'running' && !wantsRunning(workload, instance)) {
        plan.stop.push({ ...key, containerId: container.id });
      }
    }
  }
  return plan;
};
