/** `/v1/apps/{app}/machines`: an app's machines, and a new one. */
import type { OperationContext } from '../../context.js';
import { checkFlyName } from '../../core/machineNames.js';
import { appExists, runMachine } from '../../operations/machine.js';
import { machineObject, REGION } from '../../present/fly.js';
import { HttpError } from '../errors.js';
import { endpoint, type ApiApp } from '../endpoint.js';
import { createAnswerMemo } from '../observe-memo.js';
import { checkedChange, type MachineLookup } from './lookup.js';
import { appParamsSchema, createMachineSchema, listQuerySchema } from './schemas.js';

export const machineListRoutes = (app: ApiApp, ctx: OperationContext, { present }: MachineLookup): void => {
  const answer = createAnswerMemo();
  endpoint(app, '/apps/:app/machines', {
    GET: {
      schema: { params: appParamsSchema, querystring: listQuerySchema },
      handler: async (request, reply) => {
        const appName = request.params.app;
        if (!(await appExists(ctx, appName))) throw new HttpError(404, `app not found: ${appName}`);
        const query = request.query;
        const includeDeleted = query.include_deleted !== undefined && query.include_deleted !== 'false';
        // The schema lets only strings through as metadata.KEY; the type of such a pattern cannot say so.
        const metadata = Object.entries(query).flatMap(([key, value]) =>
          key.startsWith('metadata.') && typeof value === 'string' ? [[key.slice(9), value] as const] : [],
        );
        const all = await ctx.backend.observe('machine');
        return answer(reply, request.url, all, () =>
          all
            .filter((m) => m.workload.app === appName && (m.workload.intent !== 'terminated' || includeDeleted))
            .filter(() => query.region === undefined || query.region === REGION)
            .map((m) => machineObject(m))
            .filter((object) => metadata.every(([key, value]) => object.config.metadata[key] === value)),
        );
      },
    },
    POST: {
      schema: { params: appParamsSchema, body: createMachineSchema },
      handler: async (request) => {
        const body = request.body;
        const change = checkedChange(body.config);
        const workload = await runMachine(ctx, {
          ...change,
          name: body.name === undefined ? undefined : checkFlyName('machine name', 'name', body.name),
          app: checkFlyName('app name', 'the path', request.params.app),
          launch: !body.skip_launch,
          ...(body.backend ? { backend: body.backend } : {}),
        });
        return present(workload.id);
      },
    },
  });
};
