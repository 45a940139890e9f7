/**
 * The one backend the operations talk to: the local one always, the swarm one when this state dir
 * uses a swarm (SVC_BACKEND=swarm, or a swarm workload made from here before). A new workload goes
 * where it is asked to (--backend, else the default); a verb on a workload goes to the backend that
 * holds it, which for a local workload is written in the state file and otherwise is the swarm.
 */
import type { Workload } from '../core/workload.js';
import { UserError } from '../errors.js';
import type { WorkloadBackend } from './backend.js';
import type { BackendName } from '../core/workload.js';

export interface RoutingOptions {
  /** Where a workload goes when its creation names no backend. */
  defaultBackend: BackendName;
  /** Whether the swarm's workloads are listed here. */
  swarmInUse(): boolean;
  /**
   * The ids of the local state's workloads (every other id is the swarm's): one read of the state
   * however many ids are sorted with it.
   */
  localIds(): ReadonlySet<string>;
  /** Told when the swarm could not be listed, and listing went on with the local workloads alone. */
  warn(message: string): void;
}

export const createRoutingBackend = (
  local: WorkloadBackend,
  swarm: WorkloadBackend,
  options: RoutingOptions,
): WorkloadBackend => {
  const holder = (id: string) => (options.localIds().has(id) ? local : swarm);

  /** Both backends' answers; the swarm's left out, with a warning, when it cannot be asked (not a manager any more). */
  const both = async <T>(ask: (backend: WorkloadBackend) => Promise<T[]>): Promise<T[]> => {
    const mine = await ask(local);
    if (!options.swarmInUse()) return mine;
    try {
      return [...mine, ...(await ask(swarm))];
    } catch (error) {
      if (options.defaultBackend === 'swarm' || !(error instanceof UserError) || error.kind === 'engine-unreachable')
        throw error;
      options.warn(`Swarm workloads are not shown: ${error.message}`);
      return mine;
    }
  };

  return {
    name: options.defaultBackend,
    list: (dialect) => both((b) => b.list(dialect)),
    // Without a swarm, the local answer as it is (a server keeps it while nothing changes: see api/observe-memo.ts).
    observe: async (dialect) => {
      if (!options.swarmInUse()) return local.observe(dialect);
      return [...(await both((b) => b.observe(dialect)))].sort((a, b) => a.workload.createdAt - b.workload.createdAt);
    },
    create: (input, createOptions) =>
      ((input.backend ?? options.defaultBackend) === 'swarm' ? swarm : local).create(input, createOptions),
    start: (id) => holder(id).start(id),
    stopAll: (ids, stopOptions) => {
      // Each backend stops its own together; the promises come back in the order of the ids.
      const localIds: string[] = [];
      const swarmIds: string[] = [];
      const locals = options.localIds();
      for (const id of ids) (locals.has(id) ? localIds : swarmIds).push(id);
      const stops = new Map<string, Promise<Workload>>();
      local.stopAll(localIds, stopOptions).forEach((stop, i) => stops.set(localIds[i], stop));
      swarm.stopAll(swarmIds, stopOptions).forEach((stop, i) => stops.set(swarmIds[i], stop));
      return ids.map((id) => stops.get(id)!);
    },
    scale: (id, target) => holder(id).scale(id, target),
    redeploy: (id) => holder(id).redeploy(id),
    replaceSpec: (id, spec, reason) => holder(id).replaceSpec(id, spec, reason),
    terminate: (id) => holder(id).terminate(id),
    signal: (id, signal) => holder(id).signal(id, signal),
    setMetadata: (id, metadata) => holder(id).setMetadata(id, metadata),
    setPolicy: (id, change, describe) => holder(id).setPolicy(id, change, describe),
    enforcePolicies: (workload) => (workload && workload.backend === 'swarm' ? swarm : local).enforcePolicies(workload),
    streamLogs: (workload, logOptions, sink) =>
      (workload.backend === 'swarm' ? swarm : local).streamLogs(workload, logOptions, sink),
    history: async (ids) => {
      const locals = options.localIds();
      const swarmIds = options.swarmInUse() ? ids.filter((id) => !locals.has(id)) : [];
      const [mine, theirs] = await Promise.all([
        local.history(ids.filter((id) => locals.has(id))),
        swarmIds.length === 0 ? [] : swarm.history(swarmIds),
      ]);
      return [...mine, ...theirs];
    },
  };
};
