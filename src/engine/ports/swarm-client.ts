/**
 * What the swarm backend needs of a Docker Swarm manager, in svc's own types. adapters/swarm.ts
 * implements it with the docker CLI (whichever engine DOCKER_HOST or DOCKER_CONTEXT names).
 */
import type { SwarmRestartPolicy } from '../../core/swarmPolicy.js';
import type { SwarmServiceFacts } from '../../core/swarmWorkload.js';
import type { CreateOptions, LineStream, LogOptions, OutputStream } from './runtime.js';

/** A swarm service as svc reads it: what a workload is read back from, and the service's own facts. */
export interface SwarmService extends SwarmServiceFacts {
  id: string;
  name: string;
  replicas: number;
  createdAt: string;
  updatedAt: string;
}

/** One task of a service: one run of one slot, on one node. */
export interface SwarmTask {
  id: string;
  serviceId: string;
  slot: number;
  nodeId: string;
  /** new, pending, assigned, accepted, preparing, starting, running, complete, shutdown, failed, rejected, orphaned, remove */
  state: string;
  desiredState: string;
  /** When the task reached its current state (ms). */
  time: number;
  createdAt: number;
  containerId: string | null;
  exitCode: number | null;
  error: string;
  /** The task's spec as the swarm gave it, as text: two tasks of one slot differ in it when a change of the service (or a redeploy) made the newer. */
  spec: string;
}

export interface SwarmNode {
  id: string;
  hostname: string;
  status: string;
  availability: string;
}

/** What a container is created from (`name` the service's), and how many run and how they restart. */
export interface SwarmServiceSpec extends CreateOptions {
  replicas: number;
  restart: SwarmRestartPolicy;
}

export interface SwarmServiceChange {
  replicas?: number;
  labels?: Record<string, string>;
  restart?: SwarmRestartPolicy;
  /** New tasks from the same spec (`docker service update --force`). */
  force?: boolean;
}

export interface SwarmClient {
  /** Throws a UserError (kind engine-unreachable or failed) naming why when the engine is not a swarm manager. */
  requireManager(): Promise<void>;
  /** svc's services (labelled io.svc.managed), optionally only those with this label value. */
  services(filter?: { label: string; value: string }): Promise<SwarmService[]>;
  /** The tasks of these services, the swarm's history included (a few per slot). */
  tasks(serviceIds: readonly string[]): Promise<SwarmTask[]>;
  nodes(): Promise<SwarmNode[]>;
  create(spec: SwarmServiceSpec): Promise<string>;
  update(serviceId: string, change: SwarmServiceChange): Promise<void>;
  remove(serviceId: string): Promise<void>;
  logs(serviceId: string, options: LogOptions, onLine: (line: string, stream: OutputStream) => void): LineStream;
}
