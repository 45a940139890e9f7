/** `service set [--autorestart W] [--autoreplace W] [--autodestroy W] ID...`: policy changes apply at once. */
import type { Context } from '../../context.js';
import type { ServicePolicyWords } from '../../core/dialects/dockercloud.js';
import { requirePolicyChange, setServicePolicy } from '../../operations/service.js';
import { forEachIdentifier } from '../resolve.js';

/** A restart policy is part of a swarm service's task template: the swarm applies a change by replacing the tasks. */
export const SWARM_ROLLS = (name: string) =>
  `${name} runs on a swarm: the swarm applies the new restart policy by replacing its tasks now, one at a time (its update config)\n`;

export const setServices = async (ctx: Context, identifiers: string[], changes: Partial<ServicePolicyWords>) => {
  requirePolicyChange(changes); // once, before any identifier, rather than once for each
  await forEachIdentifier(ctx, identifiers, async (identifier) => {
    const workload = await setServicePolicy(ctx, identifier, changes);
    if (workload.backend === 'swarm') ctx.io.stderr.write(SWARM_ROLLS(workload.name));
    ctx.io.stdout.write(`${workload.id}\n`);
  });
};
