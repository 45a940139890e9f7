/**
 * The side effects, injected. Three layers, each what its code may touch:
 * - EngineContext: the engine and the supervisor (container runtime, store, clock);
 * - OperationContext: the user operations (operations/), which also reach the workload backend;
 * - Context: a command line, with its streams, colour, settings and the path of its own binary.
 * main-context.ts builds the real ones; tests build their own. The first two are the engine's
 * (engine/ports/context.ts, engine/operation-context.ts).
 */
import type { Writable, Readable } from 'node:stream';
import type { OperationContext } from './engine/operation-context.js';
import type { Settings } from './settings.js';

// The engine defines the contexts it needs (its ports); this is the one place that names all three.
export type { EngineContext } from './engine/ports/context.js';
export type { OperationContext } from './engine/operation-context.js';
export { systemClock, type Clock } from './engine/ports/clock.js';

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
