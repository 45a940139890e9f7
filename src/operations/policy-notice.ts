/**
 * What a user should hear after a policy change beyond "stored, applied at once": a swarm keeps the
 * restart policy in a service's task template, so it applies a change by replacing the tasks.
 */
import type { Workload } from '../core/workload.js';

export const policyChangeNotice = (workload: Workload): string | null =>
  workload.backend === 'swarm'
    ? `${workload.name} runs on a swarm: the swarm applies the new restart policy by replacing its tasks now, one at a time (its update config)`
    : null;
