/** One object carries every side effect; cli.ts builds the real one, tests build their own. */
import type { Writable, Readable } from 'node:stream';
import type { Docker } from './adapters/docker.js';
import type { Store } from './adapters/store.js';

export interface Clock {
  now(): number;
}

export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

export interface Context {
  docker: Docker;
  store: Store;
  clock: Clock;
  io: IO;
  env: NodeJS.ProcessEnv;
  /** Colour and spinners only on a TTY, never with NO_COLOR or --no-color. */
  color: boolean;
  /** Where `bin/svc` lives, for starting the supervisor as a detached process. */
  svcBinary: string;
}

export const systemClock: Clock = { now: () => Date.now() };
