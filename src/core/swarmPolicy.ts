/**
 * svc's restart policy as a Docker Swarm restart policy (condition, max attempts, window, delay).
 * What the swarm can keep is mapped; what it keeps differently is said ("enforced as ..."), shown
 * by `inspect` and `m status`; what it cannot keep at all is refused, naming the option and why.
 * Nothing is dropped without a word. Pure.
 */
import { SERVICE_POLICY_FIELDS, servicePolicyToWords } from './dialects/dockercloud.js';
import { BACKOFF_FIRST_DELAY_MS, type RestartPolicy } from './policy.js';
import type { Dialect } from './workload.js';

export type SwarmCondition = 'none' | 'on-failure' | 'any';

export interface SwarmRestartPolicy {
  condition: SwarmCondition;
  /** 0: no limit. */
  maxAttempts: number;
  /** The window the attempts are counted in; 0: for ever. */
  windowMs: number;
  /** The swarm waits this long before each restart. */
  delayMs: number;
}

export type SwarmPolicyPlan =
  { ok: true; swarm: SwarmRestartPolicy; enforcedAs: string[] } | { ok: false; option: string; why: string };

const CONDITION: Record<RestartPolicy['mode'], SwarmCondition> = {
  never: 'none',
  'on-failure': 'on-failure',
  always: 'any',
};

/** A service's field as its option (`--autodestroy ALWAYS`) or its API field (`autoreplace ALWAYS`) says it. */
const serviceField = (policy: RestartPolicy, key: 'autoreplace' | 'autodestroy', as: 'flag' | 'apiField') =>
  `${SERVICE_POLICY_FIELDS[key][as]} ${servicePolicyToWords(policy)[key]}`;

/** The option that asked for a removal, in the dialect's words. */
const DESTROY_OPTION: Record<Dialect, (policy: RestartPolicy) => string> = {
  service: (policy) => serviceField(policy, 'autodestroy', 'flag'),
  machine: () => '--rm (auto_destroy)',
};

const BACKOFF_NOTE = `back-off: a fixed ${BACKOFF_FIRST_DELAY_MS} ms before every restart (the swarm's restart delay is fixed; svc's doubles up to 60 s)`;
const NEVER_MOVED_NOTE =
  'a drained or lost node: the swarm stops its task and starts none elsewhere (restart condition none)';
const NO_RETRIES_NOTE =
  'max_retries 0: no restart at all, so the swarm restarts none (condition none; its max attempts 0 would mean no limit)';
const DAEMON_NOTE =
  "a node's engine restarting: the swarm's orchestrator restarts its tasks by their condition (svc's rule that only ALWAYS comes back does not apply)";

export const swarmRestartPolicy = (policy: RestartPolicy, dialect: Dialect): SwarmPolicyPlan => {
  // Every field of the policy is read below: a field added to RestartPolicy fails to compile here
  // until the swarm's mapping says what becomes of it.
  const { mode, budget, replace, destroy, ...unmapped } = policy;
  const nothingUnmapped: Record<string, never> = unmapped;
  void nothingUnmapped;
  if (destroy !== 'off') {
    return {
      ok: false,
      option: DESTROY_OPTION[dialect](policy),
      why: 'the swarm keeps the tasks of a service and has no rule to remove one when it stops; use the local backend (--backend local) for it',
    };
  }
  const enforcedAs: string[] = [];
  // A budget of no retries restarts nothing; the swarm's 0 attempts is the opposite: no limit.
  const noRetries = mode !== 'never' && budget?.max === 0;
  const swarm: SwarmRestartPolicy = {
    condition: noRetries ? 'none' : CONDITION[mode],
    maxAttempts: 0,
    windowMs: 0,
    delayMs: 0,
  };
  if (noRetries) enforcedAs.push(NO_RETRIES_NOTE);
  if (swarm.condition === 'none') enforcedAs.push(NEVER_MOVED_NOTE);
  else {
    swarm.delayMs = BACKOFF_FIRST_DELAY_MS;
    enforcedAs.push(BACKOFF_NOTE);
    if (budget) {
      swarm.maxAttempts = budget.max;
      swarm.windowMs = budget.windowMs;
    }
  }
  if (replace) {
    enforcedAs.push(
      `${serviceField(policy, 'autoreplace', 'apiField')}: every restart is already a fresh task (the swarm replaces, it never restarts in place), ` +
        `so the restart budget (${budget?.max ?? 0} in ${(budget?.windowMs ?? 0) / 1000} s) is the whole budget: no further replacements follow it`,
    );
  }
  enforcedAs.push(DAEMON_NOTE);
  return { ok: true, swarm, enforcedAs };
};

/** Go's duration text, as `docker service create --restart-window` takes it. */
export const goDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
