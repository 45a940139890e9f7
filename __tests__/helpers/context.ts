/** An in-process Context on the real Docker engine, for tests that call the engine directly. */
import { PassThrough } from 'node:stream';
import { createDocker, type Docker } from '../../src/adapters/docker.js';
import { openStore } from '../../src/adapters/store.js';
import { systemClock, type Context } from '../../src/context.js';

export const inProcessContext = (home: string, docker: Docker = createDocker()): Context => ({
  docker,
  store: openStore(home),
  clock: systemClock,
  io: { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false },
  env: {},
  color: false,
  svcBinary: '',
});
