/** `m start|stop|restart ID...` and `m destroy ID... [-f]`: each prints the id of every machine it acted on. */
import type { Context } from '../../context.js';
import type { Workload } from '../../core/workload.js';
import { startWorkload, stopWorkload, stopWorkloadsTogether, terminateWorkload } from '../../engine/lifecycle.js';
import { redeployWorkload } from '../../engine/redeploy.js';
import { UserError } from '../../errors.js';
import { ensureSupervisor } from '../../supervisor/control.js';
import { forEachIdentifier } from '../resolve.js';
import { machineStateOf, refuseDestroyed } from './observe.js';

const OPERATIONS = {
  start: startWorkload,
  stop: stopWorkload,
  // A Fly restart boots the machine afresh from its image, as a new container does. It also keeps the
  // supervisor out of it: the old container is forgotten before it stops, so an auto-destroy (--rm)
  // machine is not destroyed by its own restart.
  restart: redeployWorkload,
} satisfies Record<string, (ctx: Context, id: string) => Promise<Workload>>;

export type MachineOperation = keyof typeof OPERATIONS;

export const runMachineOperation = async (ctx: Context, operation: MachineOperation, identifiers: string[]) => {
  if (operation !== 'stop') await ensureSupervisor(ctx);
  const acting = (run: (workloadId: string) => Promise<Workload>) => async (workload: Workload) => {
    refuseDestroyed(workload);
    await run(workload.id);
    ctx.io.stdout.write(`${workload.id}\n`);
  };
  await forEachIdentifier(
    ctx,
    'machine',
    identifiers,
    acting((id) => OPERATIONS[operation](ctx, id)),
    operation === 'stop' ? (workloads) => acting(stopWorkloadsTogether(ctx, workloads.map((w) => w.id))) : undefined,
  );
};

/** As flyctl: a stopped machine goes at once; one in any other state needs --force. */
export const destroyMachines = (ctx: Context, identifiers: string[], flags: { force?: boolean }) =>
  forEachIdentifier(ctx, 'machine', identifiers, async (workload) => {
    refuseDestroyed(workload);
    const state = await machineStateOf(ctx, workload);
    if (!flags.force && state !== 'stopped' && state !== 'created') {
      throw new UserError(
        state === 'started'
          ? `machine ${workload.id} currently started, either stop first or use --force flag`
          : `machine ${workload.id} is in a ${state} state and cannot be destroyed since it is not stopped, either stop first or use --force flag`,
        { kind: 'conflict' },
      );
    }
    await terminateWorkload(ctx, workload.id);
    ctx.io.stdout.write(`${workload.id}\n`);
  });
