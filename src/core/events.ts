/** Every decision is an event (SPEC §2): what happened to which instance, why, and who did it. */
export type EventAction =
  | 'create'
  | 'start'
  | 'stop'
  | 'exit'
  | 'restart'
  | 'replace'
  | 'destroy'
  | 'give-up'
  | 'leave-stopped'
  | 'scale'
  | 'redeploy'
  | 'update'
  | 'signal'
  | 'terminate';

export interface WorkloadEvent {
  time: number;
  workloadId: string;
  workloadName: string;
  /** Instance number (1-based); null for events about the whole workload. */
  instance: number | null;
  containerId: string | null;
  exitCode: number | null;
  oomKilled: boolean | null;
  action: EventAction;
  reason: string;
  /** `swarm`: read from a swarm's task history (a swarm workload's restarts are the swarm's). */
  source: 'user' | 'supervisor' | 'swarm';
}

/** How many events of one instance are kept once the log is compacted. */
export const EVENTS_KEPT_PER_INSTANCE = 50;

/** Keeps the newest `keep` events of every (workload, instance), in time order. */
export const compactEvents = (events: readonly WorkloadEvent[], keep = EVENTS_KEPT_PER_INSTANCE): WorkloadEvent[] => {
  const seen = new Map<string, number>();
  const kept: WorkloadEvent[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const key = `${events[i].workloadId}#${events[i].instance ?? 0}`;
    const count = seen.get(key) ?? 0;
    if (count < keep) kept.push(events[i]);
    seen.set(key, count + 1);
  }
  return kept.reverse();
};
