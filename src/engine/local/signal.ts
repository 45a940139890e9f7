/** A signal to a workload's processes, and its user metadata: neither changes what the user wants running. */
import type { EngineContext } from '../ports/context.js';
import type { Workload } from '../../core/workload.js';
import { containerIds } from '../lifecycle.js';
import { updateWorkload, userEvent } from '../store-helpers.js';

/**
 * The signal is the user's, but the exit it may cause is not a stop the user asked for: the
 * supervisor judges it by the policy, as Fly's restart policy does. Recorded first, so the event
 * log says what came before the exit.
 */
export const signalWorkload = async (ctx: EngineContext, workloadId: string, signal: string): Promise<Workload> => {
  await ctx.docker.serverVersion();
  const workload = await updateWorkload(ctx, workloadId, (w, tx) => {
    tx.emit(userEvent(ctx, w, 'signal', `${signal} sent by user`));
    return w;
  });
  await ctx.docker.kill(containerIds(workload), signal);
  return workload;
};

export const setMetadata = (
  ctx: EngineContext,
  workloadId: string,
  metadata: Record<string, string>,
): Promise<Workload> =>
  updateWorkload(ctx, workloadId, (w, tx) => {
    w.metadata = { ...metadata };
    tx.emit(userEvent(ctx, w, 'update', `metadata set to ${JSON.stringify(metadata)}`));
    return w;
  });
