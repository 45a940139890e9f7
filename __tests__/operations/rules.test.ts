/**
 * The operations' rules, the same for every way in: defaults, refusals and the promise that the
 * policy is enforced. They run on the local backend over an in-memory Docker (no engine needed),
 * so a rule that moved back into a command would fail here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDocker } from '../../src/adapters/docker.js';
import type { Context } from '../../src/context.js';
import { machinePolicyToConfig } from '../../src/core/dialects/fly.js';
import { servicePolicyToWords } from '../../src/core/dialects/dockercloud.js';
import { UserError, type ErrorKind } from '../../src/errors.js';
import {
  destroyMachine,
  planMachinePolicyChange,
  runMachine,
  stopMachines,
  updateMachinePolicy,
} from '../../src/operations/machine.js';
import {
  createService,
  scaleService,
  setServicePolicy,
  startService,
  stopServices,
  terminateService,
} from '../../src/operations/service.js';
import { planReconcile, type ReconcilePlan } from '../../src/supervisor/reconcile-plan.js';
import { inProcessContext } from '../helpers/context.js';
import { createFakeDocker, MISSING_BINARY, type FakeDocker } from '../supervisor/fake-docker.js';

let home: string;
let docker: FakeDocker;
let ctx: Context;
let enforced: number;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-ops-'));
  docker = createFakeDocker(() => Date.now());
  enforced = 0;
  ctx = inProcessContext(home, createDocker(docker.run, docker.stream), async () => void enforced++);
});

afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

const IMAGE = 'svc-busybox:latest';

const failure = async (run: () => Promise<unknown>): Promise<UserError> => {
  try {
    await run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
};

const expectRefused = async (run: () => Promise<unknown>, kind: ErrorKind, message: RegExp) => {
  const error = await failure(run);
  expect({ kind: error.kind, message: error.message }).toEqual({ kind, message: expect.stringMatching(message) });
};

describe('services', () => {
  test('create applies DC defaults: the image name, one container, every policy word OFF; it runs nothing', async () => {
    const workload = await createService(ctx, { image: 'registry.example/team/web:1.2' }, { start: false });
    expect(workload).toMatchObject({ name: 'web', targetInstances: 1, intent: 'not-started' });
    expect(servicePolicyToWords(workload.policy)).toEqual({
      autorestart: 'OFF',
      autoreplace: 'OFF',
      autodestroy: 'OFF',
    });
    expect(docker.callsOf('create')).toEqual([]);
    expect(enforced).toBe(1);
  });

  test('run starts the containers and makes sure the policy is enforced', async () => {
    const workload = await createService(
      ctx,
      { image: IMAGE, name: 'api', targetNumContainers: 2, autorestart: 'ON_FAILURE' },
      { start: true },
    );
    expect(workload.intent).toBe('running');
    expect(docker.callsOf('create')).toHaveLength(2);
    expect(enforced).toBe(1);
  });

  test.each<[string, Parameters<typeof createService>[1], ErrorKind, RegExp]>([
    [
      'ALWAYS with autodestroy',
      { image: IMAGE, autorestart: 'ALWAYS', autodestroy: 'ON_SUCCESS' },
      'conflict',
      /Autodestroy must be OFF/,
    ],
    ['a flag as the image', { image: '--privileged' }, 'usage', /not an image reference/],
    ['a bad name', { image: IMAGE, name: '-x' }, 'usage', /Invalid service name/],
    ['no containers', { image: IMAGE, targetNumContainers: 0 }, 'usage', /Invalid number of containers/],
    [
      'an env value Docker cannot carry',
      { image: IMAGE, env: [{ key: 'A', value: 'x\ny' }] },
      'usage',
      /Invalid environment variable A/,
    ],
  ])('create refuses %s, records nothing and asks Docker nothing', async (_name, request, kind, message) => {
    await expectRefused(() => createService(ctx, request, { start: true }), kind, message);
    expect(Object.keys(ctx.store.read().workloads)).toEqual([]);
    expect(docker.callsOf('create')).toEqual([]);
    expect(enforced).toBe(0);
  });

  test('a second live service cannot take the name', async () => {
    await createService(ctx, { image: IMAGE, name: 'web' }, { start: false });
    await expectRefused(
      () => createService(ctx, { image: IMAGE, name: 'web' }, { start: false }),
      'conflict',
      /already exists/,
    );
  });

  test('a terminated service refuses start, scale and set, in DC words; terminate again is fine', async () => {
    const { id } = await createService(ctx, { image: IMAGE, name: 'gone' }, { start: true });
    await terminateService(ctx, id);
    for (const run of [
      () => startService(ctx, id),
      () => scaleService(ctx, id, 3),
      () => setServicePolicy(ctx, id, { autorestart: 'ALWAYS' }),
    ]) {
      await expectRefused(run, 'conflict', /^Service gone \(.+\) is terminated$/);
    }
    await expect(terminateService(ctx, id)).resolves.toMatchObject({ id, intent: 'terminated' });
  });

  test('an identifier that matches nothing is not-found, in DC words', async () => {
    await expectRefused(
      () => startService(ctx, 'nothing'),
      'not-found',
      /^Cannot find a service with the identifier 'nothing'$/,
    );
  });

  test('set keeps the words not given, and needs at least one', async () => {
    const { id } = await createService(
      ctx,
      { image: IMAGE, autorestart: 'ON_FAILURE', autoreplace: 'ON_FAILURE' },
      { start: false },
    );
    const updated = await setServicePolicy(ctx, id, { autodestroy: 'ON_SUCCESS' });
    expect(servicePolicyToWords(updated.policy)).toEqual({
      autorestart: 'ON_FAILURE',
      autoreplace: 'ON_FAILURE',
      autodestroy: 'ON_SUCCESS',
    });
    await expectRefused(() => setServicePolicy(ctx, id, {}), 'usage', /Nothing to set/);
    await expectRefused(
      () => setServicePolicy(ctx, id, { autorestart: 'ALWAYS' }),
      'conflict',
      /Autodestroy must be OFF/,
    );
  });

  test('a start Docker refuses (a missing binary) fails in svc words, is judged by the policy, and the policy is still enforced', async () => {
    const { id } = await createService(
      ctx,
      { image: IMAGE, name: 'nobin', command: [MISSING_BINARY], autorestart: 'ON_FAILURE' },
      { start: false },
    );
    enforced = 0;
    await expectRefused(
      () => startService(ctx, id),
      'failed',
      /^Docker could not start the container of nobin: exit code 127, exec: "\/nonexistent": .*; by its restart policy: restart$/,
    );
    // The restart it calls for is pending: someone must carry it out.
    expect(enforced).toBe(1);
    expect(ctx.store.read().workloads[id]).toMatchObject({
      operation: null,
      intent: 'running',
      instances: [{ pending: { action: 'restart', exitCode: 127 } }],
    });
    // The user's start, then its failure as judged: in that order, also by time.
    const events = ctx.store.readEvents().filter((e) => e.action !== 'create');
    expect(events.map((e) => [e.action, e.source])).toEqual([
      ['start', 'user'],
      ['restart', 'supervisor'],
    ]);
    expect(events[1].time).toBeGreaterThanOrEqual(events[0].time);
  });

  test('run that Docker cannot start keeps nothing: no record, no container, and the name is free again', async () => {
    await expectRefused(
      () => createService(ctx, { image: IMAGE, name: 'nobin', command: [MISSING_BINARY] }, { start: true }),
      'failed',
      /; nothing of it was kept$/,
    );
    expect(ctx.store.read().workloads).toEqual({});
    expect(docker.containers.size).toBe(0);
    expect(ctx.store.readEvents()).toEqual([]);
    await expect(
      createService(ctx, { image: IMAGE, name: 'nobin', command: ['sleep', '1000'] }, { start: true }),
    ).resolves.toMatchObject({ intent: 'running' });
  });

  test("while a run Docker refused is being undone, a supervisor's reconcile finds nothing of it to start, judge or restart", async () => {
    const plans: ReconcilePlan[] = [];
    const plain = createDocker(docker.run, docker.stream);
    // The undoing removes the containers: a reconcile planned at that moment sees what it would act on.
    const watched = createDocker(async (args, ...rest) => {
      if (args[0] === 'rm')
        plans.push(
          planReconcile(ctx.store.read().workloads, await plain.listManaged(), {
            workload: () => false,
            instance: () => false,
          }),
        );
      return docker.run(args, ...rest);
    }, docker.stream);
    const undoing = inProcessContext(home, watched, async () => {});
    await expectRefused(
      () =>
        createService(
          undoing,
          { image: IMAGE, name: 'nobin', command: [MISSING_BINARY], autorestart: 'ALWAYS' },
          { start: true },
        ),
      'failed',
      /nothing of it was kept$/,
    );
    expect(plans).not.toHaveLength(0);
    for (const plan of plans)
      expect({ ...plan, remove: [] }).toEqual({
        ...plan,
        remove: [],
        resume: [],
        judge: [],
        vanished: [],
        adopt: [],
        unstarted: [],
        missing: [],
        stop: [],
      });
  });

  test('stop answers each identifier on its own: a missing one rejects only itself, one service named twice is stopped once', async () => {
    const { id } = await createService(ctx, { image: IMAGE, name: 'web' }, { start: true });
    const outcomes = await Promise.allSettled(stopServices(ctx, [id, 'nothing', 'web']));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(docker.callsOf('stop')).toHaveLength(1);
    expect(ctx.store.read().workloads[id].intent).toBe('stopped');
  });
});

describe('machines', () => {
  test('run applies Fly defaults: restart always, app default, a random name, process group app', async () => {
    const workload = await runMachine(ctx, { image: IMAGE });
    expect(workload).toMatchObject({ app: 'default', processGroup: 'app', intent: 'running' });
    expect(workload.name).toMatch(/^[a-z]+-[a-z]+-\d{4}$/);
    expect(machinePolicyToConfig(workload.policy)).toEqual({ policy: 'always' });
    expect(enforced).toBe(1);
  });

  test('run with auto-destroy defaults to restart no; always with auto-destroy is refused', async () => {
    expect(machinePolicyToConfig((await runMachine(ctx, { image: IMAGE, autoDestroy: true })).policy)).toEqual({
      policy: 'no',
    });
    await expectRefused(
      () => runMachine(ctx, { image: IMAGE, autoDestroy: true, restart: 'always' }),
      'conflict',
      /--restart always cannot be used with --rm/,
    );
  });

  test('destroying a started machine needs force, in flyctl words; a stopped one goes at once', async () => {
    const started = await runMachine(ctx, { image: IMAGE, name: 'busy' });
    await expectRefused(
      () => destroyMachine(ctx, started.id),
      'conflict',
      /^machine [0-9a-f]{14} currently started, either stop first or use --force flag$/,
    );
    expect(ctx.store.read().workloads[started.id].intent).toBe('running');
    await expect(destroyMachine(ctx, started.id, { force: true })).resolves.toMatchObject({ intent: 'terminated' });

    const idle = await runMachine(ctx, { image: IMAGE, name: 'idle' });
    await Promise.all(stopMachines(ctx, [idle.id]));
    await expect(destroyMachine(ctx, idle.id)).resolves.toMatchObject({ intent: 'terminated' });
  });

  test('a destroyed machine refuses every operation, in flyctl words', async () => {
    const { id } = await runMachine(ctx, { image: IMAGE });
    await destroyMachine(ctx, id, { force: true });
    await expectRefused(
      () => destroyMachine(ctx, id, { force: true }),
      'conflict',
      /^machine .+ has already been destroyed$/,
    );
    await expectRefused(() => updateMachinePolicy(ctx, id, 'no'), 'conflict', /has already been destroyed/);
  });

  test('a policy change is planned as a config diff first, changing nothing, then applied', async () => {
    const { id } = await runMachine(ctx, { image: IMAGE });
    const plan = await planMachinePolicyChange(ctx, id, 'on-failure');
    const changed = plan.diff.flatMap((line) =>
      line.kind === 'removed' || line.kind === 'added' ? [`${line.kind} ${line.text.trim()}`] : [],
    );
    expect(changed).toEqual(['removed "policy": "always"', 'added "policy": "on-failure",', 'added "max_retries": 10']);
    expect(machinePolicyToConfig(ctx.store.read().workloads[id].policy)).toEqual({ policy: 'always' });
    const updated = await updateMachinePolicy(ctx, id, 'on-failure');
    expect(machinePolicyToConfig(updated.policy)).toEqual({ policy: 'on-failure', max_retries: 10 });
  });
});
