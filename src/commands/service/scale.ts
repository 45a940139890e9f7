/** `service scale ID... N`: prints the uuid of every service scaled. */
import type { Context } from '../../context.js';
import { scaleService } from '../../operations/service.js';
import { forEachIdentifier } from '../resolve.js';

export const scaleServices = async (ctx: Context, identifiers: string[], target: number) => {
  await forEachIdentifier(ctx, identifiers, async (identifier) => {
    const workload = await scaleService(ctx, identifier, target);
    ctx.io.stdout.write(`${workload.id}\n`);
  });
};
