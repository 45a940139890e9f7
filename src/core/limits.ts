/**
 * Bounds on user-given numbers. Every way in (CLI, later the API) checks against these, so a
 * typo such as `-t 99999999999999999999` is a usage error, never minutes of work under the lock.
 */

/** Containers of one service, and the target of `service scale`. */
export const MAX_CONTAINERS_PER_SERVICE = 1000;

/** Far above any host's memory, yet `MB * 2^20` stays a safe integer: 16 TiB. */
export const MAX_MEMORY_MB = 16 * 1024 * 1024;
/** Docker's own lower bound for a memory limit. */
export const MIN_MEMORY_MB = 6;

/**
 * SVC_LOCK_STALE_MS: proper-lockfile raises any stale time below this to it. Here, not beside the
 * lock (adapters/state-lock.ts), so that reading the settings does not load the lock's library.
 */
export const MIN_LOCK_STALE_MS = 2_000;
