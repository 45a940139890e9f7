/** A new spec (image, command, env) for an existing workload: stored, then fresh containers from it. */
import type { EngineContext } from '../ports/context.js';
import type { Workload, WorkloadSpec } from '../../core/workload.js';
import { redeployWorkload } from './redeploy.js';
import { updateWorkload, userEvent } from '../store-helpers.js';

/** A container cannot change its image or command in place, so every instance is redeployed (and runs). */
export const replaceSpec = async (
  ctx: EngineContext,
  workloadId: string,
  spec: WorkloadSpec,
  reason: string,
): Promise<Workload> => {
  await updateWorkload(ctx, workloadId, (w, tx) => {
    w.spec = structuredClone(spec);
    tx.emit(userEvent(ctx, w, 'update', reason));
  });
  return redeployWorkload(ctx, workloadId);
};
