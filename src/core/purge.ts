/**
 * Terminated workloads are kept a while, for `ps -a`, `inspect` and `events`, then forgotten, so
 * the state file (read and written by every command and every restart) stays bounded however long
 * svc has run.
 */
import type { StateDocument, Workload } from './workload.js';

export const TERMINATED_KEPT_MS = 24 * 60 * 60 * 1000;
export const TERMINATED_KEPT_COUNT = 50;

/** Terminated and done: a terminate still removing containers (no destroyedAt, or its operation open) is never purged. */
const finishedTermination = (w: Workload): w is Workload & { destroyedAt: number } =>
  w.intent === 'terminated' && w.destroyedAt !== null && w.operation === null;

/** The state without terminated workloads older than a day, keeping at most the 50 most recently destroyed. */
export const purgeTerminated = (state: StateDocument, now: number): StateDocument => {
  const finished = Object.values(state.workloads)
    .filter(finishedTermination)
    .sort((a, b) => b.destroyedAt - a.destroyedAt);
  const kept = new Set(
    finished.filter((w) => now - w.destroyedAt <= TERMINATED_KEPT_MS).slice(0, TERMINATED_KEPT_COUNT),
  );
  const dropped = new Set<Workload>(finished.filter((w) => !kept.has(w)));
  if (dropped.size === 0) return state;
  return {
    ...state,
    workloads: Object.fromEntries(Object.entries(state.workloads).filter(([, w]) => !dropped.has(w))),
  };
};
