/**
 * The server in-process with small limits: connections that never send a request are capped and
 * closed after the headers timeout, what it turns away is said once in its log, and a live event
 * stream outlives the request timeout (it is an answer, not a request).
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { OperationContext } from '../../src/context.js';
import type { WorkloadEvent } from '../../src/core/events.js';
import { buildApiServer } from '../../src/api/server.js';
import { connectionLimits, openFileLimit, type ConnectionLimits } from '../../src/api/connection-limits.js';
import { sleep, waitFor } from '../helpers/wait.js';

const TOKEN = 'svc_test-token';
const LIMITS: ConnectionLimits = {
  maxConnections: 5,
  headersTimeoutMs: 600,
  requestTimeoutMs: 800,
  keepAliveTimeoutMs: 500,
  checkEveryMs: 100,
};

/** Enough of a context for health and the event stream; `emit` appends an event to the followed log. */
const fakeContext = () => {
  const followers = new Set<(event: WorkloadEvent) => void>();
  const ctx = {
    clock: { now: () => Date.now() },
    docker: { serverVersion: async () => '27.0.0' },
    backend: { list: async () => [] },
    store: {
      readEvents: () => [],
      followEvents: (onEvent: (event: WorkloadEvent) => void) => {
        followers.add(onEvent);
        return { stop: () => followers.delete(onEvent) };
      },
    },
  } as unknown as OperationContext;
  const emit = (event: WorkloadEvent) => followers.forEach((onEvent) => onEvent(event));
  return { ctx, emit };
};

let app: FastifyInstance;
let port: number;
let logs: string[];
const sockets: net.Socket[] = [];

beforeEach(async () => {
  logs = [];
  app = buildApiServer(fakeContext().ctx, {
    token: TOKEN,
    log: (message) => logs.push(message),
    webDir: null,
    limits: LIMITS,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterEach(async () => {
  sockets.forEach((socket) => socket.destroy());
  sockets.length = 0;
  await app.close();
});

const openConnections = () =>
  new Promise<number>((resolve, reject) =>
    app.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );

/** A connection that sends half a request line and then nothing; resolves once connected. */
const idleConnection = () =>
  new Promise<net.Socket>((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET /api/svc/v1/health HTTP/1.1\r\nHost: x\r\n');
      resolve(socket);
    });
    socket.on('error', () => {});
    sockets.push(socket);
  });

test.each([
  ['Max open files            1024                 4096                 files     ', 1024],
  ['Max open files            unlimited            unlimited            files     ', 1 << 20],
  ['no such line', 1024],
])('the open-file limit is read from /proc/self/limits: %j', (text, limit) => {
  expect(
    openFileLimit(`Limit                     Soft Limit           Hard Limit           Units     \n${text}\n`),
  ).toBe(limit);
});

test('half the descriptors go to connections, and never fewer than 16', () => {
  expect(connectionLimits(1024).maxConnections).toBe(512);
  expect(connectionLimits(20).maxConnections).toBe(16);
  expect(connectionLimits(openFileLimit()).maxConnections).toBeGreaterThanOrEqual(16);
});

test('connections past the cap are closed at once, said once in the log; idle ones go at the headers timeout; then the server answers', async () => {
  for (let i = 0; i < 12; i += 1) await idleConnection();
  await waitFor(
    'the server to hold only its cap',
    async () => (await openConnections()) <= LIMITS.maxConnections,
    2_000,
  );
  expect(await openConnections()).toBe(LIMITS.maxConnections);
  expect(logs.filter((line) => /turning connections away/.test(line))).toEqual([
    expect.stringMatching(/5 are open, the most this server holds/),
  ]);
  await waitFor('the idle connections to be closed', async () => (await openConnections()) === 0, 3_000);
  const health = await fetch(`http://127.0.0.1:${port}/api/svc/v1/health`);
  expect(health.status).toBe(200);
});

test('a live event stream outlives the request timeout and still delivers events', async () => {
  await app.close();
  const { ctx, emit } = fakeContext();
  app = buildApiServer(ctx, { token: TOKEN, log: (message) => logs.push(message), webDir: null, limits: LIMITS });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
  let received = '';
  let ended = false;
  const request = http.get(
    { host: '127.0.0.1', port, path: '/api/svc/v1/events/stream/', headers: { Authorization: `Bearer ${TOKEN}` } },
    (response) => {
      response.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
      response.on('close', () => (ended = true));
    },
  );
  request.on('error', () => {});
  try {
    await waitFor('the stream to begin', async () => received.includes(': svc events'), 2_000);
    await sleep(LIMITS.requestTimeoutMs * 3);
    expect(ended).toBe(false);
    emit({
      time: Date.now(),
      workloadId: 'w1',
      workloadName: 'web',
      instance: 1,
      containerId: null,
      exitCode: 1,
      oomKilled: false,
      action: 'restart',
      reason: 'exit code 1',
      source: 'supervisor',
    });
    await waitFor('the event to arrive', async () => /data: .*"restart"/.test(received), 2_000);
  } finally {
    request.destroy();
  }
});
