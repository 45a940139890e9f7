/** Stopping several workloads at once, each identifier answered on its own. */
import type { OperationContext } from '../context.js';
import type { Workload } from '../core/workload.js';
import type { StopOptions } from '../engine/lifecycle.js';

/**
 * Shared by the service and machine stops: each identifier is resolved first (a failure rejects its
 * own promise only), then every workload found is stopped together by its backend. One promise per
 * identifier, in order.
 */
export const stopTogether = (ctx: OperationContext, resolving: Promise<Workload>[], options: StopOptions = {}): Promise<Workload>[] => {
  const stops = Promise.allSettled(resolving).then((results) => {
    const ids = [...new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])))];
    const promises = ctx.backend.stopAll(ids, options);
    // Each is awaited through the identifiers that name it; this only keeps a rejection from counting as unhandled first.
    promises.forEach((p) => p.catch(() => {}));
    return new Map(ids.map((id, index) => [id, promises[index]]));
  });
  return resolving.map((resolved) => resolved.then((workload) => stops.then((byId) => byId.get(workload.id)!)));
};
