/** Builds the real context: the only place that reads the environment and the process's streams. */
import os from 'node:os';
import path from 'node:path';
import { createDocker } from './adapters/docker.js';
import { defaultStateDir, openStore } from './adapters/store.js';
import { systemClock, type Context } from './context.js';

export const buildContext = (options: { color?: boolean } = {}): Context => {
  const env = process.env;
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const color = options.color !== false && !('NO_COLOR' in env) && stdoutIsTTY && env.TERM !== 'dumb';
  return {
    docker: createDocker(),
    store: openStore(env.SVC_HOME || defaultStateDir(env, os.homedir())),
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
