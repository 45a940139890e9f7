/**
 * What the swarm backend needs of a Docker Swarm manager, in svc's own types. adapters/swarm.ts
 * implements it with the docker CLI (whichever engine DOCKER_HOST or DOCKER_CONTEXT names).
 */
import type { SwarmNode, SwarmService, SwarmTask } from '../../adapters/swarm-json.js';
import type { SwarmRestartPolicy } from '../../core/swarmPolicy.js';
import type { CreateOptions, LineStream, OutputStream } from './runtime.js';

export type { SwarmNode, SwarmService, SwarmTask };

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
  logs(
    serviceId: string,
    options: { follow: boolean; tail: number | null },
    onLine: (line: string, stream: OutputStream) => void,
  ): LineStream;
}
