/**
 * Docker Cloud's `/api/app/v1/` and Tutum's `/api/v1/` (API.md): services, their actions, and the
 * container, stack and node lists the CLIs' `ps` verbs read. Paths end in `/`; they answer without
 * it too (server.ts), and under any namespace (`/api/app/v1/<namespace>/service/`), which a local
 * host has no use for. One plugin per dialect (its paths: the app's prefix, and the infra's).
 */
import type { FastifyReply, FastifySchema } from 'fastify';
import type { OperationContext } from '../../context.js';
import { servicePolicyWordsFromBody as policyWords } from '../../core/dialects/dockercloud-body.js';
import { SERVICE_POLICY_API_FIELDS } from '../../core/dialects/dockercloud-table.js';
import { splitRunCommand } from '../../core/workloadSpec.js';
import { notFoundError, usageError } from '../../errors.js';
import {
  createService,
  observeService,
  redeployService,
  scaleService,
  setServicePolicy,
  startService,
  stopServices,
  terminateService,
  type ServiceRequest,
} from '../../operations/service.js';
import {
  containerApiObjects,
  DOCKER_CLOUD_PATHS,
  nodeApiObject,
  serviceObject,
  type DcPaths,
} from '../../present/dockercloud.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { endpoint, type ApiApp, type ApiPlugin } from '../endpoint.js';
import { createAnswerMemo } from '../observe-memo.js';
import { asksForAStack, listEnvelope, stateMatches } from './list.js';
import { localNode } from './node.js';
import {
  containerListQuerySchema,
  createServiceSchema,
  patchServiceSchema,
  createServiceQuerySchema,
  redeployQuerySchema,
  scaleServiceSchema,
  serviceListQuerySchema,
  SPEC_FIELDS,
  uuidParamsSchema,
  type CreateServiceBody,
} from './schemas.js';

const serviceRequest = (body: CreateServiceBody): ServiceRequest => ({
  image: body.image,
  name: body.name,
  targetNumContainers: body.target_num_containers,
  command: body.run_command ? splitRunCommand(body.run_command, 'run_command') : [],
  entrypoint: body.entrypoint ?? null,
  env: (body.container_envvars ?? []).map(({ key, value }) => ({ key, value })),
  memoryMb: body.memory ?? null,
  ...policyWords(body),
  ...(body.backend ? { backend: body.backend } : {}),
});

/** Docker Cloud (DOCKER_CLOUD_PATHS) or Tutum (TUTUM_PATHS): the app's routes under its prefix, the node's under the infra's. */
export const dockerCloudRoutes: ApiPlugin<{ ctx: OperationContext; paths: DcPaths }> = async (app, { ctx, paths }) => {
  await app.register(
    async (appApi) => {
      for (const base of ['', '/:namespace']) serviceRoutes(appApi, ctx, base, paths);
      // Tutum's CLI asks this first on every command, to check the credentials.
      if (paths !== DOCKER_CLOUD_PATHS)
        endpoint(appApi, '/auth/', { GET: { handler: async () => ({ authenticated: true, user: 'svc' }) } });
    },
    { prefix: paths.app },
  );
  await app.register(async (infraApi) => nodeRoutes(infraApi, ctx, paths), { prefix: paths.infra });
};

const withUuid = { params: uuidParamsSchema } as const;

const serviceRoutes = (app: ApiApp, ctx: OperationContext, base: string, paths: DcPaths) => {
  const answer = createAnswerMemo();
  const present = (observed: ObservedWorkload) => serviceObject(observed, { paths, containers: 'uris' });
  const presentById = async (id: string) => present(await observeService(ctx, id));

  endpoint(app, `${base}/service/`, {
    GET: {
      schema: { querystring: serviceListQuerySchema },
      handler: async (request, reply) => {
        const query = request.query;
        const all = await ctx.backend.observe('service');
        return answer(reply, request.url, all, () => {
          const services = asksForAStack(query)
            ? []
            : all.filter(
                (s) =>
                  (query.uuid__startswith == null || s.workload.id.startsWith(query.uuid__startswith)) &&
                  (query.name == null || s.workload.name === query.name) &&
                  stateMatches(s.state, query.state),
              );
          return listEnvelope(`${paths.app}/service/`, query, services, present);
        });
      },
    },
    POST: {
      schema: { body: createServiceSchema, querystring: createServiceQuerySchema },
      // Docker Cloud makes the service Not running; its CLI's `service run` then POSTs start/. With
      // svc's `?start=true` it is started too, and a start Docker refuses leaves nothing behind.
      handler: async (request, reply) => {
        const start = request.query.start === 'true';
        const workload = await createService(ctx, serviceRequest(request.body), { start });
        return reply.code(201).send(await presentById(workload.id));
      },
    },
  });

  endpoint(app, `${base}/service/:uuid/`, {
    GET: { schema: withUuid, handler: async (request) => presentById(request.params.uuid) },
    PATCH: {
      schema: { ...withUuid, body: patchServiceSchema },
      handler: async (request) => {
        const { uuid } = request.params;
        const body = request.body;
        const specFields = SPEC_FIELDS.filter((field) => field in body);
        if (specFields.length > 0) {
          throw usageError(
            `${specFields.join(', ')} cannot be changed on an existing service here: PATCH changes ${SERVICE_POLICY_API_FIELDS.join(', ')} and target_num_containers`,
          );
        }
        const words = policyWords(body);
        let id = uuid;
        if (Object.keys(words).length > 0) id = (await setServicePolicy(ctx, id, words)).id;
        // target_num_containers is applied at once, which is what Docker Cloud's PATCH followed by scale/ comes to.
        if (body.target_num_containers !== undefined) id = (await scaleService(ctx, id, body.target_num_containers)).id;
        return presentById(id);
      },
    },
    DELETE: {
      schema: withUuid,
      handler: async (request, reply) =>
        reply.code(202).send(await presentById((await terminateService(ctx, request.params.uuid)).id)),
    },
  });

  /** An action answers 202 with the service as it is after it. */
  const acted = async (reply: FastifyReply, done: Promise<{ id: string }>) =>
    reply.code(202).send(await presentById((await done).id));
  const action = (name: string, run: (uuid: string) => Promise<{ id: string }>, schema: FastifySchema = {}) =>
    endpoint(app, `${base}/service/:uuid/${name}/`, {
      POST: {
        schema: { ...schema, ...withUuid },
        handler: async (request, reply) => acted(reply, run(request.params.uuid)),
      },
    });
  action('start', (uuid) => startService(ctx, uuid));
  action('stop', (uuid) => stopServices(ctx, [uuid])[0]);
  // Containers get no volumes of their own here, so reuse_volumes changes nothing.
  action('redeploy', (uuid) => redeployService(ctx, uuid), { querystring: redeployQuerySchema });
  endpoint(app, `${base}/service/:uuid/scale/`, {
    POST: {
      schema: { ...withUuid, body: scaleServiceSchema },
      handler: async (request, reply) => {
        const { uuid } = request.params;
        const target = request.body.target_num_containers;
        return acted(
          reply,
          scaleService(ctx, uuid, target ?? (await observeService(ctx, uuid)).workload.targetInstances),
        );
      },
    },
  });

  endpoint(app, `${base}/container/`, {
    GET: {
      schema: { querystring: containerListQuerySchema },
      handler: async (request) => {
        const query = request.query;
        const services = await ctx.backend.observe('service');
        const containers = asksForAStack(query)
          ? []
          : containerApiObjects(services, paths, localNode().id).filter(
              (c) =>
                (query.uuid__startswith == null || c.uuid.startsWith(query.uuid__startswith)) &&
                (query.name == null || c.name === query.name) &&
                (query.service == null || c.service === query.service || c.service.includes(`/${query.service}/`)) &&
                stateMatches(c.state, query.state),
            );
        return listEnvelope(`${paths.app}/container/`, query, containers);
      },
    },
  });
  endpoint(app, `${base}/container/:uuid/`, {
    GET: {
      schema: withUuid,
      handler: async (request) => {
        const { uuid } = request.params;
        const containers = containerApiObjects(await ctx.backend.observe('service'), paths, localNode().id);
        const found = containers.filter((c) => c.uuid === uuid || c.uuid.startsWith(uuid));
        if (found.length !== 1)
          throw notFoundError(
            found.length === 0
              ? `Cannot find a container with the identifier '${uuid}'`
              : 'More than one container has the same identifier, please use the long uuid',
          );
        return found[0];
      },
    },
  });
  endpoint(app, `${base}/stack/`, {
    GET: {
      schema: { querystring: serviceListQuerySchema },
      handler: async (request) => listEnvelope(`${paths.app}/stack/`, request.query, []),
    },
  });
};

const nodeRoutes = (app: ApiApp, ctx: OperationContext, paths: DcPaths) => {
  const node = async () => {
    const dockerVersion = await ctx.docker.serverVersion().catch(() => null);
    const containers = (await ctx.backend.observe('service')).reduce(
      (n, s) => n + s.instances.filter((i) => i.container !== null).length,
      0,
    );
    return nodeApiObject(paths, { ...localNode(), dockerVersion, containers });
  };
  // Tutum's node list has no namespaced form.
  const bases = paths === DOCKER_CLOUD_PATHS ? ['', '/:namespace'] : [''];
  for (const base of bases) {
    endpoint(app, `${base}/node/`, {
      GET: {
        schema: { querystring: serviceListQuerySchema },
        handler: async (request) => listEnvelope(`${paths.infra}/node/`, request.query, [await node()]),
      },
    });
  }
  endpoint(app, '/node/:uuid/', {
    GET: {
      schema: withUuid,
      handler: async (request) => {
        if (request.params.uuid !== localNode().id)
          throw notFoundError(`Cannot find a node with the identifier '${request.params.uuid}'`);
        return node();
      },
    },
  });
};
