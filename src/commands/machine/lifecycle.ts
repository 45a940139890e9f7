/** `m start|stop|restart ID...` and `m destroy ID... [-f]`: each prints the id of every machine it acted on. */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { Workload } from '../../core/workload.js';
import { destroyMachine, restartMachine, startMachine, stopMachines } from '../../operations/machine.js';
import { forEachIdentifier, settleEach } from '../resolve.js';

const ONE_BY_ONE = {
  start: startMachine,
  restart: restartMachine,
} satisfies Record<string, (ctx: Context, identifier: string) => Promise<Workload>>;

export type MachineOperation = keyof typeof ONE_BY_ONE | 'stop';

const printId = (ctx: Context) => (workload: Workload) => void ctx.io.stdout.write(`${workload.id}\n`);

export const runMachineOperation = async (ctx: Context, operation: MachineOperation, identifiers: string[]) => {
  if (operation === 'stop') return settleEach(ctx, stopMachines(ctx, identifiers), printId(ctx));
  await forEachIdentifier(ctx, identifiers, async (identifier) =>
    printId(ctx)(await ONE_BY_ONE[operation](ctx, identifier)),
  );
};

export const destroyMachines = (ctx: Context, identifiers: string[], flags: Flags<{ force: boolean }>) =>
  forEachIdentifier(ctx, identifiers, async (identifier) =>
    printId(ctx)(await destroyMachine(ctx, identifier, { force: flags.force })),
  );
