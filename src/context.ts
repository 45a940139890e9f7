/**
 * The side effects, injected. Three layers, each what its code may touch:
 * - EngineContext: the engine and the supervisor (container runtime, store, clock);
 * - OperationContext: the user operations (operations/), which also reach the workload backend;
 * - Context: a command line, with its streams, colour, settings and the path of its own binary.
 * main-context.ts builds the real ones; tests build their own.
 */
import type { Writable, Readable } from 'node:stream';
import type { Store } from './adapters/store.js';
import type { WorkloadBackend } from './engine/backend.js';
import type { ContainerRuntime } from './engine/ports/runtime.js';
import type { Settings } from './settings.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface EngineContext {
  docker: ContainerRuntime;
  store: Store;
  clock: Clock;
}

export interface OperationContext extends EngineContext {
  /** Runs the workloads and makes sure their policies are enforced (today: the local supervisor). */
  backend: WorkloadBackend;
}

export interface IO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

export interface Context extends OperationContext {
  io: IO;
  /** Colour and spinners only on a TTY, never with NO_COLOR or --no-color. */
  color: boolean;
  settings: Settings;
  /** The environment a detached supervisor is started with. */
  env: NodeJS.ProcessEnv;
  /** Where `bin/svc` lives, for starting the supervisor as a detached process. */
  svcBinary: string;
}
