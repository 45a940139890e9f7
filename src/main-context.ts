/** Builds the real context: the only place that reads the environment and the process's streams. */
import os from 'node:os';
import path from 'node:path';
import { createDocker } from './adapters/docker.js';
import { defaultStateDir, openStore } from './adapters/store.js';
import { MIN_LOCK_STALE_MS } from './adapters/state-lock.js';
import { systemClock, type Context } from './context.js';
import { usageError } from './errors.js';

/** SVC_LOCK_STALE_MS (for tests): when other processes may take the state lock as abandoned. */
const lockStaleMsFrom = (env: NodeJS.ProcessEnv): number | undefined => {
  if (!env.SVC_LOCK_STALE_MS) return undefined;
  const ms = Number(env.SVC_LOCK_STALE_MS);
  if (!Number.isInteger(ms) || ms < MIN_LOCK_STALE_MS) {
    throw usageError(`SVC_LOCK_STALE_MS must be a whole number of milliseconds, at least ${MIN_LOCK_STALE_MS}; it is '${env.SVC_LOCK_STALE_MS}'`);
  }
  return ms;
};

export const buildContext = (options: { color?: boolean } = {}): Context => {
  const env = process.env;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const color = options.color !== false && !('NO_COLOR' in env) && stdoutIsTTY && env.TERM !== 'dumb';
  return {
    docker: createDocker(),
    // Absolute, so it names the same dir after the supervisor chdirs into it.
    store: openStore(path.resolve(env.SVC_HOME || defaultStateDir(env, os.homedir())), {
      lockStaleMs: lockStaleMsFrom(env),
      now: systemClock.now,
    }),
    clock: systemClock,
    io: {
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      stdinIsTTY: Boolean(process.stdin.isTTY),
      stdoutIsTTY,
      stderrIsTTY: Boolean(process.stderr.isTTY),
    },
    env,
    color,
    // The script this process was started as (bin/svc, or the npm link to it): the supervisor is started the same way.
    svcBinary: path.resolve(process.argv[1]),
  };
};
