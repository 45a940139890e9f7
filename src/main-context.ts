/** Builds the real context: the only place that reads the environment and the process's streams. */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
    svcBinary: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'svc'),
  };
};
