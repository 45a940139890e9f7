/** `service start|stop|terminate|redeploy ID...`: each prints the uuid of every service it acted on. */
import type { Context } from '../../context.js';
import type { Workload } from '../../core/workload.js';
import { redeployService, startService, stopServices, terminateService } from '../../operations/service.js';
import { forEachIdentifier, settleEach } from '../resolve.js';

const ONE_BY_ONE = {
  start: startService,
  terminate: terminateService,
  redeploy: redeployService,
} satisfies Record<string, (ctx: Context, identifier: string) => Promise<Workload>>;

export type ServiceOperation = keyof typeof ONE_BY_ONE | 'stop';

export const runServiceOperation = async (ctx: Context, operation: ServiceOperation, identifiers: string[]) => {
  const printId = (workload: Workload) => void ctx.io.stdout.write(`${workload.id}\n`);
  if (operation === 'stop') return settleEach(ctx, stopServices(ctx, identifiers), printId);
  await forEachIdentifier(ctx, identifiers, async (identifier) =>
    printId(await ONE_BY_ONE[operation](ctx, identifier)),
  );
};
