/**
 * svc's health check, `/api/svc/v1/health`: does Docker answer? It needs no token (server.ts
 * registers it outside the guarded routes), so that a load balancer or systemd can ask.
 */
import type { OperationContext } from '../../context.js';
import { DockerTimeoutError } from '../../errors.js';
import { endpoint, type ApiPlugin } from '../endpoint.js';
import { singleFlight } from './single-flight.js';

/** A health answer is reused this long: a check needs no token, so anyone could otherwise make the server spawn a docker process per request. */
const HEALTH_REUSE_MS = 2_000;
const DOCKER_UNREACHABLE = 'The Docker engine is not reachable';

/** Under /api/svc/v1. */
export const healthRoutes: ApiPlugin<{ ctx: OperationContext; log(message: string): void }> = async (
  app,
  { ctx, log },
) => {
  /**
   * Anyone may ask, so it says whether Docker answers and nothing more: not its version (which
   * tells an attacker what to try), nor docker's own words (DOCKER_HOST, ssh user@host, cert
   * paths), which go to the log. The adapter's deadline ends a docker that does not answer.
   */
  const health = singleFlight(
    async () => {
      try {
        await ctx.docker.serverVersion();
        return { code: 200, body: { status: 'ok', docker: { reachable: true } } };
      } catch (error) {
        log(`health: the Docker engine is not reachable: ${(error as Error).message}`);
        const timeout =
          (error as Error).cause instanceof DockerTimeoutError ? ((error as Error).cause as DockerTimeoutError) : null;
        const problem = timeout ? `The Docker engine ${timeout.summary}` : DOCKER_UNREACHABLE;
        return {
          code: 503,
          body: { status: 'unavailable', error: problem, docker: { reachable: false, error: problem } },
        };
      }
    },
    HEALTH_REUSE_MS,
    () => ctx.clock.now(),
  );

  endpoint(app, '/health', {
    GET: {
      handler: async (_request, reply) => {
        const { code, body } = await health();
        return reply.code(code).send(body);
      },
    },
  });
};
