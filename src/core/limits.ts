/**
 * Bounds on user-given numbers. Every way in (the CLI, the APIs, fly.toml) checks against these, so a
 * typo such as `-t 99999999999999999999` is a usage error, never minutes of work under the lock.
 */

/** Containers of one service, and the target of `service scale`. */
export const MAX_CONTAINERS_PER_SERVICE = 1000;

/** Far above any host's memory, yet `MB * 2^20` stays a safe integer: 16 TiB. */
export const MAX_MEMORY_MB = 16 * 1024 * 1024;
/** Docker's own lower bound for a memory limit. */
export const MIN_MEMORY_MB = 6;

/** on-failure's retry budget. Fly accepts any number; a budget beyond this is no budget at all, and a typo. */
export const MAX_RETRIES_LIMIT = 1000;

/** The Machines API's max_retries and fly.toml's retries alike. */
export const isRetryBudget = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_RETRIES_LIMIT;

/**
 * SVC_LOCK_STALE_MS: proper-lockfile raises any stale time below this to it. Here, not beside the
 * lock (adapters/state-lock.ts), so that reading the settings does not load the lock's library.
 */
export const MIN_LOCK_STALE_MS = 2_000;

/**
 * A command's words and entrypoint, in characters: they reach docker's argv, where one argument past
 * the kernel's 128 KiB makes docker unrunnable (E2BIG, which is no fault of Docker's). At most 4
 * UTF-8 bytes each, this many stay below that, and far above any real command line.
 */
export const MAX_COMMAND_LENGTH = 32_000;

/** The characters a command puts on docker's argv, against MAX_COMMAND_LENGTH. */
export const commandLength = (words: readonly string[]): number => words.reduce((sum, word) => sum + word.length, 0);

/**
 * Every name svc takes (service, machine, app, process group): a DNS label's 63 characters, which
 * Docker takes as a container name and a swarm as a service name, and Fly as an app name. Longer
 * names cost every listing their width and, past the kernel's argument limit, make docker
 * unrunnable (E2BIG).
 */
export const MAX_NAME_LENGTH = 63;
