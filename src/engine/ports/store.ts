/**
 * The store port: svc's durable state, its event log and the per-workload operation lock, all kept
 * in the state dir. adapters/store.ts implements it on files; the engine, the supervisor and the
 * operations reach it through their context, never through the files.
 */
import type { WorkloadEvent } from '../../core/events.js';
import type { StateDocument } from '../../core/workload.js';
import type { OperationLock } from './lock.js';

export interface Transaction {
  state: StateDocument;
  emit(event: WorkloadEvent): void;
}

export interface EventFollower {
  stop(): void;
}

export interface Store {
  readonly dir: string;
  readonly stateFile: string;
  readonly eventsFile: string;
  read(): StateDocument;
  /** Locked read-modify-write; the state is written and the events appended before the lock is released. Resolves to a copy of what `change` returned. */
  update<T>(change: (tx: Transaction) => T): Promise<T>;
  readEvents(): WorkloadEvent[];
  /** Every event appended from now on, as it is written (polled), until `stop()`. */
  followEvents(onEvent: (event: WorkloadEvent) => void): EventFollower;
  /** One user operation per workload at a time, across svc processes. */
  readonly operationLock: OperationLock;
}
