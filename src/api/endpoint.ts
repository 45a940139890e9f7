/**
 * Declaring a path once with the methods it answers; every other method gets a 405 naming the ones
 * that work (Fastify alone would answer 404, as if the path did not exist).
 *
 * A handler's request is typed from its route's schemas (JSON-schema type provider): what the
 * validator let through is what the handler reads, with no cast in between.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  HTTPMethods,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import { HttpError } from './errors.js';

/** The server as the API's plugins see it: requests typed from their schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  JsonSchemaToTsProvider
>;

/** A plugin of the API (a dialect, or a group of routes), registered with its prefix. */
export type ApiPlugin<Options extends object = Record<never, never>> = FastifyPluginAsync<
  Options,
  RawServerDefault,
  JsonSchemaToTsProvider
>;

/** A request whose params, query and body are the types its schema describes. */
export type ApiRequest<S extends FastifySchema = FastifySchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  S,
  JsonSchemaToTsProvider
>;

/** The value a schema lets through, as a handler reads it. */
export type Validated<S> = (JsonSchemaToTsProvider & { schema: S })['validator'];

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export interface MethodHandler<S extends FastifySchema = FastifySchema> {
  schema?: S;
  handler(request: ApiRequest<S>, reply: FastifyReply): unknown;
}

/**
 * Whether the client has closed the connection. A handler that awaited something first asks this
 * rather than wait for 'close': a client that left during the await had its 'close' already.
 */
export const clientGone = (request: FastifyRequest, reply: FastifyReply): boolean =>
  request.raw.destroyed || reply.raw.destroyed;

/** One schema type per method, so that each handler's request is typed from its own schema. */
export const endpoint = <
  const Get extends FastifySchema = FastifySchema,
  const Post extends FastifySchema = FastifySchema,
  const Patch extends FastifySchema = FastifySchema,
  const Put extends FastifySchema = FastifySchema,
  const Delete extends FastifySchema = FastifySchema,
>(
  app: ApiApp,
  urls: string | readonly string[],
  methods: {
    GET?: MethodHandler<Get>;
    POST?: MethodHandler<Post>;
    PATCH?: MethodHandler<Patch>;
    PUT?: MethodHandler<Put>;
    DELETE?: MethodHandler<Delete>;
  },
): void => {
  const handlers = methods as Partial<Record<Method, MethodHandler>>;
  const allowed = METHODS.filter((method) => handlers[method]);
  for (const url of typeof urls === 'string' ? [urls] : urls) {
    for (const method of allowed) {
      const { schema, handler } = handlers[method]!;
      app.route({ method, url, schema, handler: async (request, reply) => handler(request, reply) });
    }
    const others: HTTPMethods[] = [...METHODS.filter((method) => !handlers[method]), 'OPTIONS'];
    app.route({
      method: others,
      url,
      handler: async (request, reply) => {
        reply.header('Allow', allowed.join(', '));
        throw new HttpError(
          405,
          `${request.method} is not allowed on ${request.url.split('?')[0]}; use ${allowed.join(' or ')}`,
        );
      },
    });
  }
};
