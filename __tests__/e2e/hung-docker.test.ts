/**
 * A Docker engine that accepts and never answers (issue 20, case 2). Before: API requests never
 * timed out, and every health request left a `docker version` process behind. Now every docker
 * call has a deadline (SVC_DOCKER_TIMEOUT_MS for reads, SVC_DOCKER_CHANGE_TIMEOUT_MS for changes,
 * short here), its process is ended at the deadline, identical reads at the same time share one
 * process, and the answer names the timeout: 503/504 in the API; in the CLI exit 4 when the
 * preflight `docker version` timed out (nothing changed), exit 1 when a call mid-operation did.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeStateDir, removeStateDir, requireBuiltCli, svc } from '../helpers/svc.js';
import { dockerProcessesOf, startFakeDaemon, type FakeDaemon } from '../helpers/fake-docker-daemon.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { request, serve, shutDown, type Served } from './api-helpers.js';

const READ_MS = 700;
const CHANGE_MS = 800;
/** Deadline, the SIGTERM grace (1 s) if docker ignored SIGTERM, and a margin for a loaded machine. */
const ANSWER_WITHIN_MS = READ_MS + 1_000 + 1_500;

let daemon: FakeDaemon;
let served: Served | undefined;
const homes: string[] = [];

const env = () => ({
  DOCKER_HOST: daemon.host,
  SVC_DOCKER_TIMEOUT_MS: String(READ_MS),
  SVC_DOCKER_CHANGE_TIMEOUT_MS: String(CHANGE_MS),
});
const home = () => {
  const dir = makeStateDir();
  homes.push(dir);
  return dir;
};

const serverPid = () => served!.process.pid!;

/** Every docker process of the server seen while `during` runs, by pid, sampled every 20 ms. */
const watchChildren = async <T>(during: Promise<T>): Promise<{ result: T; seen: Map<number, string[]> }> => {
  const seen = new Map<number, string[]>();
  let done = false;
  const watching = (async () => {
    while (!done) {
      for (const child of calls()) if (child.ppid === serverPid()) seen.set(child.pid, child.args);
      await sleep(20);
    }
  })();
  try {
    return { result: await during, seen };
  } finally {
    done = true;
    await watching;
  }
};

const timed = async <T>(work: () => Promise<T>) => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

/** Calls are ended at their deadline; the server's `docker events` (listing-cache.ts) is a stream, ended when the server stops. */
const calls = () => dockerProcessesOf(daemon.host).filter((child) => child.args[1] !== 'events');
const noneLeft = async (which: () => { args: string[] }[]) => {
  const left = await waitFor('the docker processes to end', async () => which().length === 0, 3_000).catch(() =>
    which(),
  );
  expect(left).toBe(true);
};
const noDockerLeft = () => noneLeft(calls);

beforeAll(() => requireBuiltCli());
afterEach(async () => {
  await shutDown(served);
  served = undefined;
  // Streams too: nothing outlives the server.
  await noneLeft(() => dockerProcessesOf(daemon.host));
  await daemon?.close();
});
afterAll(() => homes.forEach(removeStateDir));

describe('svc serve against an engine that never answers', () => {
  beforeEach(async () => {
    daemon = await startFakeDaemon('hung');
    served = await serve({ env: env() });
  });

  test('health answers 503 within the deadline naming the timeout, and no docker process is left', async () => {
    const { result: health, ms } = await timed(() =>
      request(served!, 'GET', '/api/svc/v1/health', { authorization: null }),
    );
    expect(health.status).toBe(503);
    const problem = 'The Docker engine did not answer `docker version` within 0.7 s';
    expect(health.body).toEqual({
      status: 'unavailable',
      error: problem,
      docker: { reachable: false, error: problem },
    });
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    // Before: the docker process stayed (5 of them after 35 s of health checks).
    expect(calls()).toEqual([]);
  });

  test('eight identical list requests at once share one `docker ps`, each gets a 504 naming it, and it is ended', async () => {
    const { result, seen } = await watchChildren(
      timed(() => Promise.all(Array.from({ length: 8 }, () => request(served!, 'GET', '/api/app/v1/service/')))),
    );
    for (const response of result.result) {
      expect(response.status).toBe(504);
      expect(response.body).toEqual({
        error: 'Docker did not answer `docker ps` within 0.7 s; svc ended that docker process',
      });
    }
    expect(result.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect([...seen.values()].filter((args) => args[1] === 'ps')).toHaveLength(1);
    await noDockerLeft();
  });

  test('a flood of health checks costs one docker process at a time, and none is left after', async () => {
    const { seen } = await watchChildren(
      (async () => {
        for (let round = 0; round < 3; round += 1) {
          await Promise.all(
            Array.from({ length: 10 }, () => request(served!, 'GET', '/api/svc/v1/health', { authorization: null })),
          );
        }
      })(),
    );
    // The first round's answer (after the deadline) is reused for 2 s: the rounds after it ask nothing.
    expect([...seen.values()]).toEqual([['docker', 'version', '--format', '{{.Server.Version}}']]);
    await noDockerLeft();
  });
});

describe('the CLI against an engine that never answers', () => {
  beforeEach(async () => {
    daemon = await startFakeDaemon('hung');
  });

  test('service ps exits 1 naming the timed-out `docker ps`, and leaves no docker process', async () => {
    const { result, ms } = await timed(() => svc(['service', 'ps'], { home: home(), env: env() }));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: Docker did not answer `docker ps` within 0\.7 s; svc ended that docker process$/m,
    );
    // Start-up of the launcher and of the CLI on top of the deadline.
    expect(ms).toBeLessThan(ANSWER_WITHIN_MS + 2_000);
    await noDockerLeft();
  });

  test('an operation whose preflight timed out is exit 4 (unreachable, nothing changed), naming the timeout', async () => {
    const dir = home();
    // Recorded against an engine that answers `docker version`, then the engine hangs.
    const ready = await startFakeDaemon('readsOnly');
    const created = await svc(['service', 'create', '-n', 'web', 'svc-busybox:latest', 'sleep', '60'], {
      home: dir,
      env: { ...env(), DOCKER_HOST: ready.host },
    });
    await ready.close();
    expect(created.exitCode).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'state.json'));
    const result = await svc(['service', 'start', 'web'], { home: dir, env: env() });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(
      /Cannot connect to the Docker engine: it did not answer `docker version` within 0\.7 s/,
    );
    expect(fs.readFileSync(path.join(dir, 'state.json')).equals(before)).toBe(true);
    await noDockerLeft();
  });
});

describe('an engine that answers reads and hangs on every change', () => {
  beforeEach(async () => {
    daemon = await startFakeDaemon('readsOnly');
  });

  test('a start in the CLI is exit 1 naming the timed-out `docker create`, never exit 4', async () => {
    const dir = home();
    expect(
      (await svc(['service', 'create', '-n', 'web', 'svc-busybox:latest', 'sleep', '60'], { home: dir, env: env() }))
        .exitCode,
    ).toBe(0);
    const { result, ms } = await timed(() => svc(['service', 'start', 'web'], { home: dir, env: env() }));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Docker did not answer `docker create` within 0\.8 s; svc ended that docker process/);
    expect(ms).toBeLessThan(CHANGE_MS + 1_000 + 3_500);
    await noDockerLeft();
  });

  test('a start over the API is a 504 naming the timed-out `docker create`', async () => {
    served = await serve({ env: env() });
    const made = await request(served, 'POST', '/api/app/v1/service/', {
      body: { image: 'svc-busybox:latest', name: 'web', run_command: 'sleep 60' },
    });
    expect(made.status).toBe(201);
    const started = await request(served, 'POST', `/api/app/v1/service/${made.body.uuid}/start/`);
    expect(started.status).toBe(504);
    expect(started.body).toEqual({
      error: 'Docker did not answer `docker create` within 0.8 s; svc ended that docker process',
    });
    await noDockerLeft();
  });
});
