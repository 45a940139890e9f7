/**
 * svc's settings, read once from the environment into a typed object when a context is built
 * (main-context.ts). Nothing else reads `SVC_*`: a misspelt or bad value fails here, by name.
 */
import os from 'node:os';
import path from 'node:path';
import { MIN_LOCK_STALE_MS } from './core/limits.js';
import { usageError } from './errors.js';
import { BACKENDS, type BackendName } from './core/workload.js';
import { DEFAULT_DOCKER_DEADLINES, type DockerDeadlines } from './adapters/docker-deadlines.js';

/** About 20 MB a week came from 20 crash-looping services: 5 MiB and one old copy bound it to 10. */
export const SUPERVISOR_LOG_MAX_BYTES = 5 * 1024 * 1024;

export interface Settings {
  /** SVC_HOME, else the user's config dir; absolute, so it names the same dir after the supervisor chdirs into it. */
  stateDir: string;
  /** SVC_LOCK_STALE_MS (for tests): when other processes may take the state lock as abandoned; undefined = the store's default. */
  lockStaleMs: number | undefined;
  /** False with SVC_NO_AUTOSTART (tests, and hosts where systemd runs `svc daemon run`). */
  autostartSupervisor: boolean;
  /** SVC_SUPERVISOR_LOG_MAX_BYTES: supervisor.log is rotated past this size. */
  supervisorLogMaxBytes: number;
  /** SVC_RECONCILE_MS: how often the supervisor compares the state with Docker. */
  reconcileEveryMs: number;
  /** SVC_BACKEND: where new workloads run unless --backend says otherwise (default local). */
  backend: BackendName;
  /** SVC_SUPERVISOR_TRACE: a file the supervisor appends each restart's timings to (the benchmark's). */
  supervisorTraceFile: string | null;
  /** SVC_DOCKER_TIMEOUT_MS (reads) and SVC_DOCKER_CHANGE_TIMEOUT_MS: how long a docker call may take before it is ended. */
  dockerDeadlines: DockerDeadlines;
}

export const DEFAULT_RECONCILE_MS = 30_000;

/** Where state lives when SVC_HOME is not set: the user's config dir. */
export const defaultStateDir = (env: NodeJS.ProcessEnv, homedir: string): string =>
  path.join(env.XDG_CONFIG_HOME || path.join(homedir, '.config'), 'svc');

const wholeNumber = (
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  fallback: number | undefined,
): number | undefined => {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw usageError(`${name} must be a whole number, at least ${min}; it is '${text}'`);
  }
  return value;
};

const backendName = (env: NodeJS.ProcessEnv): BackendName => {
  const text = env.SVC_BACKEND;
  if (text === undefined || text === '') return 'local';
  const found = BACKENDS.find((name) => name === text.trim().toLowerCase());
  if (!found) throw usageError(`SVC_BACKEND must be one of ${BACKENDS.join(', ')}; it is '${text}'`);
  return found;
};

export const readSettings = (env: NodeJS.ProcessEnv, homeDir: string = os.homedir()): Settings => ({
  stateDir: path.resolve(env.SVC_HOME || defaultStateDir(env, homeDir)),
  lockStaleMs: wholeNumber(env, 'SVC_LOCK_STALE_MS', MIN_LOCK_STALE_MS, undefined),
  autostartSupervisor: !env.SVC_NO_AUTOSTART,
  supervisorLogMaxBytes: wholeNumber(env, 'SVC_SUPERVISOR_LOG_MAX_BYTES', 1, SUPERVISOR_LOG_MAX_BYTES)!,
  reconcileEveryMs: wholeNumber(env, 'SVC_RECONCILE_MS', 1, DEFAULT_RECONCILE_MS)!,
  backend: backendName(env),
  supervisorTraceFile: env.SVC_SUPERVISOR_TRACE ? path.resolve(env.SVC_SUPERVISOR_TRACE) : null,
  dockerDeadlines: {
    readMs: wholeNumber(env, 'SVC_DOCKER_TIMEOUT_MS', 1, DEFAULT_DOCKER_DEADLINES.readMs)!,
    changeMs: wholeNumber(env, 'SVC_DOCKER_CHANGE_TIMEOUT_MS', 1, DEFAULT_DOCKER_DEADLINES.changeMs)!,
  },
});
