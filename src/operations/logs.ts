/** A service's output, from the backend that runs it (the containers here, or the swarm's tasks). */
import type { OperationContext } from '../context.js';
import type { LogSink } from '../engine/backend.js';
import type { LogOptions } from '../engine/ports/runtime.js';
import { resolveAmong } from '../engine/resolve.js';

/** Settles once the output is shown (with follow: when it ends); see WorkloadBackend.streamLogs for how it fails. */
export const readServiceLogs = async (
  ctx: OperationContext,
  identifier: string,
  options: LogOptions,
  sink: LogSink,
): Promise<void> => {
  const workload = resolveAmong(await ctx.backend.list('service'), 'service', identifier);
  await ctx.backend.streamLogs(workload, options, sink).done;
};
