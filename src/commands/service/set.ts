/** `service set [--autorestart W] [--autoreplace W] [--autodestroy W] ID...`: policy changes apply at once. */
import type { Context } from '../../context.js';
import { servicePolicyFromWords, servicePolicyToWords, type ServicePolicyWords } from '../../core/dialects/dockercloud.js';
import { updatePolicy } from '../../engine/policy-update.js';
import { usageError } from '../../errors.js';
import { forEachIdentifier } from '../resolve.js';
import { refuseTerminated } from './lifecycle.js';
import { ensureSupervisor } from '../../supervisor/control.js';

const describe = (words: ServicePolicyWords) =>
  `autorestart ${words.autorestart}, autoreplace ${words.autoreplace}, autodestroy ${words.autodestroy}`;

export const setServices = async (ctx: Context, identifiers: string[], changes: Partial<ServicePolicyWords>) => {
  if (Object.values(changes).every((v) => v === undefined)) {
    throw usageError('Nothing to set: give --autorestart, --autoreplace or --autodestroy');
  }
  await forEachIdentifier(ctx, 'service', identifiers, async (workload) => {
    refuseTerminated(workload);
    await updatePolicy(
      ctx,
      workload.id,
      (current) => servicePolicyFromWords({ ...servicePolicyToWords(current), ...definedOnly(changes) }),
      (policy) => describe(servicePolicyToWords(policy)),
    );
    ctx.io.stdout.write(`${workload.id}\n`);
  });
  await ensureSupervisor(ctx);
};

const definedOnly = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
