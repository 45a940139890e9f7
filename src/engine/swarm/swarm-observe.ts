/**
 * A swarm workload as svc shows it, from its service's tasks: each slot is an instance, its newest
 * task the instance's container, the tasks before it in the slot its restarts (the swarm restarts a
 * slot by starting a new task, on whichever node it picks). The swarm keeps a few tasks a slot (its
 * task history limit, 5 by default): restart counts reach back that far. Pure.
 */
import { containerState, serviceState, type ContainerState } from '../../core/states.js';
import type { WorkloadEvent } from '../../core/events.js';
import { newInstance, type Workload } from '../../core/workload.js';
import { endedByItself, meantToRun, slotEnd } from '../../core/swarmSlotEnd.js';
import type { ObservedInstance, ObservedWorkload } from '../observe.js';
import type { ContainerSummary } from '../ports/runtime.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../ports/swarm-client.js';

/** Task states in Docker's container words, for the states the container view already knows. */
const DOCKER_STATE: Record<string, string> = {
  new: 'created',
  pending: 'created',
  assigned: 'created',
  accepted: 'created',
  preparing: 'created',
  ready: 'created',
  starting: 'created',
  running: 'running',
  complete: 'exited',
  failed: 'exited',
  shutdown: 'exited',
  rejected: 'exited',
  orphaned: 'exited',
  remove: 'removing',
};

/** Node names as people read them; two nodes on one host share a hostname, so their ids then tell them apart. */
export const nodeNames = (nodes: readonly SwarmNode[]): Map<string, string> => {
  const count = new Map<string, number>();
  for (const node of nodes) count.set(node.hostname, (count.get(node.hostname) ?? 0) + 1);
  return new Map(
    nodes.map((node) => [
      node.id,
      count.get(node.hostname)! > 1 ? `${node.hostname} (${node.id.slice(0, 12)})` : node.hostname,
    ]),
  );
};

const bySlot = (tasks: readonly SwarmTask[]) => {
  const slots = new Map<number, SwarmTask[]>();
  for (const task of [...tasks].sort((a, b) => a.createdAt - b.createdAt))
    slots.set(task.slot, [...(slots.get(task.slot) ?? []), task]);
  return slots;
};

/** The swarm runs the slot's newest task, or will replace it (it ended by itself). */
const slotLive = (history: readonly SwarmTask[]) => meantToRun(history.at(-1)!) || endedByItself(history.at(-1)!);

/**
 * The slots to show, `count` of them: those the swarm keeps (its newest task not being removed),
 * live ones first in order, then the lowest free numbers for tasks not made yet. Scaling down, the
 * swarm removes whichever slots it likes: after 2 -> 1 the one left may be slot 2. Once it has
 * deleted a removed slot's task, the slot can still hold older tasks that the swarm shut down (a
 * rolling update's), which look like a slot not removed: those come after the live ones, the
 * latest shut down first, so a slot mid-update is shown before one long gone.
 */
const slotsShown = (slots: ReadonlyMap<number, readonly SwarmTask[]>, count: number): number[] => {
  const newest = (history: readonly SwarmTask[]) => history.at(-1)!.createdAt;
  const kept = [...slots]
    .filter(([, history]) => history.at(-1)!.desiredState !== 'remove')
    .sort(
      ([slotA, a], [slotB, b]) =>
        Number(slotLive(b)) - Number(slotLive(a)) || (slotLive(a) ? slotA - slotB : newest(b) - newest(a)),
    )
    .map(([slot]) => slot)
    .slice(0, count);
  for (let slot = 1; kept.length < count; slot++) if (!kept.includes(slot)) kept.push(slot);
  return kept.sort((a, b) => a - b);
};

export const observeSwarmWorkload = (
  workload: Workload,
  service: SwarmService,
  tasks: readonly SwarmTask[],
  nodes: ReadonlyMap<string, string>,
  now: number,
): ObservedWorkload => {
  const slots = bySlot(tasks.filter((t) => t.serviceId === service.id));
  // Running: the slots the swarm keeps; stopped (no replicas): the slots it would start again.
  const shown = workload.intent === 'running' ? service.replicas : workload.targetInstances;
  const instances: ObservedInstance[] = [];
  for (const slot of slotsShown(slots, shown)) {
    const history = slots.get(slot) ?? [];
    const task = history.at(-1);
    const record = newInstance(slot, `${service.name}.${slot}`);
    // A task the swarm is shutting down (its node drained, a rolling update) is stopping, unless it ended by itself and is being replaced.
    const wanted = task === undefined || meantToRun(task) || endedByItself(task);
    record.intent = workload.intent === 'running' && service.replicas > 0 && wanted ? 'running' : 'stopped';
    record.containerId = task?.containerId ?? null;
    record.restartCount = history.filter((t, i) => i < history.length - 1 && endedByItself(t)).length;
    const end = record.intent === 'running' ? slotEnd(workload, history, now) : null;
    const spent = end !== null;
    record.stoppedReason = end && task ? `${task.error || `exit code ${task.exitCode}`}; ${end.reason}` : null;
    record.lastStartedAt = task?.state === 'running' ? task.time : null;
    const container: ContainerSummary | null = task
      ? {
          id: task.containerId ?? task.id,
          name: record.containerName,
          image: service.image,
          command: [...service.command, ...service.args].join(' '),
          state: DOCKER_STATE[task.state] ?? 'exited',
          status: task.error ? `${task.state}: ${task.error}` : task.state,
          exitCode: task.exitCode,
          createdAt: new Date(task.createdAt).toISOString(),
          labels: {},
          node: nodes.get(task.nodeId) ?? task.nodeId,
        }
      : null;
    // A slot the swarm has yet to give a task, or whose task it is about to replace (failed, a new one
    // pending), counts as starting, as a restart does locally.
    const awaitingTask = task === undefined || (endedByItself(task) && !spent);
    const state: ContainerState =
      record.intent === 'running' && awaitingTask ? 'Starting' : containerState(record, container?.state ?? null);
    instances.push({ record, container, state });
  }
  return {
    workload: { ...workload, instances: instances.map((i) => i.record) },
    instances,
    state: serviceState(
      workload,
      instances.map((i) => i.state),
      now,
    ),
    restarts: instances.reduce((sum, i) => sum + i.record.restartCount, 0),
  };
};

/**
 * The swarm's task history as svc's events: each task that ended (its exit code), each new task of
 * a slot (a restart; "rescheduled" when on another node), and, when the last one stays down, why.
 */
export const swarmEvents = (
  workload: Workload,
  service: SwarmService,
  tasks: readonly SwarmTask[],
  nodes: ReadonlyMap<string, string>,
  now: number,
): WorkloadEvent[] => {
  const events: WorkloadEvent[] = [];
  const event = (
    task: SwarmTask,
    time: number,
    action: WorkloadEvent['action'],
    reason: string,
    exit = false,
  ): WorkloadEvent => ({
    time,
    workloadId: workload.id,
    workloadName: workload.name,
    instance: task.slot,
    containerId: task.containerId,
    exitCode: exit ? task.exitCode : null,
    // The swarm's task status does not say whether the kernel killed it for memory.
    oomKilled: null,
    action,
    reason,
    source: 'swarm',
  });
  for (const [slot, history] of bySlot(tasks.filter((t) => t.serviceId === service.id))) {
    history.forEach((task, i) => {
      const node = nodes.get(task.nodeId) ?? (task.nodeId || 'no node yet');
      const before = history[i - 1];
      if (before && endedByItself(before)) {
        const moved = before.nodeId !== task.nodeId && before.nodeId !== '' && task.nodeId !== '';
        const reason = moved
          ? `rescheduled by the swarm from ${nodes.get(before.nodeId) ?? before.nodeId} to ${node}`
          : `restarted by the swarm on ${node} (a new task)`;
        events.push(event(task, task.createdAt, 'restart', reason));
      } else if (before && before.nodeId !== task.nodeId && task.nodeId !== '' && workload.intent === 'running') {
        // The task before was stopped by the swarm: a change of the service (a new spec, a redeploy)
        // rolled it, or, with the same spec, its node left (drained, down).
        const from = nodes.get(before.nodeId) ?? before.nodeId;
        const why =
          before.spec !== task.spec ? 'a change of the service rolled its tasks' : 'its node was drained or lost';
        events.push(
          event(task, task.createdAt, 'restart', `rescheduled by the swarm from ${from} to ${node} (${why})`),
        );
      }
      if (endedByItself(task)) {
        events.push(event(task, task.time, 'exit', `task ${slot} on ${node}: ${task.error || task.state}`, true));
        const end = i === history.length - 1 && workload.intent === 'running' ? slotEnd(workload, history, now) : null;
        if (end) events.push(event(task, task.time, end.action, end.reason));
      }
    });
  }
  return events.sort((a, b) => a.time - b.time);
};
