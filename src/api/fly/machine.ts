/** `/v1/apps/{app}/machines/{id}`: one machine, its whole config replaced, or destroyed. */
import type { OperationContext } from '../../context.js';
import { flyMachineState } from '../../core/machineState.js';
import { usageError } from '../../errors.js';
import { destroyMachine, observeMachine, startMachine, updateMachineConfig } from '../../operations/machine.js';
import { endpoint, type ApiApp } from '../endpoint.js';
import { checkedChange, OK, type MachineLookup } from './lookup.js';
import { deleteQuerySchema, machineParamsSchema, updateMachineSchema } from './schemas.js';

const withMachine = { params: machineParamsSchema } as const;

export const machineRoutes = (app: ApiApp, ctx: OperationContext, { machineOf, present }: MachineLookup): void =>
  endpoint(app, '/apps/:app/machines/:id', {
    GET: { schema: withMachine, handler: async (request) => present((await machineOf(request.params)).id) },
    // The whole config replaces the machine's (see updateMachineConfig). As on Fly, a machine that is
    // not running is started with it, unless skip_launch says not to.
    POST: {
      schema: { ...withMachine, body: updateMachineSchema },
      handler: async (request) => {
        const machine = await machineOf(request.params);
        const body = request.body;
        const { processGroup, ...change } = checkedChange(body.config);
        if (processGroup !== undefined && processGroup !== machine.processGroup) {
          throw usageError(
            `config.metadata.fly_process_group cannot change (${machine.processGroup} -> ${processGroup}): create a machine in that group instead`,
          );
        }
        if (body.name !== undefined && body.name !== machine.name)
          throw usageError('a machine cannot be renamed: leave name out, or send its own');
        await updateMachineConfig(ctx, machine.id, change);
        if (
          !body.skip_launch &&
          ['stopped', 'created'].includes(flyMachineState((await observeMachine(ctx, machine.id)).state))
        ) {
          await startMachine(ctx, machine.id);
        }
        return present(machine.id);
      },
    },
    DELETE: {
      schema: { ...withMachine, querystring: deleteQuerySchema },
      handler: async (request) => {
        const { force, kill } = request.query;
        await destroyMachine(ctx, (await machineOf(request.params)).id, { force: Boolean(force || kill) });
        return OK;
      },
    },
  });
