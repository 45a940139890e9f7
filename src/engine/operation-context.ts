import type { WorkloadBackend } from './backend.js';
import type { EngineContext } from './ports/context.js';

/** What the user operations may touch: the engine's ports and the workload backend. */
export interface OperationContext extends EngineContext {
  /** Runs the workloads and makes sure their policies are enforced (the local supervisor, or the swarm). */
  backend: WorkloadBackend;
}
