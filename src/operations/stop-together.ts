/** Stopping several workloads at once, each identifier answered on its own. */
import type { OperationContext } from '../context.js';
import type { Workload } from '../core/workload.js';
import type { StopOptions } from '../engine/lifecycle.js';

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

export const attempt = <T>(run: () => T): Attempt<T> => {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
};

/** Shared by the service and machine stops: resolution failures reject their own promise only. */
export const stopTogether = (ctx: OperationContext, resolved: Attempt<Workload>[], options: StopOptions = {}): Promise<Workload>[] => {
  const ids = [...new Set(resolved.flatMap((r) => (r.ok ? [r.value.id] : [])))];
  const stops = ctx.backend.stopAll(ids, options);
  const byId = new Map(ids.map((id, index) => [id, stops[index]]));
  return resolved.map((r) => (r.ok ? byId.get(r.value.id)! : Promise.reject(r.error)));
};

