/** Stopping several workloads at once, each identifier answered on its own. */
import type { OperationContext } from '../context.js';
import type { Dialect, Workload } from '../core/workload.js';
import type { StopOptions } from '../engine/lifecycle.js';
import { refuseGone, resolveAmong } from '../engine/resolve.js';

/**
 * Shared by the service and machine stops: each identifier is resolved first, in one listing for
 * all (on a swarm each listing is two docker calls); a failure rejects its own promise only. Then
 * every workload found is stopped together by its backend. One promise per identifier, in order.
 */
export const stopTogether = (
  ctx: OperationContext,
  dialect: Dialect,
  identifiers: readonly string[],
  options: StopOptions = {},
): Promise<Workload>[] => {
  const listing = ctx.backend.list(dialect);
  listing.catch(() => {}); // a failed listing rejects each identifier's promise, which its caller handles
  const resolving = identifiers.map(async (identifier) => refuseGone(resolveAmong(await listing, dialect, identifier)));
  const stops = Promise.allSettled(resolving).then((results) => {
    const ids = [...new Set(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.id] : [])))];
    const promises = ctx.backend.stopAll(ids, options);
    // Each is awaited through the identifiers that name it; this only keeps a rejection from counting as unhandled first.
    promises.forEach((p) => p.catch(() => {}));
    return new Map(ids.map((id, index) => [id, promises[index]]));
  });
  return resolving.map((resolved) => resolved.then((workload) => stops.then((byId) => byId.get(workload.id)!)));
};
