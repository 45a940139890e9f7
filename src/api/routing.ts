/**
 * Declaring a path once with the methods it answers; every other method gets a 405 naming the ones
 * that work (Fastify alone would answer 404, as if the path did not exist).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods } from 'fastify';
import { HttpError } from './errors.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const METHODS: readonly Method[] = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export interface MethodHandler {
  schema?: FastifySchema;
  /** Answered without the token (health). */
  public?: boolean;
  handler(request: FastifyRequest, reply: FastifyReply): unknown;
}

/**
 * Whether the client has closed the connection. A handler that awaited something first asks this
 * rather than wait for 'close': a client that left during the await had its 'close' already.
 */
export const clientGone = (request: FastifyRequest, reply: FastifyReply): boolean =>
  request.raw.destroyed || reply.raw.destroyed;

/** Route config: read by the auth hook (server.ts). */
export interface RouteConfig {
  public?: boolean;
}

export const endpoint = (
  app: FastifyInstance,
  urls: string | readonly string[],
  methods: Partial<Record<Method, MethodHandler>>,
): void => {
  const allowed = METHODS.filter((method) => methods[method]);
  for (const url of typeof urls === 'string' ? [urls] : urls) {
    for (const method of allowed) {
      const { schema, handler, public: isPublic } = methods[method]!;
      app.route({
        method,
        url,
        schema,
        config: { public: isPublic } satisfies RouteConfig,
        handler: async (request, reply) => handler(request, reply),
      });
    }
    const others: HTTPMethods[] = [...METHODS.filter((method) => !methods[method]), 'OPTIONS'];
    app.route({
      method: others,
      url,
      config: { public: allowed.every((method) => methods[method]!.public) } satisfies RouteConfig,
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
