/** What the engine and the supervisor may touch: the container runtime, the store and the clock. */
import type { Clock } from './clock.js';
import type { ContainerRuntime } from './runtime.js';
import type { Store } from './store.js';

export interface EngineContext {
  docker: ContainerRuntime;
  store: Store;
  clock: Clock;
}
