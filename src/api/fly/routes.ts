/**
 * Fly's Machines API, `/v1/apps/{app}/machines` (API.md), as fly-admin and flyctl call it: a
 * machine is a one-instance workload in an app, and every call is the operation `svc m` runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationContext } from '../../context.js';
import { flyMachineState, type FlyMachineState } from '../../core/machineState.js';
import { conflictError, usageError } from '../../errors.js';
import { checkFlyName } from '../../core/machineNames.js';
import {
  appExists,
  destroyMachine,
  machineInApp,
  observeMachine,
  restartMachine,
  runMachine,
  signalMachine,
  startMachine,
  stopMachines,
  updateMachineConfig,
} from '../../operations/machine.js';
import { workloadEvents } from '../../operations/events.js';
import { machineEventObjects, machineObject, REGION } from '../../present/fly.js';
import { HttpError } from '../errors.js';
import { clientGone, endpoint } from '../routing.js';
import { createAnswerMemo } from '../observe-memo.js';
import { configChange, durationSeconds } from './config.js';
import {
  createMachineSchema,
  deleteQuerySchema,
  listQuerySchema,
  MAX_WAIT_SECONDS,
  restartBodySchema,
  restartQuerySchema,
  signalMachineSchema,
  stopMachineSchema,
  updateMachineSchema,
  waitQuerySchema,
  type CreateMachineBody,
  type MachineConfigBody,
} from './schemas.js';

type AppRequest = FastifyRequest<{ Params: { app: string } }>;
type MachineRequest = FastifyRequest<{ Params: { app: string; id: string } }>;

const OK = { ok: true } as const;
/** How often wait looks again; each look is served by the listing cache unless a container changed. */
const WAIT_POLL_MS = 100;
/** Docker's own grace period between SIGTERM and SIGKILL when the client gives none. */
const MAX_STOP_TIMEOUT_SECONDS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The config read, with the rule in the API's own words (the CLI's names --restart and --rm). */
const checkedChange = (config: MachineConfigBody) => {
  const change = configChange(config);
  if (change.restart === 'always' && change.autoDestroy) {
    throw conflictError(
      'config.restart.policy always cannot be used with config.auto_destroy: an always-restarting machine is never destroyed',
    );
  }
  return change;
};

/** `closing`: the server is stopping; waits end then rather than hold it up for their whole timeout. */
export const flyMachinesRoutes = (app: FastifyInstance, ctx: OperationContext, closing: AbortSignal): void => {
  const answer = createAnswerMemo();
  const machineOf = (request: FastifyRequest) => {
    const { app: appName, id } = (request as MachineRequest).params;
    return machineInApp(ctx, appName, id);
  };
  const present = async (id: string) => {
    const observed = await observeMachine(ctx, id);
    return machineObject(observed, await workloadEvents(ctx, id));
  };

  // Fly lists an organisation's apps; here every app that has a live machine (org_slug changes nothing).
  endpoint(app, '/v1/apps', {
    GET: {
      schema: {
        querystring: { type: 'object', properties: { org_slug: { type: 'string' } }, additionalProperties: false },
      },
      handler: async () => {
        const counts = new Map<string, number>();
        for (const w of await ctx.backend.list('machine')) {
          if (w.intent !== 'terminated' && w.app !== null) counts.set(w.app, (counts.get(w.app) ?? 0) + 1);
        }
        const apps = [...counts]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, count]) => ({ id: name, name, machine_count: count, network: 'default' }));
        return { total_apps: apps.length, apps };
      },
    },
  });

  endpoint(app, '/v1/apps/:app/machines', {
    GET: {
      schema: { querystring: listQuerySchema },
      handler: async (request, reply) => {
        const appName = (request as AppRequest).params.app;
        if (!(await appExists(ctx, appName))) throw new HttpError(404, `app not found: ${appName}`);
        const query = request.query as Record<string, string | undefined>;
        const includeDeleted = query.include_deleted !== undefined && query.include_deleted !== 'false';
        const metadata = Object.entries(query).flatMap(([key, value]) =>
          key.startsWith('metadata.') ? [[key.slice(9), value] as const] : [],
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
      schema: { body: createMachineSchema },
      handler: async (request) => {
        const body = request.body as CreateMachineBody;
        const change = checkedChange(body.config);
        const workload = await runMachine(ctx, {
          ...change,
          name: body.name === undefined ? undefined : checkFlyName('machine name', 'name', body.name),
          app: checkFlyName('app name', 'the path', (request as AppRequest).params.app),
          launch: !body.skip_launch,
          ...(body.backend ? { backend: body.backend } : {}),
        });
        return present(workload.id);
      },
    },
  });

  endpoint(app, '/v1/apps/:app/machines/:id', {
    GET: { handler: async (request) => present((await machineOf(request)).id) },
    // The whole config replaces the machine's (see updateMachineConfig). As on Fly, a machine that is
    // not running is started with it, unless skip_launch says not to.
    POST: {
      schema: { body: updateMachineSchema },
      handler: async (request) => {
        const machine = await machineOf(request);
        const body = request.body as CreateMachineBody;
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
      schema: { querystring: deleteQuerySchema },
      handler: async (request) => {
        const { force, kill } = request.query as { force?: boolean; kill?: boolean };
        await destroyMachine(ctx, (await machineOf(request)).id, { force: Boolean(force || kill) });
        return OK;
      },
    },
  });

  const action = (name: string, methods: Parameters<typeof endpoint>[2]) =>
    endpoint(app, `/v1/apps/:app/machines/:id/${name}`, methods);

  action('start', {
    POST: {
      handler: async (request) => {
        const machine = await machineOf(request);
        const previous = flyMachineState((await observeMachine(ctx, machine.id)).state);
        await startMachine(ctx, machine.id);
        return { previous_state: previous, migrated: false, new_host: '' };
      },
    },
  });

  action('stop', {
    POST: {
      schema: { body: stopMachineSchema },
      handler: async (request) => {
        const machine = await machineOf(request);
        const { signal = 'SIGTERM', timeout } = request.body as { signal?: string; timeout?: number | string };
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
  action('restart', {
    POST: {
      schema: { body: restartBodySchema, querystring: restartQuerySchema },
      handler: async (request) => {
        durationSeconds(
          (request.body as { timeout?: string | number }).timeout ?? (request.query as { timeout?: string }).timeout,
          'timeout',
        );
        await restartMachine(ctx, (await machineOf(request)).id);
        return OK;
      },
    },
  });

  action('signal', {
    POST: {
      schema: { body: signalMachineSchema },
      handler: async (request) => {
        await signalMachine(ctx, (await machineOf(request)).id, (request.body as { signal: string }).signal);
        return OK;
      },
    },
  });

  action('wait', {
    GET: {
      schema: { querystring: waitQuerySchema },
      handler: async (request, reply) => {
        const machine = await machineOf(request);
        const {
          state,
          timeout,
          instance_id: instance,
        } = request.query as { state: FlyMachineState; timeout: number; instance_id?: string };
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

  action('events', {
    GET: { handler: async (request) => machineEventObjects(await workloadEvents(ctx, (await machineOf(request)).id)) },
  });
};
