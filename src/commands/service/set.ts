/** `service set [--autorestart W] [--autoreplace W] [--autodestroy W] ID...`: policy changes apply at once. */
import type { Context } from '../../context.js';
import type { ServicePolicyWords } from '../../core/dialects/dockercloud.js';
import { policyChangeNotice } from '../../operations/policy-notice.js';
import { requirePolicyChange, setServicePolicy } from '../../operations/service.js';
import { forEachIdentifier } from '../resolve.js';

export const setServices = async (ctx: Context, identifiers: string[], changes: Partial<ServicePolicyWords>) => {
  requirePolicyChange(changes); // once, before any identifier, rather than once for each
  await forEachIdentifier(ctx, identifiers, async (identifier) => {
    const workload = await setServicePolicy(ctx, identifier, changes);
    const notice = policyChangeNotice(workload);
    if (notice) ctx.io.stderr.write(`${notice}\n`);
    ctx.io.stdout.write(`${workload.id}\n`);
  });
};
