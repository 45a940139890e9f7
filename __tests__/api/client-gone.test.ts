/**
 * The server in-process on a fake context: a client that leaves while a handler still awaits its
 * first answer (the event stream resolving its query, a Fly wait finding its machine) leaves nothing
 * behind, though its 'close' fired before the handler could listen for it. And the public health
 * check keeps docker's own words (hosts, users, paths) to the server's log.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { OperationContext } from '../../src/context.js';
import type { Workload } from '../../src/core/workload.js';
import { buildApiServer } from '../../src/api/server.js';
import { sleep, waitFor } from '../helpers/wait.js';

const TOKEN = 'svc_test-token';
const MACHINE = {
  id: '0123456789abcd',
  dialect: 'machine',
  backend: 'local',
  name: 'm1',
  app: 'app1',
  intent: 'running',
  instances: [],
} as unknown as Workload;

/** A context whose workload listing waits until `release()`; counts what the handlers go on to do. */
const fakeContext = (options: { serverVersion?: () => Promise<string> } = {}) => {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const counts = { listings: 0, observations: 0, follows: 0, followsStopped: 0 };
  const ctx = {
    clock: { now: () => Date.now() },
    docker: { serverVersion: options.serverVersion ?? (async () => '27.0.0') },
    store: {
      readEvents: () => [],
      followEvents: () => {
        counts.follows += 1;
        return { stop: () => (counts.followsStopped += 1) };
      },
    },
    backend: {
      list: async (dialect: string) => {
        counts.listings += 1;
        await released;
        return dialect === 'machine' ? [MACHINE] : [];
      },
      observe: async () => {
        counts.observations += 1;
        throw new Error('observed after the client left');
      },
    },
  } as unknown as OperationContext;
  return { ctx, counts, release };
};

const openConnections = (app: FastifyInstance) =>
  new Promise<number>((resolve, reject) =>
    app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

/**
 * Starts a request, and closes its connection once the handler awaits the listing; resolves when the
 * server saw it closed. node:http rather than fetch: an aborted fetch may leave its socket open a while.
 */
const leaveDuringListing = async (app: FastifyInstance, counts: { listings: number }, pathAndQuery: string) => {
  const { port } = app.server.address() as AddressInfo;
  const sent = http.get({ host: '127.0.0.1', port, path: pathAndQuery, headers: { Authorization: `Bearer ${TOKEN}` } });
  sent.on('error', () => {});
  await waitFor('the handler to ask for the listing', async () => counts.listings > 0, 5_000);
  sent.destroy();
  await waitFor('the server to see the connection closed', async () => (await openConnections(app)) === 0, 5_000);
};

const listening = async (ctx: OperationContext, logs: string[] = []) => {
  const app = buildApiServer(ctx, { token: TOKEN, log: (message) => logs.push(message), webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return app;
};

test('an event stream whose client left while its query was resolved does not follow the event log', async () => {
  const { ctx, counts, release } = fakeContext();
  const app = await listening(ctx);
  try {
    await leaveDuringListing(app, counts, '/api/svc/v1/events/stream/?workload=m1');
    release();
    await sleep(200);
    expect(counts.follows - counts.followsStopped).toBe(0);
  } finally {
    await app.close();
  }
});

test('a Fly wait whose client left while its machine was looked up does not go on polling', async () => {
  const { ctx, counts, release } = fakeContext();
  const app = await listening(ctx);
  try {
    await leaveDuringListing(app, counts, `/v1/apps/app1/machines/${MACHINE.id}/wait?state=stopped&timeout=5`);
    release();
    await sleep(300);
    expect(counts.observations).toBe(0);
  } finally {
    await app.close();
  }
});

test("the public health check says the engine is not reachable, and only the log has docker's words", async () => {
  const secret = 'error during connect: ssh://deploy@prod.example:22 (cert /home/deploy/.docker/cert.pem)';
  const { ctx } = fakeContext({ serverVersion: async () => Promise.reject(new Error(secret)) });
  const logs: string[] = [];
  const app = await listening(ctx, logs);
  try {
    // No token: anyone may ask. (app.inject needs light-my-request, which Jest's ESM mode cannot load.)
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/svc/v1/health`);
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: 'unavailable',
      error: 'The Docker engine is not reachable',
      docker: { reachable: false, error: 'The Docker engine is not reachable' },
    });
    expect(text).not.toMatch(/deploy|ssh|cert/);
    expect(logs).toEqual([expect.stringContaining(secret)]);
  } finally {
    await app.close();
  }
});

test('an event stream whose query is still being resolved when the server closes gets a 503, and close() does not wait for it', async () => {
  const { ctx, counts, release } = fakeContext();
  const app = await listening(ctx);
  const { port } = app.server.address() as AddressInfo;
  const answered = new Promise<number>((resolve, reject) => {
    const sent = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/svc/v1/events/stream/?workload=m1',
        headers: { Authorization: `Bearer ${TOKEN}` },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    sent.on('error', reject);
  });
  await waitFor('the handler to ask for the listing', async () => counts.listings > 0, 5_000);
  const closed = app.close();
  // close() runs the server's preClose hooks, then stops listening.
  await waitFor('the server to stop listening', async () => !app.server.listening, 5_000);
  release();
  expect(await answered).toBe(503);
  await closed;
  expect(counts.follows - counts.followsStopped).toBe(0);
});

/** The server closes, and the client sees its end, within 2 s: nothing waits out a timeout (a minute and more). */
const closesPromptly = async (app: FastifyInstance, clientSeesEnd: Promise<void>) => {
  const started = Date.now();
  await app.close();
  await clientSeesEnd;
  expect(Date.now() - started).toBeLessThan(2_000);
};

test('closing the server ends a live event stream, and does not wait out the keep-alive of its connection', async () => {
  const { ctx, release } = fakeContext();
  release();
  const app = await listening(ctx);
  const { port } = app.server.address() as AddressInfo;
  // A client that keeps its connection once the stream ends, as a browser does.
  const agent = new http.Agent({ keepAlive: true });
  let streaming = false;
  try {
    const streamEnded = new Promise<void>((resolve, reject) => {
      const sent = http.get(
        {
          host: '127.0.0.1',
          port,
          agent,
          path: '/api/svc/v1/events/stream/',
          headers: { Authorization: `Bearer ${TOKEN}` },
        },
        (response) => {
          streaming = response.statusCode === 200;
          response.resume();
          response.on('end', resolve);
        },
      );
      sent.on('error', reject);
    });
    await waitFor('the stream to be open', async () => streaming, 5_000);
    await closesPromptly(app, streamEnded);
  } finally {
    agent.destroy();
  }
});

test('closing the server closes a connection on which no request has begun (a browser opens such ahead of need)', async () => {
  const { ctx } = fakeContext();
  const app = await listening(ctx);
  const { port } = app.server.address() as AddressInfo;
  const unused = net.connect(port, '127.0.0.1');
  const closedByServer = new Promise<void>((resolve) => unused.on('close', () => resolve()));
  try {
    await waitFor('the server to hold the connection', async () => (await openConnections(app)) === 1, 5_000);
    await closesPromptly(app, closedByServer);
  } finally {
    unused.destroy();
  }
});
