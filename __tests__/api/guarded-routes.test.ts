/**
 * Which routes need credentials is decided by where they are registered (server.ts): every route
 * inside the guarded context refuses an anonymous request, and only health and the web page's own
 * routes, registered beside it, answer one. Every route the server has is asked, so a new one that
 * lands outside the guard by mistake fails here.
 */
import type { AddressInfo } from 'node:net';
import type { RouteOptions } from 'fastify';
import { buildApiServer } from '../../src/api/server.js';
import { bearer, fakeContext, send, type Listening } from './auth-helpers.js';

const TOKEN = 'guarded-routes-test-token';
const PUBLIC_PATHS = new Set(['/api/svc/v1/health', '/', '/ui/app.js', '/ui/app.css', '/ui/session']);

/** The server listening, with every route it registered (the hook is in place before its plugins run). */
const listenRecordingRoutes = async () => {
  const app = buildApiServer(fakeContext(), {
    token: TOKEN,
    address: { host: '127.0.0.1', port: 0 },
    log: () => {},
    webDir: null,
  });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const server: Listening = { app, port, origin: `http://127.0.0.1:${port}` };
  return { server, routes };
};

/** A path with a sample value for each parameter. */
const concrete = (url: string) => url.replace(/:[a-z]+/g, 'x1');

describe('the guarded context', () => {
  let server: Listening;
  let routes: { method: string; url: string }[];
  beforeAll(async () => ({ server, routes } = await listenRecordingRoutes()));
  afterAll(() => server.app.close());

  it('holds every route but health and the web page', async () => {
    expect(routes.length).toBeGreaterThan(50);
    const answers = await Promise.all(
      routes.map(async ({ method, url }) => {
        const { status } = await send(server, method, concrete(url));
        return { route: `${method} ${url}`, isPublic: PUBLIC_PATHS.has(url), status };
      }),
    );
    // A guarded route refuses the anonymous request (401); a public one answers it some other way.
    expect(answers.filter((answer) => (answer.status === 401) === answer.isPublic)).toEqual([]);
    // Each public path answers without the token, its 405s included.
    expect(new Set(answers.filter((a) => a.isPublic).map((a) => a.route.split(' ')[1]))).toEqual(PUBLIC_PATHS);
  });

  it('asks for credentials on a path no route has, and answers 404 once they are given', async () => {
    expect((await send(server, 'GET', '/nowhere')).status).toBe(401);
    const signed = await send(server, 'GET', '/nowhere', { headers: bearer(TOKEN) });
    expect(signed).toEqual(expect.objectContaining({ status: 404, body: { error: 'no such API path: /nowhere' } }));
  });

  it('checks the Host on public routes too', async () => {
    expect((await send(server, 'GET', '/api/svc/v1/health', { headers: { Host: 'evil.example' } })).status).toBe(421);
  });
});
