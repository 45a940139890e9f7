/** `service scale ID... N` */
import type { Context } from '../../context.js';
import { scaleWorkload } from '../../engine/scale.js';
import { usageError } from '../../errors.js';
import { forEachIdentifier } from '../resolve.js';
import { refuseTerminated } from './lifecycle.js';
import { parsePositiveInt } from './options.js';

export const scaleServices = async (ctx: Context, args: string[]) => {
  if (args.length < 2) throw usageError('Usage: svc service scale ID [ID...] NUMBER_OF_CONTAINERS');
  const target = parsePositiveInt('NUMBER_OF_CONTAINERS', 0)(args[args.length - 1]);
  await forEachIdentifier(ctx, 'service', args.slice(0, -1), async (workload) => {
    refuseTerminated(workload);
    await scaleWorkload(ctx, workload.id, target);
    ctx.io.stdout.write(`${workload.id}\n`);
  });
};
