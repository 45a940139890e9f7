/**
 * Upper bounds on user-given numbers. Every way in (CLI, later the API) checks against these, so a
 * typo such as `-t 99999999999999999999` is a usage error, never minutes of work under the lock.
 */

/** Containers of one service, and the target of `service scale`. */
export const MAX_CONTAINERS_PER_SERVICE = 1000;
