/**
 * Whether the swarm has stopped restarting a slot, judged from its task history and the workload's
 * restart policy: restart-policy logic, as decide.ts is for the local supervisor. Pure: the tasks
 * and the time are passed in.
 */
import type { RestartPolicy } from './policy.js';

/** What the judgement reads of a task (engine/ports/swarm-client.ts's SwarmTask has these). */
export interface TaskRun {
  /** new, pending, ..., running, complete, shutdown, failed, rejected, orphaned, remove */
  state: string;
  desiredState: string;
  exitCode: number | null;
  /** When the task reached its current state (ms). */
  time: number;
}

/** The swarm means the task to run: `ready` is a restarted task waiting out the restart delay. */
export const meantToRun = (task: TaskRun) => task.desiredState === 'running' || task.desiredState === 'ready';

/** Ended on its own (an exit, a failure), not stopped by the swarm for a user's change. */
export const endedByItself = (task: TaskRun) => ['complete', 'failed', 'rejected'].includes(task.state);

/**
 * The swarm gives a slot a new task a moment after its task ended (the restart delay, and the
 * orchestrator's own pace); until then the slot looks given up. The policy tells for sure when no
 * new task comes (no restart at all, a clean exit under on-failure, the attempts counted in the
 * window); else the swarm is taken to have given up once no new task came for this long.
 */
export const REPLACEMENT_GRACE_MS = 3_000;

/** Why a slot's last task stays its last: the policy does not restart it (leave-stopped), or the swarm gave up. */
export interface SlotEnd {
  action: 'leave-stopped' | 'give-up';
  reason: string;
}

/** Whether the slot's last task is its last, and why: the swarm will not start another. */
export const slotEnd = (
  workload: { policy: RestartPolicy },
  history: readonly TaskRun[],
  now: number,
): SlotEnd | null => {
  const task = history.at(-1);
  if (task === undefined || !endedByItself(task) || meantToRun(task)) return null;
  // A slot the swarm is removing (scaled down) is meant to get no new task: that is no give-up (as slotsShown).
  if (task.desiredState === 'remove') return null;
  const { policy } = workload;
  if (policy.mode === 'never')
    return { action: 'leave-stopped', reason: 'restart policy never: the swarm starts no new task' };
  if (policy.budget?.max === 0)
    return {
      action: 'leave-stopped',
      reason: `restart policy ${policy.mode} with no retries: the swarm starts no new task`,
    };
  if (policy.mode === 'on-failure' && task.exitCode === 0)
    return { action: 'leave-stopped', reason: 'exit code 0: restart policy on-failure restarts only a failure' };
  if (policy.budget) {
    const { max, windowMs } = policy.budget;
    const ended = history.filter((t) => endedByItself(t) && t.time > task.time - windowMs).length;
    if (ended > max)
      return {
        action: 'give-up',
        reason: `the swarm's restart policy gave up (${max} attempts in ${windowMs / 1000} s)`,
      };
  }
  if (now - task.time > REPLACEMENT_GRACE_MS)
    return { action: 'give-up', reason: `the swarm started no new task within ${REPLACEMENT_GRACE_MS / 1000} s` };
  return null;
};
