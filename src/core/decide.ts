/** What the supervisor does after a managed container exits (SPEC §2). Pure: `now` is an argument, times in ms. */
import {
  BACKOFF_CAP_MS,
  BACKOFF_FIRST_DELAY_MS,
  BACKOFF_RESET_AFTER_MS,
  type Budget,
  exitMatchesMode,
  FLY_RETRY_WINDOW_MS,
  MINUTE,
  type RestartMode,
  type RestartPolicy,
  SECOND,
  TUTUM_REPLACE_BUDGET,
  TUTUM_RESTART_BUDGET,
} from './policy.js';

export interface InstanceHistory {
  /** ms timestamps of automatic restarts of the current container (oldest first). */
  restarts: number[];
  /** ms timestamps of automatic replacements of this instance (oldest first). */
  replaces: number[];
  /** Consecutive automatic restarts since the back-off sequence last started over. */
  backoffStep: number;
  /** When the container was last started (ms). */
  lastStartedAt: number | null;
}

export const EMPTY_HISTORY: InstanceHistory = { restarts: [], replaces: [], backoffStep: 0, lastStartedAt: null };

export interface ExitFacts {
  exitCode: number;
  oomKilled: boolean;
  /** The user asked for this stop (svc service stop, m stop ...). */
  requestedByUser: boolean;
  /** The exit happened because the Docker daemon / host went down. */
  daemonRestarted: boolean;
}

export type Decision =
  | { action: 'restart'; delayMs: number; reason: string }
  | { action: 'replace'; delayMs: number; reason: string }
  | { action: 'destroy'; reason: string }
  | { action: 'give-up'; reason: string }
  | { action: 'leave-stopped'; reason: string };

/** Delay before a restart at back-off step n: 0, 100, 200, 400 ... ms, capped at 60 s. */
export const backoffDelayMs = (step: number): number =>
  step <= 0 ? 0 : Math.min(BACKOFF_FIRST_DELAY_MS * 2 ** (step - 1), BACKOFF_CAP_MS);

/** The step the next restart uses: a container that stayed up 10 s has recovered, so back-off starts over. */
export const effectiveBackoffStep = (history: InstanceHistory, now: number): number =>
  history.lastStartedAt !== null && now - history.lastStartedAt >= BACKOFF_RESET_AFTER_MS ? 0 : history.backoffStep;

/** Timestamps inside the sliding window (now - windowMs, now]. */
export const countInWindow = (stamps: readonly number[], windowMs: number, now: number): number =>
  stamps.filter((t) => t > now - windowMs).length;

const isSpent = (stamps: readonly number[], budget: Budget | null, now: number): boolean =>
  budget !== null && countInWindow(stamps, budget.windowMs, now) >= budget.max;

export const formatDuration = (ms: number): string => {
  if (ms < SECOND) return `${ms} ms`;
  if (ms >= 2 * MINUTE && ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${Number((ms / SECOND).toFixed(1))} s`;
};

const describeBudget = (budget: Budget, noun: string): string =>
  `${budget.max} ${noun}${budget.max === 1 ? '' : 's'} in ${formatDuration(budget.windowMs)}`;

/** "2 of 3 in 60 s": which automatic action inside its budget this one is. */
const budgetProgress = (stamps: readonly number[], budget: Budget, now: number): string =>
  `${countInWindow(stamps, budget.windowMs, now) + 1} of ${budget.max} in ${formatDuration(budget.windowMs)}`;

const describeExit = (exit: ExitFacts): string => {
  const code = exit.oomKilled ? `OOM killed (exit code ${exit.exitCode})` : `exit code ${exit.exitCode}`;
  return exit.daemonRestarted ? `Docker daemon restarted; ${code}` : code;
};

/** Why a mode did not act on this exit (only called when it did not match). */
const whyModeIgnored = (label: string, verb: string, mode: RestartMode): string =>
  mode === 'on-failure' ? `${label} on-failure ${verb} only failures` : `${label} ${mode}`;

export function decideAfterExit(
  policy: RestartPolicy,
  history: InstanceHistory,
  exit: ExitFacts,
  now: number,
): Decision {
  // The user's intent is never fought: a stop they asked for is final.
  if (exit.requestedByUser) {
    return policy.destroy === 'always'
      ? { action: 'destroy', reason: 'stopped by user; destroy policy always' }
      : { action: 'leave-stopped', reason: 'stopped by user' };
  }
  const exitText = describeExit(exit);
  // DC/Tutum: "the daemon only restarts containers that have Autorestart set to ALWAYS".
  const automatic = !exit.daemonRestarted || policy.mode === 'always';
  const restartMatches = automatic && exitMatchesMode(policy.mode, exit.exitCode, exit.oomKilled);
  const restartSpent = restartMatches && isSpent(history.restarts, policy.budget, now);

  if (restartMatches && !restartSpent) {
    const delayMs = backoffDelayMs(effectiveBackoffStep(history, now));
    const parts = [exitText, `restart policy ${policy.mode}`];
    if (policy.budget) parts.push(`restart ${budgetProgress(history.restarts, policy.budget, now)}`);
    if (delayMs > 0) parts.push(`back-off ${formatDuration(delayMs)}`);
    return { action: 'restart', delayMs, reason: parts.join('; ') };
  }

  const replace = policy.replace;
  const replaceMatches = automatic && replace !== null && exitMatchesMode(replace.mode, exit.exitCode, exit.oomKilled);
  const replaceSpent = replaceMatches && isSpent(history.replaces, replace.budget, now);
  const spent: string[] = [];
  if (restartSpent && policy.budget) spent.push(`restart budget spent: ${describeBudget(policy.budget, 'restart')}`);

  if (replaceMatches && !replaceSpent) {
    const replacing = `replacing the container (${budgetProgress(history.replaces, replace.budget, now)})`;
    return { action: 'replace', delayMs: 0, reason: [exitText, ...spent, replacing].join('; ') };
  }
  if (replaceSpent) spent.push(`replace budget spent: ${describeBudget(replace.budget, 'replacement')}`);
  // A spent budget leaves the instance Stopped for the user to look at; destroying it would hide the crash.
  if (spent.length > 0) return { action: 'give-up', reason: [exitText, ...spent].join('; ') };

  // Autodestroy only applies to a container that is not restarted (SPEC §2).
  const notRestarted = [exitText];
  if (!automatic) notRestarted.push(`restart policy ${policy.mode} (only always restarts after a daemon restart)`);
  else notRestarted.push(whyModeIgnored('restart policy', 'restarts', policy.mode));
  if (automatic && replace !== null) notRestarted.push(whyModeIgnored('replace policy', 'replaces', replace.mode));

  const succeeded = exit.exitCode === 0 && !exit.oomKilled;
  if (policy.destroy === 'always' || (policy.destroy === 'on-success' && succeeded)) {
    return { action: 'destroy', reason: [...notRestarted, `destroy policy ${policy.destroy}`].join('; ') };
  }
  return { action: 'leave-stopped', reason: notRestarted.join('; ') };
}

/**
 * With no budget nothing reads old timestamps, but keep the longest window any dialect uses so that a
 * policy change applied to a running instance (`service set`, `m update`) still sees recent restarts.
 */
const UNBUDGETED_KEEP_MS = Math.max(TUTUM_RESTART_BUDGET.windowMs, TUTUM_REPLACE_BUDGET.windowMs, FLY_RETRY_WINDOW_MS);

const prune = (stamps: readonly number[], budget: Budget | null, now: number): number[] =>
  stamps.filter((t) => t > now - (budget?.windowMs ?? UNBUDGETED_KEEP_MS));

/** The history to store once `decision` has been carried out at `now` (prunes timestamps that left their windows). */
export function historyAfter(
  policy: RestartPolicy,
  history: InstanceHistory,
  decision: Decision,
  now: number,
): InstanceHistory {
  const restarts = prune(history.restarts, policy.budget, now);
  const replaces = prune(history.replaces, policy.replace?.budget ?? null, now);
  switch (decision.action) {
    case 'restart':
      // Only step 0 has no delay, so a zero delay means this restart started the sequence over. Reading
      // it from the decision (not from `now`) stays right however long the back-off delay lasted.
      return {
        restarts: [...restarts, now],
        replaces,
        backoffStep: decision.delayMs === 0 ? 1 : history.backoffStep + 1,
        lastStartedAt: now,
      };
    case 'replace':
      // A fresh container: its own restart budget and back-off start from nothing.
      return { restarts: [], replaces: [...replaces, now], backoffStep: 0, lastStartedAt: now };
    default:
      return { ...history, restarts, replaces };
  }
}
