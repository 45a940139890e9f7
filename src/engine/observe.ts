/** What the user sees: the stored workloads joined with Docker's view of their containers, in one docker call. */
import type { EngineContext } from './ports/context.js';
import type { ContainerSummary } from './ports/runtime.js';
import { containerState, serviceState, type ContainerState, type ServiceState } from '../core/states.js';
import type { Dialect, InstanceRecord, StateDocument, Workload } from '../core/workload.js';

export interface ObservedInstance {
  record: InstanceRecord;
  container: ContainerSummary | null;
  state: ContainerState;
}

export interface ObservedWorkload {
  workload: Workload;
  instances: ObservedInstance[];
  state: ServiceState;
  restarts: number;
}

export const observeWorkload = (
  workload: Workload,
  containersById: Map<string, ContainerSummary>,
  now: number,
): ObservedWorkload => {
  const instances = workload.instances.map((record) => {
    const container = record.containerId ? (containersById.get(record.containerId) ?? null) : null;
    return { record, container, state: containerState(record, container?.state ?? null) };
  });
  const liveStates = instances.filter((i) => i.record.intent !== 'removed').map((i) => i.state);
  return {
    workload,
    instances,
    state: serviceState(workload, liveStates, now),
    restarts: workload.instances.reduce((sum, i) => sum + i.restartCount, 0),
  };
};

/** The workloads of a dialect, oldest first, joined with one listing of the containers. Pure. */
export const observeState = (
  state: StateDocument,
  containers: readonly ContainerSummary[],
  dialect: Dialect,
  now: number,
): ObservedWorkload[] => {
  const byId = new Map(containers.map((c) => [c.id, c]));
  return Object.values(state.workloads)
    .filter((w) => w.dialect === dialect)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((w) => observeWorkload(w, byId, now));
};

export const observeAll = async (ctx: EngineContext, dialect: Dialect): Promise<ObservedWorkload[]> => {
  const state = ctx.store.read();
  return observeState(state, await ctx.docker.listManaged(), dialect, ctx.clock.now());
};
