/** `/v1/apps/{app}/machines/{id}/ACTION`: start, stop, restart, signal, and the machine's events. */
import type { OperationContext } from '../../context.js';
import { flyMachineState } from '../../core/machineState.js';
import { usageError } from '../../errors.js';
import { observeMachine, restartMachine, signalMachine, startMachine, stopMachines } from '../../operations/machine.js';
import { machineEventObjects } from '../../present/fly.js';
import { endpoint, type ApiApp } from '../endpoint.js';
import { durationSeconds } from './config.js';
import { OK, type MachineLookup } from './lookup.js';
import {
  machineParamsSchema,
  restartBodySchema,
  restartQuerySchema,
  signalMachineSchema,
  stopMachineSchema,
} from './schemas.js';

/** Docker's own grace period between SIGTERM and SIGKILL when the client gives none. */
const MAX_STOP_TIMEOUT_SECONDS = 300;

const withMachine = { params: machineParamsSchema } as const;

export const machineActionRoutes = (
  app: ApiApp,
  ctx: OperationContext,
  { machineOf, recentEvents }: MachineLookup,
): void => {
  const path = (action: string) => `/apps/:app/machines/:id/${action}`;

  endpoint(app, path('start'), {
    POST: {
      schema: withMachine,
      handler: async (request) => {
        const machine = await machineOf(request.params);
        const previous = flyMachineState((await observeMachine(ctx, machine.id)).state);
        await startMachine(ctx, machine.id);
        return { previous_state: previous, migrated: false, new_host: '' };
      },
    },
  });

  endpoint(app, path('stop'), {
    POST: {
      schema: { ...withMachine, body: stopMachineSchema },
      handler: async (request) => {
        const machine = await machineOf(request.params);
        const { signal = 'SIGTERM', timeout } = request.body;
        if (signal !== 'SIGTERM' && signal !== 'SIGKILL') {
          throw usageError(
            `svc stops a machine with SIGTERM, or SIGKILL at once; send ${signal} with POST .../signal first if the program needs it`,
          );
        }
        const grace =
          signal === 'SIGKILL' ? 0 : Math.min(durationSeconds(timeout, 'timeout') ?? 10, MAX_STOP_TIMEOUT_SECONDS);
        await stopMachines(ctx, [machine.id], { timeoutSeconds: grace })[0];
        return OK;
      },
    },
  });

  // A restart is a fresh container, as Fly boots a fresh root filesystem: the old one is removed at once, so a timeout has nothing to wait for.
  endpoint(app, path('restart'), {
    POST: {
      schema: { ...withMachine, body: restartBodySchema, querystring: restartQuerySchema },
      handler: async (request) => {
        durationSeconds(request.body.timeout ?? request.query.timeout, 'timeout');
        await restartMachine(ctx, (await machineOf(request.params)).id);
        return OK;
      },
    },
  });

  endpoint(app, path('signal'), {
    POST: {
      schema: { ...withMachine, body: signalMachineSchema },
      handler: async (request) => {
        await signalMachine(ctx, (await machineOf(request.params)).id, request.body.signal);
        return OK;
      },
    },
  });

  endpoint(app, path('events'), {
    GET: {
      schema: withMachine,
      handler: async (request) => machineEventObjects(await recentEvents((await machineOf(request.params)).id)),
    },
  });
};
