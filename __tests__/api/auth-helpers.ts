/**
 * The API server in-process on a fake context, listening on 127.0.0.1 (real HTTP, a Host of our
 * choosing: node:http, since fetch will not send one), for the tests of sign-in, sessions, the
 * token and the Host check. Its token is either fixed or the watched file of a temp state dir.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { OperationContext } from '../../src/context.js';
import { buildApiServer } from '../../src/api/server.js';
import type { TokenSource } from '../../src/api/token.js';

/** Nothing but what the web routes, the event list and the event stream ask for. */
export const fakeContext = (): OperationContext =>
  ({
    clock: { now: () => Date.now() },
    docker: { serverVersion: async () => '27.0.0' },
    store: { readEvents: () => [], followEvents: () => ({ stop: () => {} }) },
    backend: { list: async () => [] },
  }) as unknown as OperationContext;

export interface Listening {
  app: FastifyInstance;
  port: number;
  origin: string;
}

export const listen = async (
  token: string | TokenSource,
  host = '127.0.0.1',
  publicOrigin?: string,
): Promise<Listening> => {
  const app = buildApiServer(fakeContext(), {
    token,
    address: { host, port: 0, publicOrigin },
    log: () => {},
    webDir: null,
  });
  await app.listen({ host, port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, port, origin: `http://127.0.0.1:${port}` };
};

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request; `Host` defaults to the address it is sent to. */
export const send = (
  server: Listening,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      Host: `127.0.0.1:${server.port}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...options.headers,
    };
    const request = http.request(
      { host: '127.0.0.1', port: server.port, method, path, headers, agent: false },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body: text ? JSON.parse(text) : null }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const withSession = (id: string) => ({ 'X-Svc-Session': id });

/** A session, signed in with the token as the page's sign-in form sends it. */
export const signIn = async (server: Listening, token: string): Promise<string> => {
  const answer = await send(server, 'POST', '/ui/session', { headers: { Origin: server.origin }, body: { token } });
  if (answer.status !== 200) throw new Error(`sign-in refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.session as string;
};

/** An open event stream; `ended` resolves when the server ends it. */
export const openStream = (
  server: Listening,
  headers: Record<string, string>,
): Promise<{ status: number; ended: Promise<void>; close(): void }> =>
  new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/api/svc/v1/events/stream/',
        headers: { Host: `127.0.0.1:${server.port}`, ...headers },
        agent: false,
      },
      (response) => {
        const ended = new Promise<void>((done) => {
          response.on('end', done);
          response.on('close', done);
        });
        response.resume();
        resolve({ status: response.statusCode!, ended, close: () => request.destroy() });
      },
    );
    request.on('error', reject);
  });
