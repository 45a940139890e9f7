/**
 * `svc serve` and `svc daemon start --listen` as processes: the token, where they may listen, and a
 * clean stop on SIGTERM (requests under way finish, live event streams end, exit 0).
 */
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { request, serve, shutDown, type Served } from './api-helpers.js';
import { ok } from './supervisor-helpers.js';

const made: string[] = [];
const homes: string[] = [];
const home = () => {
  const dir = makeStateDir();
  homes.push(dir);
  return dir;
};

beforeAll(requireDocker);
afterAll(async () => {
  await cleanupContainers(made);
  for (const dir of homes) {
    await svc(['daemon', 'stop'], { home: dir });
    removeStateDir(dir);
  }
});

test('the token is made on first use, private, and the same every time', async () => {
  const dir = home();
  const first = await svc(['serve', '--print-token'], { home: dir });
  expect(first.exitCode).toBe(0);
  expect(first.stdout).toMatch(/^svc_[0-9a-f]{64}$/);
  expect((await svc(['serve', '--print-token'], { home: dir })).stdout).toBe(first.stdout);
  expect(fs.statSync(path.join(dir, 'api-token')).mode & 0o777).toBe(0o600);
  expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  fs.chmodSync(path.join(dir, 'api-token'), 0o644);
  await svc(['serve', '--print-token'], { home: dir });
  expect(fs.statSync(path.join(dir, 'api-token')).mode & 0o777).toBe(0o600);
});

test.each([
  [['--listen', '0.0.0.0:7420'], /not a loopback address/, /--allow-remote/],
  [['--listen', '192.168.0.1:0'], /not a loopback address/, /--allow-remote/],
  [['--listen', 'localhost'], /expected HOST:PORT/, /./],
])('svc serve %j is a usage error before anything listens', async (args, message, hint) => {
  const result = await svc(['serve', ...args], { home: home() });
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(hint);
});

test('a non-loopback address is served with --allow-remote, and said out loud', async () => {
  const dir = home();
  const child = execa(SVC_BIN, ['serve', '--listen', '0.0.0.0:0', '--allow-remote'], {
    env: { SVC_HOME: dir, SVC_NO_AUTOSTART: '1' },
    reject: false,
    buffer: false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const url = await waitFor('the URL', async () => /^http:\/\/0\.0\.0\.0:(\d+)$/m.exec(stdout)?.[1]);
  expect(stderr).toMatch(/Warning: the API listens on 0\.0\.0\.0, reachable from other hosts/);
  const health = await fetch(`http://127.0.0.1:${url}/api/svc/v1/health`);
  expect(health.status).toBe(200);
  child.kill('SIGTERM');
  expect((await child).exitCode).toBe(0);
});

test('an address in use is exit 1 naming it', async () => {
  const served = await serve({ home: home() });
  try {
    const port = new URL(served.url).port;
    const result = await svc(['serve', '--listen', `127.0.0.1:${port}`], { home: home() });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${port}: the address is already in use`),
    );
  } finally {
    await shutDown(served, { keepHome: true });
  }
});

describe('on SIGTERM', () => {
  let served: Served;
  beforeEach(async () => {
    served = await serve({ home: home() });
  });
  afterEach(async () => shutDown(served, { keepHome: true }));

  test('a request under way finishes with its answer, then the server exits 0', async () => {
    const app = uniqueName('term');
    // A process that ignores SIGTERM: stopping it takes the whole grace period asked for.
    const created = await request(served, 'POST', `/v1/apps/${app}/machines`, {
      body: {
        config: {
          image: TEST_IMAGE,
          init: { cmd: ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"] },
          restart: { policy: 'no' },
        },
      },
    });
    expect(created.status).toBe(200);
    made.push(created.body.id);
    const started = Date.now();
    const stopping = request(served, 'POST', `/v1/apps/${app}/machines/${created.body.id}/stop`, {
      body: { timeout: 2 },
    });
    await waitFor(
      'the stop under way',
      async () =>
        (await request(served, 'GET', `/v1/apps/${app}/machines/${created.body.id}`)).body.state === 'stopping',
    );
    const exited = served.stop();
    const answer = await stopping;
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(await exited).toBe(0);
    expect(served.stderr()).toMatch(/SIGTERM: stopping once the requests under way have finished/);
    expect(ok(await svc(['m', 'status', created.body.id], { home: served.home }))).toMatch(/State: stopped/);
  });

  test('a wait under way ends at once with 503 rather than hold the server up for its timeout', async () => {
    const app = uniqueName('wait');
    const created = await request(served, 'POST', `/v1/apps/${app}/machines`, {
      body: { config: { image: TEST_IMAGE, init: { cmd: ['sleep', '3600'] }, restart: { policy: 'no' } } },
    });
    made.push(created.body.id);
    const started = Date.now();
    const waiting = request(served, 'GET', `/v1/apps/${app}/machines/${created.body.id}/wait?state=stopped&timeout=60`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = served.stop();
    const answer = await waiting;
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatch(/the server is stopping/);
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('a live event stream ends, and does not keep the server from stopping', async () => {
    const stream = await fetch(`${served.url}/api/svc/v1/events/stream/`, {
      headers: { Authorization: `Bearer ${served.token}` },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^: svc events/);
    const started = Date.now();
    expect(await served.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await reader.read()).done).toBe(true);
  });
});

test('daemon start --listen supervises and serves (from a child process of the supervisor); status says where; stop ends both', async () => {
  const dir = home();
  const started = await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home: dir });
  expect(started.exitCode).toBe(0);
  const url = started.stdout.trim();
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const status = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home: dir })));
  expect(status).toMatchObject({ running: true, api_url: url });
  expect(ok(await svc(['daemon', 'status'], { home: dir }))).toMatch(
    new RegExp(`api: +serving ${url.replace(/\./g, '\\.')}`),
  );
  const token = ok(await svc(['serve', '--print-token'], { home: dir }));
  const served = { url, token } as Served;
  const created = await request(served, 'POST', '/api/app/v1/service/', {
    body: { image: TEST_IMAGE, name: uniqueName('daemon-api'), run_command: 'sleep 3600' },
  });
  expect(created.status).toBe(201);
  made.push(created.body.uuid);
  expect((await request(served, 'POST', `/api/app/v1/service/${created.body.uuid}/start/`)).status).toBe(202);
  // The operation found the supervisor running (this very process): no other was started.
  const pidFile = JSON.parse(fs.readFileSync(path.join(dir, 'supervisor.pid'), 'utf8'));
  expect(pidFile.pid).toBe(status.pid);
  ok(await svc(['daemon', 'stop'], { home: dir }));
  expect(JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home: dir }))).running).toBe(false);
  await expect(fetch(`${url}/api/svc/v1/health`)).rejects.toThrow();
});

test('daemon start --listen refuses a supervisor already running without the API', async () => {
  const dir = home();
  ok(await svc(['daemon', 'start'], { home: dir }));
  const result = await svc(['daemon', 'start', '--listen', '127.0.0.1:0'], { home: dir });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/does not serve the APIs/);
});

test('daemon run stops itself on SIGTERM and exits 0', async () => {
  const dir = home();
  const child = execa(SVC_BIN, ['daemon', 'run'], { env: { SVC_HOME: dir }, reject: false, buffer: false });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  await waitFor('the supervisor to connect', async () => /connected to Docker/.test(stderr));
  child.kill('SIGTERM');
  const result = await child;
  expect(result.exitCode).toBe(0);
  expect(stderr).toMatch(/SIGTERM: stopping/);
});
