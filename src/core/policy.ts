/** The canonical restart policy (SPEC §2). Dialects translate their words to and from this. */
export type RestartMode = 'never' | 'on-failure' | 'always';
export type DestroyMode = 'off' | 'on-success' | 'always';

/** At most `max` automatic actions inside a sliding window of `windowMs`. */
export interface Budget {
  max: number;
  windowMs: number;
}

export interface ReplacePolicy {
  mode: RestartMode;
  budget: Budget;
}

export interface RestartPolicy {
  mode: RestartMode;
  /** null: unlimited restarts (with back-off). */
  budget: Budget | null;
  /** Tutum crash recovery: replace the container once the restart budget is spent. */
  replace: ReplacePolicy | null;
  destroy: DestroyMode;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

/** Back-off: first restart immediately, then 100 ms doubling, capped at 60 s. */
export const BACKOFF_FIRST_DELAY_MS = 100;
export const BACKOFF_CAP_MS = 60 * SECOND;
/** An instance that ran this long without exiting starts the back-off sequence over. */
export const BACKOFF_RESET_AFTER_MS = 10 * SECOND;

/** Tutum crash recovery limits (seed 002). */
export const TUTUM_RESTART_BUDGET: Budget = { max: 3, windowMs: 1 * MINUTE };
export const TUTUM_REPLACE_BUDGET: Budget = { max: 3, windowMs: 5 * MINUTE };

/** Fly on-failure: up to 10 retries (seed 003) in a 5-minute window. */
export const FLY_DEFAULT_MAX_RETRIES = 10;
export const FLY_RETRY_WINDOW_MS = 5 * MINUTE;

/** The rule both platforms state: a restarting container must not also be destroyed. */
export const conflictsAlwaysWithDestroy = (policy: Pick<RestartPolicy, 'mode' | 'destroy'>): boolean =>
  policy.mode === 'always' && policy.destroy !== 'off';

/** Whether an exit counts as the condition a mode reacts to. OOM kills count as failures. */
export const exitMatchesMode = (mode: RestartMode, exitCode: number, oomKilled: boolean): boolean => {
  if (mode === 'always') return true;
  if (mode === 'on-failure') return exitCode !== 0 || oomKilled;
  return false;
};
