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
import type { LogOptions, OutputStream } from './ports/runtime.js';

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
  /**
   * The workload's output, each line marked with the instance it came from (a container's or a task's
   * name). `done` rejects when some could not be shown: with a PartialFailure, once the rest is
   * shown, when each part was told to the sink as it was found (a container gone); else with the
   * error that says why (Docker unreachable, the swarm's log stream failed).
   */
  streamLogs(workload: Workload, options: LogOptions, sink: LogSink): LogStream;
  /**
   * What happened to these workloads that the backend itself recorded, beyond svc's own log (a
   * swarm's task history; nothing for the local backend, whose every event is in svc's log).
   * Workloads gone, or of the other backend, are left out.
   */
  history(workloadIds: readonly string[]): Promise<WorkloadEvent[]>;
}

/** Where a workload's output goes. */
export interface LogSink {
  line(text: string, stream: OutputStream): void;
  /** A part of the output that cannot be shown (a container gone), said once, when found. */
  problem(message: string): void;
}

export interface LogStream {
  /** Settles once all the output is shown (with follow: once stopped or ended). */
  done: Promise<void>;
  stop(): void;
}
