/**
 * The public health check (no token) says whether Docker answers, and nothing more (issue 20,
 * case 10): before, it showed the engine's version to anyone who asked, which tells an attacker
 * which engine bugs to try. A timeout is said as such; docker's own words stay in the log.
 */
import type { AddressInfo } from 'node:net';
import type { OperationContext } from '../../src/context.js';
import { buildApiServer } from '../../src/api/server.js';
import { DockerTimeoutError, DockerUnreachableError } from '../../src/errors.js';

const VERSION = '27.3.1';

const healthOf = async (serverVersion: () => Promise<string>) => {
  const ctx = {
    clock: { now: () => Date.now() },
    docker: { serverVersion },
    store: { readEvents: () => [], followEvents: () => ({ stop: () => {} }) },
    backend: {},
  } as unknown as OperationContext;
  const logs: string[] = [];
  const app = buildApiServer(ctx, { token: 'svc_test-token', log: (message) => logs.push(message), webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // No token: anyone may ask. (app.inject needs light-my-request, which Jest's ESM mode cannot load.)
    const response = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/svc/v1/health`);
    return { status: response.status, text: await response.text(), logs };
  } finally {
    await app.close();
  }
};

test('Docker answers: 200 saying so, without its version', async () => {
  const { status, text } = await healthOf(async () => VERSION);
  expect(status).toBe(200);
  expect(JSON.parse(text)).toEqual({ status: 'ok', docker: { reachable: true } });
  expect(text).not.toContain(VERSION);
});

test("Docker did not answer in time: 503 naming the timeout, and docker's words only in the log", async () => {
  const timeout = new DockerTimeoutError('docker version', 10_000);
  const { status, text, logs } = await healthOf(async () =>
    Promise.reject(new DockerUnreachableError(`it ${timeout.summary}`, timeout)),
  );
  expect(status).toBe(503);
  const problem = 'The Docker engine did not answer `docker version` within 10 s';
  expect(JSON.parse(text)).toEqual({
    status: 'unavailable',
    error: problem,
    docker: { reachable: false, error: problem },
  });
  expect(logs).toEqual([
    expect.stringContaining('Cannot connect to the Docker engine: it did not answer `docker version` within 10 s'),
  ]);
});
