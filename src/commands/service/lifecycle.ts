/** `service start|stop|terminate|redeploy ID...`: each prints the uuid of every service it acted on. */
import type { Context } from '../../context.js';
import type { Workload } from '../../core/workload.js';
import { redeployWorkload } from '../../engine/redeploy.js';
import { startWorkload, stopWorkload, stopWorkloadsTogether, terminateWorkload } from '../../engine/lifecycle.js';
import { forEachIdentifier } from '../resolve.js';
import { ensureSupervisor } from '../../supervisor/control.js';
import { UserError } from '../../errors.js';

export const refuseTerminated = (workload: Workload) => {
  if (workload.intent === 'terminated') {
    throw new UserError(`Service ${workload.name} (${workload.id}) is terminated`, {
      kind: 'conflict',
      hint: 'Create a new one with `svc service run`.',
    });
  }
};

const OPERATIONS = {
  start: startWorkload,
  stop: stopWorkload,
  terminate: terminateWorkload,
  redeploy: redeployWorkload,
} satisfies Record<string, (ctx: Context, id: string) => Promise<Workload>>;

export type ServiceOperation = keyof typeof OPERATIONS;

export const runServiceOperation = async (ctx: Context, operation: ServiceOperation, identifiers: string[]) => {
  if (operation === 'start' || operation === 'redeploy') await ensureSupervisor(ctx);
  const acting = (run: (workloadId: string) => Promise<Workload>) => async (workload: Workload) => {
    if (operation !== 'terminate') refuseTerminated(workload);
    await run(workload.id);
    ctx.io.stdout.write(`${workload.id}\n`);
  };
  await forEachIdentifier(
    ctx,
    'service',
    identifiers,
    acting((id) => OPERATIONS[operation](ctx, id)),
    operation === 'stop' ? (workloads) => acting(stopWorkloadsTogether(ctx, workloads.map((w) => w.id))) : undefined,
  );
};
