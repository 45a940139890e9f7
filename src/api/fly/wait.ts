/** `/v1/apps/{app}/machines/{id}/wait`: until the machine is in a state, or the timeout. */
import type { OperationContext } from '../../context.js';
import { observeMachine } from '../../operations/machine.js';
import { machineObject } from '../../present/fly.js';
import { clientGone, endpoint, type ApiApp } from '../endpoint.js';
import { OK, type MachineLookup } from './lookup.js';
import { machineParamsSchema, MAX_WAIT_SECONDS, waitQuerySchema } from './schemas.js';
import { sleep } from '../../sleep.js';

/** How often wait looks again; each look is served by the listing cache unless a container changed. */
const WAIT_POLL_MS = 100;

/** `closing`: the server is stopping; waits end then rather than hold it up for their whole timeout. */
export const waitRoutes = (
  app: ApiApp,
  ctx: OperationContext,
  { machineOf }: MachineLookup,
  closing: AbortSignal,
): void =>
  endpoint(app, '/apps/:app/machines/:id/wait', {
    GET: {
      schema: { params: machineParamsSchema, querystring: waitQuerySchema },
      handler: async (request, reply) => {
        const machine = await machineOf(request.params);
        const { state, timeout, instance_id: instance } = request.query;
        const deadline = Date.now() + Math.min(timeout, MAX_WAIT_SECONDS) * 1000;
        // Asked each time round, not learnt from 'close': that may have fired during machineOf's await.
        while (!clientGone(request, reply)) {
          if (closing.aborted)
            return reply.code(503).send({ error: 'the server is stopping; wait again once it is back' });
          const observed = await observeMachine(ctx, machine.id);
          const object = machineObject(observed);
          // The instance asked about has ended when the machine runs another one by now.
          const otherInstance = instance !== undefined && instance !== object.instance_id;
          if (object.state === state || (otherInstance && state !== 'started')) return OK;
          if (Date.now() >= deadline)
            return reply.code(408).send({
              error: `machine ${machine.id} did not reach ${state} within ${timeout} s; it is ${object.state}`,
            });
          await sleep(WAIT_POLL_MS);
        }
        return reply;
      },
    },
  });
