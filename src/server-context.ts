/**
 * The API server's composition: what `svc serve` (and the supervisor's server, its child) runs on.
 * One listing of the containers, and one parse of state.json, serve many requests until Docker
 * reports a change or the file changes; the token file is watched, so a rotation counts at once.
 */
import type { Context, OperationContext } from './context.js';
import { withListingCache } from './adapters/listing-cache.js';
import { withStateReadCache } from './adapters/state-read-cache.js';
import { createLocalBackend } from './engine/local/local-backend.js';
import { withSwarm } from './main-context.js';
import type { ListenAddress } from './api/listen.js';
import { memoizedObserve } from './api/observe-memo.js';
import { startApi, type RunningApi } from './api/start.js';
import { apiToken, watchedToken } from './api/token.js';

/** The server's context on the command's (see the header); close() ends the listing cache's event stream. */
const serverContext = (ctx: Context, enforcePolicies: () => Promise<void>): OperationContext & { close(): void } => {
  const docker = withListingCache(ctx.docker);
  const engine = { docker, store: withStateReadCache(ctx.store), clock: ctx.clock };
  const local = { ...createLocalBackend(engine, enforcePolicies), observe: memoizedObserve(engine) };
  const backend = withSwarm(engine, local, ctx.settings, (message) => ctx.io.stderr.write(`${message}\n`));
  return { ...engine, backend, close: () => docker.close() };
};

/**
 * The API server on its own context (see serverContext), for `svc serve` and the supervisor started
 * with --listen: closing it closes both; a server that cannot listen leaves nothing open.
 */
export const startServer = async (
  ctx: Context,
  enforcePolicies: () => Promise<void>,
  options: { address: ListenAddress; log(message: string): void },
): Promise<RunningApi> => {
  // Made now if there is none; from then on read again whenever the file changes (token.ts).
  apiToken(ctx.store.dir);
  const token = watchedToken(ctx.store.dir);
  const serverCtx = serverContext(ctx, enforcePolicies);
  const api = await startApi(serverCtx, { ...options, token }).catch((error: unknown) => {
    serverCtx.close();
    token.close();
    throw error;
  });
  return {
    url: api.url,
    close: async () => {
      await api.close();
      serverCtx.close();
      token.close();
    },
  };
};
