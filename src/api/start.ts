/** Starting and stopping the API server, for `svc serve` and for the supervisor started with --listen. */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { OperationContext } from '../context.js';
import { UserError } from '../errors.js';
import { baseUrl, type ListenAddress } from './listen.js';
import { buildApiServer } from './server.js';
import type { TokenSource } from './token.js';

export interface RunningApi {
  /** `http://127.0.0.1:7420`, with the port the system chose for port 0. */
  url: string;
  /** Stops taking requests, lets those under way finish, ends the event streams. */
  close(): Promise<void>;
}

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied (ports below 1024 need root)',
  EADDRNOTAVAIL: 'this host has no such address',
};

/** dist/web/ beside the bundle; from the sources (tests in-process) there is none, and only the APIs are served. */
const builtWebDir = () => fileURLToPath(new URL('./web/', import.meta.url));

export const startApi = async (
  ctx: OperationContext,
  options: { address: ListenAddress; token: string | TokenSource; log(message: string): void },
): Promise<RunningApi> => {
  const app = buildApiServer(ctx, {
    token: options.token,
    address: options.address,
    log: options.log,
    webDir: builtWebDir(),
  });
  const { host, port } = options.address;
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new UserError(
      `Cannot listen on ${host}:${port}: ${LISTEN_PROBLEMS[code] ?? (error as Error).message}${code ? ` (${code})` : ''}`,
      {
        hint: 'Choose another address with --listen HOST:PORT.',
        cause: error,
      },
    );
  }
  const { port: actualPort } = app.server.address() as AddressInfo;
  return { url: baseUrl({ host, port: actualPort }), close: () => app.close() };
};
