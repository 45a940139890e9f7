/** `service scale ID... N`: the CLI has checked N against the per-service maximum. */
import type { Context } from '../../context.js';
import { scaleWorkload } from '../../engine/scale.js';
import { forEachIdentifier } from '../resolve.js';
import { refuseTerminated } from './lifecycle.js';

export const scaleServices = async (ctx: Context, identifiers: string[], target: number) => {
  await forEachIdentifier(ctx, 'service', identifiers, async (workload) => {
    refuseTerminated(workload);
    await scaleWorkload(ctx, workload.id, target);
    ctx.io.stdout.write(`${workload.id}\n`);
  });
};
