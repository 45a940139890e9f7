/**
 * Engine operations on the real engine, called in-process: what a stop of many services writes
 * before Docker is asked, what a failed launch leaves, what terminate keeps.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocker } from '../../src/adapters/docker.js';
import type { Context } from '../../src/context.js';
import { servicePolicyFromWords } from '../../src/core/dialects/dockercloud.js';
import { launchWorkload } from '../../src/engine/create.js';
import { stopWorkload, stopWorkloadsTogether, terminateWorkload } from '../../src/engine/lifecycle.js';
import { inProcessContext, launchShellService } from '../helpers/context.js';
import { cleanupContainers, requireDocker, TEST_IMAGE, uniqueName } from '../helpers/svc.js';

const made: string[] = [];
let home: string;
let ctx: Context;
/** The workload intents in the state file at the moment of each `docker stop`. */
let intentsAtStop: string[][] = [];

beforeAll(async () => {
  await requireDocker();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-operations-'));
  const docker = createDocker();
  ctx = inProcessContext(home, {
    ...docker,
    stop: async (ids: string[], timeoutSeconds?: number) => {
      intentsAtStop.push(made.map((id) => ctx.store.read().workloads[id]?.intent ?? 'missing'));
      return docker.stop(ids, timeoutSeconds);
    },
  });
});

afterAll(async () => {
  await cleanupContainers(made);
  fs.rmSync(home, { recursive: true, force: true });
});

test('stopping many services writes every intent before the first docker stop', async () => {
  const workloads = [];
  for (let n = 0; n < 4; n++) {
    const workload = await launchShellService(ctx, {
      namePrefix: 'ops-stop',
      script: 'trap "exit 0" TERM; while :; do sleep 1; done',
      autorestart: 'ALWAYS',
      instances: 1,
    });
    made.push(workload.id);
    workloads.push(workload);
  }
  intentsAtStop = [];
  // As `svc service stop a b c d` runs them.
  const stop = stopWorkloadsTogether(
    ctx,
    workloads.map((w) => w.id),
  );
  await Promise.all(workloads.map((w) => stop(w.id)));
  expect(intentsAtStop).toHaveLength(4);
  expect(intentsAtStop[0]).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);
});

test('one stop alone still works, and a stop that fails before Docker does not hold the others back', async () => {
  const [a, b] = made;
  await stopWorkload(ctx, a);
  const stop = stopWorkloadsTogether(ctx, [b, 'no-such-workload']);
  const outcomes = await Promise.allSettled([stop(b), stop('no-such-workload')]);
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
});

test('a launch Docker refuses leaves no record and no create event', async () => {
  const name = uniqueName('ops-fail');
  await expect(
    launchWorkload(ctx, {
      dialect: 'service',
      name,
      app: null,
      processGroup: null,
      spec: { image: 'svc-no-such-image:never', command: [], entrypoint: null, env: [], memoryMb: null },
      policy: servicePolicyFromWords({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF' }),
      targetInstances: 1,
    }),
  ).rejects.toThrow(/docker create failed/);
  expect(Object.values(ctx.store.read().workloads).filter((w) => w.name === name)).toEqual([]);
  expect(ctx.store.readEvents().filter((e) => e.workloadName === name)).toEqual([]);
});

test('a launch that works writes its create event before its start event', async () => {
  const workload = await launchShellService(ctx, {
    namePrefix: 'ops-ok',
    script: 'sleep 3600',
    autorestart: 'OFF',
    instances: 1,
  });
  made.push(workload.id);
  expect(
    ctx.store
      .readEvents()
      .filter((e) => e.workloadId === workload.id)
      .map((e) => e.action),
  ).toEqual(['create', 'start']);
});

test('a terminated workload keeps no environment', async () => {
  const workload = await launchWorkload(ctx, {
    dialect: 'service',
    name: uniqueName('ops-env'),
    app: null,
    processGroup: null,
    spec: {
      image: TEST_IMAGE,
      command: ['sleep', '3600'],
      entrypoint: null,
      env: [{ key: 'TOKEN', value: 's3cret', secret: true }],
      memoryMb: null,
    },
    policy: servicePolicyFromWords({ autorestart: 'OFF', autoreplace: 'OFF', autodestroy: 'OFF' }),
    targetInstances: 1,
  });
  made.push(workload.id);
  expect(ctx.store.read().workloads[workload.id].spec.env).toHaveLength(1);
  await terminateWorkload(ctx, workload.id);
  expect(ctx.store.read().workloads[workload.id].spec.env).toEqual([]);
  expect(fs.readFileSync(path.join(home, 'state.json'), 'utf8')).not.toContain('s3cret');
});
