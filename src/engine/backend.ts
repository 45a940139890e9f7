/**
 * The workload backend port: how a workload is run and kept to its policy. The operations
 * (operations/) call it and never Docker directly. `local` (engine/local/local-backend.ts): containers on
 * this host, kept by svc's own supervisor; `swarm` (engine/swarm/swarm-backend.ts): services on a Docker
 * Swarm, kept by the swarm. The operations see one backend, routing-backend.ts, that holds both.
 */
import type { RestartPolicy } from '../core/policy.js';
import type { BackendName, Dialect, Workload, WorkloadSpec } from '../core/workload.js';
import type { NewWorkload } from './create.js';
import type { StopOptions } from './lifecycle.js';
import type { ObservedWorkload } from './observe.js';
import type { WorkloadEvent } from '../core/events.js';
import type { LineStream, OutputStream } from './ports/runtime.js';

export interface WorkloadBackend {
  readonly name: BackendName;
  /** The workloads of a dialect it holds, as records (without the runtime's view), terminated ones included. */
  list(dialect: Dialect): Promise<Workload[]>;
  /** Records the workload; with `start`, starts it too, and nothing of it is left if that fails. */
  create(input: NewWorkload, options: { start: boolean }): Promise<Workload>;
  start(workloadId: string): Promise<Workload>;
  /** Stops them together: none restarts while another is being stopped. One promise per id, in order. */
  stopAll(workloadIds: readonly string[], options?: StopOptions): Promise<Workload>[];
  scale(workloadId: string, target: number): Promise<Workload>;
  /** Fresh containers (or tasks) from the current spec. */
  redeploy(workloadId: string): Promise<Workload>;
  /** A new spec: stored, then redeployed. */
  replaceSpec(workloadId: string, spec: WorkloadSpec, reason: string): Promise<Workload>;
  terminate(workloadId: string): Promise<Workload>;
  /** Sends a signal to the workload's processes; what their exit means is the policy's to decide. */
  signal(workloadId: string, signal: string): Promise<Workload>;
  /** Replaces the workload's user metadata (the Machines API's config.metadata). */
  setMetadata(workloadId: string, metadata: Record<string, string>): Promise<Workload>;
  /** Stores a new policy; it applies to running instances at once. */
  setPolicy(
    workloadId: string,
    change: (current: RestartPolicy) => RestartPolicy,
    describe: (policy: RestartPolicy) => string,
  ): Promise<Workload>;
  /** Makes sure someone enforces this workload's policy (the local backend: its supervisor runs). */
  enforcePolicies(workload?: Workload): Promise<void>;
  /** The workloads of a dialect as they are now, oldest first. */
  observe(dialect: Dialect): Promise<ObservedWorkload[]>;
  /** The workload's output as one stream, where the backend has one (a swarm's service logs). */
  streamLogs?(
    workload: Workload,
    options: { follow: boolean; tail: number | null },
    onLine: (line: string, stream: OutputStream) => void,
  ): LineStream;
  /** What happened to these workloads that the backend itself recorded (a swarm's task history); svc's own log has the rest. Workloads gone are left out. */
  history?(workloadIds: readonly string[]): Promise<WorkloadEvent[]>;
}
