/**
 * The container runtime port: what the engine and the supervisor need from a container engine, in
 * svc's own types. adapters/docker.ts implements it with the docker CLI (and checks Docker's JSON
 * there, at the edge); tests give it fake process runners.
 */
import type { EnvVar } from '../../core/workload.js';

/** A container as the runtime lists it. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  command: string;
  /** created | running | restarting | exited | paused | removing | dead */
  state: string;
  status: string;
  exitCode: number | null;
  createdAt: string;
  labels: Record<string, string>;
  /** The swarm node a task runs on; absent for this host's own containers. */
  node?: string;
}

/** The parts of a container's details the engine and supervisor judge by. */
export interface ContainerDetails {
  id: string;
  name: string;
  labels: Record<string, string>;
  status: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  /** Why Docker could not start it (State.Error, e.g. `exec: "/nonexistent": ... not found`); '' when none. */
  error: string;
}

/** A lifecycle event of a managed container. */
export interface ContainerEvent {
  /** die, oom, start, stop, destroy ... */
  action: string;
  containerId: string;
  /** The container's labels (and the runtime's own attributes, such as its name). */
  attributes: Record<string, string>;
  /** A die's exit code; null for other events. */
  exitCode: number | null;
  /** When it happened, in milliseconds since the epoch. */
  time: number;
}

export interface CreateOptions {
  name: string;
  image: string;
  command: string[];
  entrypoint: string | null;
  env: readonly EnvVar[];
  memoryMb: number | null;
  labels: Record<string, string>;
}

/** A long-running command whose output is read line by line (logs -f, events). */
export interface LineStream {
  done: Promise<{ exitCode: number; stderr: string }>;
  stop(): void;
}

export type OutputStream = 'stdout' | 'stderr';

/** What output to show: to its end, or followed as it comes; the last `tail` lines of each instance only (null: all). */
export interface LogOptions {
  follow: boolean;
  tail: number | null;
}

export interface ContainerRuntime {
  /** The engine's version; throws DockerUnreachableError (kind engine-unreachable) when it cannot be reached. */
  serverVersion(): Promise<string>;
  imageExists(image: string): Promise<boolean>;
  /** Creates a container (not started) and returns its id. */
  create(options: CreateOptions): Promise<string>;
  start(ids: string[]): Promise<void>;
  /** A container already gone counts as stopped. */
  stop(ids: string[], timeoutSeconds?: number): Promise<void>;
  /** A container already gone counts as removed. */
  remove(ids: string[]): Promise<void>;
  /** Sends a signal (SIGUSR1, SIGKILL ...) to running containers; one not running is skipped. */
  kill(ids: string[], signal: string): Promise<void>;
  /** Every container svc manages, running or not. */
  listManaged(): Promise<ContainerSummary[]>;
  /** Missing containers are left out. */
  inspect(ids: string[]): Promise<ContainerDetails[]>;
  logs(id: string, options: LogOptions, onLine: (line: string, stream: OutputStream) => void): LineStream;
  /** Lifecycle events of managed containers from `since` (unix seconds) on. */
  events(since: number | null, onEvent: (event: ContainerEvent) => void): LineStream;
}
