/**
 * Docker Cloud's `/api/app/v1/` and Tutum's `/api/v1/` (API.md): services, their actions, and the
 * container, stack and node lists the CLIs' `ps` verbs read. Paths end in `/`; they answer without
 * it too (server.ts), and under any namespace (`/api/app/v1/<namespace>/service/`), which a local
 * host has no use for.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OperationContext } from '../../context.js';
import { servicePolicyWordsFromBody as policyWords } from '../../core/dialects/dockercloud-body.js';
import { SERVICE_POLICY_API_FIELDS } from '../../core/dialects/dockercloud-table.js';
import { splitCommand } from '../../core/workloadSpec.js';
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
  TUTUM_PATHS,
  type DcPaths,
} from '../../present/dockercloud.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { endpoint } from '../routing.js';
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
  type CreateServiceBody,
  type ListQuery,
  type PatchServiceBody,
} from './schemas.js';

type WithUuid = FastifyRequest<{ Params: { uuid: string } }>;

const serviceRequest = (body: CreateServiceBody): ServiceRequest => ({
  image: body.image,
  name: body.name,
  targetNumContainers: body.target_num_containers,
  command: body.run_command ? splitCommand(body.run_command, 'run_command') : [],
  entrypoint: body.entrypoint ?? null,
  env: (body.container_envvars ?? []).map(({ key, value }) => ({ key, value })),
  memoryMb: body.memory ?? null,
  ...policyWords(body),
  ...(body.backend ? { backend: body.backend } : {}),
});

export const dockerCloudRoutes = (app: FastifyInstance, ctx: OperationContext): void => {
  for (const paths of [DOCKER_CLOUD_PATHS, TUTUM_PATHS]) {
    for (const base of [paths.app, `${paths.app}/:namespace`]) serviceRoutes(app, ctx, base, paths);
  }
  nodeRoutes(app, ctx);
  // Tutum's CLI asks this first on every command, to check the credentials.
  endpoint(app, '/api/v1/auth/', { GET: { handler: async () => ({ authenticated: true, user: 'svc' }) } });
};

const serviceRoutes = (app: FastifyInstance, ctx: OperationContext, base: string, paths: DcPaths) => {
  const answer = createAnswerMemo();
  const present = (observed: ObservedWorkload) => serviceObject(observed, { paths, containers: 'uris' });
  const presentById = async (id: string) => present(await observeService(ctx, id));

  endpoint(app, `${base}/service/`, {
    GET: {
      schema: { querystring: serviceListQuerySchema },
      handler: async (request, reply) => {
        const query = request.query as ListQuery;
        const all = await ctx.backend.observe('service');
        return answer(reply, request.url, all, () => {
          const services = asksForAStack(query)
            ? []
            : all.filter(
                (s) =>
                  (query.uuid__startswith === undefined || s.workload.id.startsWith(query.uuid__startswith)) &&
                  (query.name === undefined || s.workload.name === query.name) &&
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
        const start = (request.query as { start?: string }).start === 'true';
        const workload = await createService(ctx, serviceRequest(request.body as CreateServiceBody), { start });
        return reply.code(201).send(await presentById(workload.id));
      },
    },
  });

  endpoint(app, `${base}/service/:uuid/`, {
    GET: { handler: async (request) => presentById((request as WithUuid).params.uuid) },
    PATCH: {
      schema: { body: patchServiceSchema },
      handler: async (request) => {
        const { uuid } = (request as WithUuid).params;
        const body = request.body as PatchServiceBody;
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
      handler: async (request, reply) =>
        reply.code(202).send(await presentById((await terminateService(ctx, (request as WithUuid).params.uuid)).id)),
    },
  });

  const action = (
    name: string,
    run: (request: FastifyRequest, uuid: string) => Promise<{ id: string }>,
    schema?: object,
  ) =>
    endpoint(app, `${base}/service/:uuid/${name}/`, {
      POST: {
        schema,
        handler: async (request, reply) =>
          reply.code(202).send(await presentById((await run(request, (request as WithUuid).params.uuid)).id)),
      },
    });
  action('start', (_request, uuid) => startService(ctx, uuid));
  action('stop', (_request, uuid) => stopServices(ctx, [uuid])[0]);
  // Containers get no volumes of their own here, so reuse_volumes changes nothing.
  action('redeploy', (_request, uuid) => redeployService(ctx, uuid), { querystring: redeployQuerySchema });
  action(
    'scale',
    async (request, uuid) => {
      const target = (request.body as { target_num_containers?: number }).target_num_containers;
      return scaleService(ctx, uuid, target ?? (await observeService(ctx, uuid)).workload.targetInstances);
    },
    { body: scaleServiceSchema },
  );

  endpoint(app, `${base}/container/`, {
    GET: {
      schema: { querystring: containerListQuerySchema },
      handler: async (request) => {
        const query = request.query as ListQuery;
        const services = await ctx.backend.observe('service');
        const containers = asksForAStack(query)
          ? []
          : containerApiObjects(services, paths, localNode().id).filter(
              (c) =>
                (query.uuid__startswith === undefined || c.uuid.startsWith(query.uuid__startswith)) &&
                (query.name === undefined || c.name === query.name) &&
                (query.service === undefined ||
                  c.service === query.service ||
                  c.service.includes(`/${query.service}/`)) &&
                stateMatches(c.state, query.state),
            );
        return listEnvelope(`${paths.app}/container/`, query, containers);
      },
    },
  });
  endpoint(app, `${base}/container/:uuid/`, {
    GET: {
      handler: async (request) => {
        const { uuid } = (request as WithUuid).params;
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
      handler: async (request) => listEnvelope(`${paths.app}/stack/`, request.query as ListQuery, []),
    },
  });
};

const nodeRoutes = (app: FastifyInstance, ctx: OperationContext) => {
  for (const paths of [DOCKER_CLOUD_PATHS, TUTUM_PATHS]) {
    const node = async () => {
      const dockerVersion = await ctx.docker.serverVersion().catch(() => null);
      const containers = (await ctx.backend.observe('service')).reduce(
        (n, s) => n + s.instances.filter((i) => i.container !== null).length,
        0,
      );
      return nodeApiObject(paths, { ...localNode(), dockerVersion, containers });
    };
    const bases = paths === DOCKER_CLOUD_PATHS ? [paths.infra, `${paths.infra}/:namespace`] : [paths.infra];
    for (const base of bases) {
      endpoint(app, `${base}/node/`, {
        GET: {
          schema: { querystring: serviceListQuerySchema },
          handler: async (request) => listEnvelope(`${paths.infra}/node/`, request.query as ListQuery, [await node()]),
        },
      });
    }
    endpoint(app, `${paths.infra}/node/:uuid/`, {
      GET: {
        handler: async (request) => {
          if ((request as WithUuid).params.uuid !== localNode().id)
            throw notFoundError(`Cannot find a node with the identifier '${(request as WithUuid).params.uuid}'`);
          return node();
        },
      },
    });
  }
};
