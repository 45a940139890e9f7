/**
 * The swarm backend's rules that need no swarm, against an in-memory swarm client: a changed spec
 * the swarm refuses makes the old service again, or, when the swarm refuses that too, says all the
 * lost service was but its env values; and what a swarm cannot keep is refused before anything is made.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/adapters/store.js';
import type { OperationContext } from '../../../src/context.js';
import { servicePolicyFromWords } from '../../../src/core/dialects/dockercloud.js';
import type { WorkloadSpec } from '../../../src/core/workload.js';
import { createSwarmBackend } from '../../../src/engine/swarm/swarm-backend.js';
import type { SwarmClient, SwarmService, SwarmServiceSpec, SwarmTask } from '../../../src/engine/ports/swarm-client.js';
import { UserError } from '../../../src/errors.js';
import { buildApiServer } from '../../../src/api/server.js';
import { machinePolicyFromConfig } from '../../../src/core/dialects/fly.js';
import type { AddressInfo } from 'node:net';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-swarm-backend-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A swarm manager in memory: services by id, and a switch that makes the next create fail. */
const memorySwarm = () => {
  const services = new Map<string, SwarmServiceSpec>();
  const tasks: SwarmTask[] = [];
  let next = 0;
  let refuseCreates = 0;
  const asService = (id: string, spec: SwarmServiceSpec): SwarmService => ({
    id,
    name: spec.name,
    labels: spec.labels,
    image: spec.image,
    command: spec.entrypoint === null ? [] : [spec.entrypoint],
    args: [...spec.command],
    env: spec.env.map((v) => `${v.key}=${v.value}`),
    memoryBytes: spec.memoryMb === null ? null : spec.memoryMb * 1024 * 1024,
    replicas: spec.replicas,
    createdAt: '',
    updatedAt: '',
  });
  const client: SwarmClient = {
    requireManager: async () => {},
    services: async (filter) =>
      [...services]
        .filter(([, spec]) => !filter || spec.labels[filter.label] === filter.value)
        .map(([id, spec]) => asService(id, spec)),
    tasks: async (serviceIds) => tasks.filter((t) => serviceIds.includes(t.serviceId)),
    nodes: async () => [],
    create: async (spec) => {
      if (refuseCreates > 0) {
        refuseCreates -= 1;
        throw new Error('Error response from daemon: rpc error: invalid image reference\nmore detail');
      }
      const id = `svc${(next += 1)}`;
      services.set(id, structuredClone(spec));
      return id;
    },
    update: async () => {},
    remove: async (id) => void services.delete(id),
    logs: () => ({ done: Promise.resolve({ exitCode: 0, stderr: '' }), stop: () => {} }),
  };
  return { client, services, tasks, refuseNextCreates: (n: number) => (refuseCreates = n) };
};

const setup = () => {
  const swarm = memorySwarm();
  const ctx = { store: openStore(dir), clock: { now: () => 1_000 }, docker: {} } as unknown as OperationContext;
  const backend = createSwarmBackend(ctx, swarm.client, { markInUse: () => {} });
  ctx.backend = backend;
  return { swarm, backend, ctx };
};

const SPEC: WorkloadSpec = {
  image: 'svc-busybox:latest',
  command: ['sleep', '3600'],
  entrypoint: null,
  env: [],
  memoryMb: null,
};

const createWeb = (backend: ReturnType<typeof setup>['backend'], spec: WorkloadSpec = SPEC) =>
  backend.create(
    {
      dialect: 'service',
      backend: 'swarm',
      name: 'web',
      app: null,
      processGroup: null,
      spec,
      policy: servicePolicyFromWords({ autorestart: 'ALWAYS', autoreplace: 'OFF', autodestroy: 'OFF' }),
      targetInstances: 2,
    },
    { start: true },
  );

test('a new spec the swarm refuses leaves the service as it was, and the event log says so', async () => {
  const { swarm, backend, ctx } = setup();
  const made = await createWeb(backend);
  swarm.refuseNextCreates(1);
  const failure = backend.replaceSpec(made.id, { ...SPEC, image: 'no-such:image' }, 'config updated');
  await expect(failure).rejects.toThrow(UserError);
  await expect(failure).rejects.toThrow(
    /^The swarm refused the new spec of web \(Error response .*invalid image reference\); its old service was made again as it was, as a new swarm service \(its task history starts over\)$/,
  );
  const specs = [...swarm.services.values()];
  expect(specs).toHaveLength(1);
  expect(specs[0]).toMatchObject({ image: 'svc-busybox:latest', command: ['sleep', '3600'], replicas: 2 });
  expect((await backend.list('service')).map((w) => w.id)).toEqual([made.id]);
  const last = ctx.store.readEvents().at(-1)!;
  expect(last).toMatchObject({
    workloadId: made.id,
    action: 'update',
    reason: expect.stringMatching(
      /^the swarm refused the new spec \(Error response .*invalid image reference\); the service was made again as it was$/,
    ),
  });
});

test('when the swarm refuses the old spec too, the error says the service is gone and all it was but env values', async () => {
  const { swarm, backend } = setup();
  const made = await createWeb(backend, {
    ...SPEC,
    command: ['sh', '-c', 'sleep 5; exit 3'],
    entrypoint: '/bin/my tool',
    env: [
      { key: 'MODE', value: 'plain-value' },
      { key: 'TOKEN', value: 'secret-value', secret: true },
    ],
    memoryMb: 64,
  });
  swarm.refuseNextCreates(2);
  const failure = backend.replaceSpec(made.id, { ...SPEC, image: 'no-such:image' }, 'config updated');
  await expect(failure).rejects.toThrow(UserError);
  const error = (await failure.catch((e: unknown) => e)) as UserError;
  expect(error.message).toMatch(/refused the new spec of web .* and then its old one .*: its swarm service is gone/);
  expect(error.message).toContain(
    "It was: image svc-busybox:latest; command sh -c 'sleep 5; exit 3'; entrypoint '/bin/my tool'; target 2 instances; memory 64 MB; " +
      'autorestart ALWAYS, autoreplace OFF, autodestroy OFF; env keys MODE, TOKEN (values not shown)',
  );
  expect(error.message).not.toMatch(/plain-value|secret-value/);
  expect(error.hint).toMatch(/svc service run --backend swarm/);
  expect(swarm.services.size).toBe(0);
});

test('an accepted spec replaces the service under the same svc id', async () => {
  const { swarm, backend } = setup();
  const made = await createWeb(backend);
  const changed = await backend.replaceSpec(made.id, { ...SPEC, command: ['sleep', '5'] }, 'config updated');
  expect(changed.id).toBe(made.id);
  expect([...swarm.services.values()].map((s) => s.command)).toEqual([['sleep', '5']]);
});

test("an empty entrypoint (clearing the image's) is refused before anything is made", async () => {
  const { swarm, backend } = setup();
  await expect(createWeb(backend, { ...SPEC, entrypoint: '' })).rejects.toThrow(
    /empty --entrypoint .* cannot be kept on a swarm/,
  );
  expect(swarm.services.size).toBe(0);
  const made = await createWeb(backend);
  await expect(backend.replaceSpec(made.id, { ...SPEC, entrypoint: '' }, 'config updated')).rejects.toThrow(
    /empty --entrypoint/,
  );
  expect(swarm.services.size).toBe(1);
});

/** A task of slot 1 of the first service made, at times in ms. */
const task = (id: string, fields: Partial<SwarmTask>): SwarmTask => ({
  id,
  serviceId: 'svc1',
  slot: 1,
  nodeId: 'node1',
  state: 'running',
  desiredState: 'running',
  time: 0,
  createdAt: 0,
  containerId: null,
  exitCode: null,
  error: '',
  spec: 'spec',
  ...fields,
});

test("the Fly API gives a swarm machine's task history, in its events and in the machine object, as `m status` shows it", async () => {
  const { swarm, backend, ctx } = setup();
  const machine = await backend.create(
    {
      dialect: 'machine',
      backend: 'swarm',
      name: 'worker',
      app: 'app1',
      processGroup: 'app',
      spec: SPEC,
      policy: machinePolicyFromConfig({ policy: 'on-failure', max_retries: 5 }),
      targetInstances: 1,
    },
    { start: true },
  );
  // The swarm restarted the task once after it exited with 3.
  swarm.tasks.push(
    task('t1', {
      state: 'failed',
      desiredState: 'shutdown',
      exitCode: 3,
      error: 'task: non-zero exit (3)',
      createdAt: 1_100,
      time: 1_200,
    }),
    task('t2', { createdAt: 1_300, time: 1_300 }),
  );
  const app = buildApiServer(ctx, { token: 'svc_test-token', log: () => {}, webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/apps/app1/machines/${machine.id}`;
    const get = async (url: string) =>
      (await fetch(url, { headers: { Authorization: 'Bearer svc_test-token' } })).json() as Promise<{
        events: { type: string; source: string; request?: { exit_event?: { exit_code: number } } }[];
      }>;
    const exitOf3 = expect.objectContaining({
      type: 'exit',
      request: expect.objectContaining({ exit_event: expect.objectContaining({ exit_code: 3 }) }),
    });
    const restart = expect.objectContaining({ type: 'restart' });
    const events = (await get(`${base}/events`)) as unknown as { type: string }[];
    expect(events).toEqual(expect.arrayContaining([exitOf3, restart]));
    expect((await get(base)).events).toEqual(events);
  } finally {
    await app.close();
  }
});
