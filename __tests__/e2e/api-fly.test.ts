/**
 * End to end, the Fly Machines API of `svc serve` (API.md) against the real Docker engine, driven by
 * the npm package fly-admin, a Machines API client people already use: only its base URL and token
 * change. Covers the flow (an on-failure machine spends its retry budget and stays stopped,
 * an update to `always` brings it back, a forced destroy removes it) and every machines path: list,
 * create, get, update, start, stop, restart, signal, delete, wait and events, with the refusals a
 * client sees (404 for an unknown app or a machine of another app, 408 for a wait that times out,
 * 409 for deleting a started machine or asking for always with auto_destroy).
 *
 * One server (with its supervisor, which restarts machines as their policy says) serves the whole
 * file from a state dir of its own; each test uses apps of its own, and the containers of every
 * machine made are removed at the end. The CLI, run with the same SVC_HOME, sees the same machines.
 */
import flyClientModule from 'fly-admin/dist/client.js';
import type { MachineConfig, MachineEvent, MachineResponse } from 'fly-admin/dist/lib/machine.js';
import { ApiMachineRestartPolicyEnum, SignalRequestSignalEnum, StateEnum } from 'fly-admin/dist/lib/types.js';
import { serve, shutDown, type Served } from './api-helpers.js';
import { LONG_RUNNING, MACHINE_ID, machineConfig, machineState, ok } from '../helpers/machine.js';
import {
  cleanupContainers,
  containersWithWorkloadLabel,
  inspectContainer,
  requireDocker,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

// fly-admin is CommonJS: imported from ESM, its default export may arrive wrapped in module.exports.
const FlyClient: typeof flyClientModule.default = (flyClientModule as any).default ?? flyClientModule;
type FlyClient = InstanceType<typeof FlyClient>;

/** Crashes with exit code 3 after a second: a short retry loop. */
const CRASHING = ['sh', '-c', 'sleep 1; exit 3'];
/** Exits 7 on SIGUSR1; SIGTERM ends it at once (LONG_RUNNING). */
const TRAPS_USR1 = ['sh', '-c', 'trap "exit 7" USR1; trap "exit 0" TERM; sleep 600 & wait'];

let served: Served;
let client: FlyClient;
/** Every machine made, whose containers afterAll removes. */
const made: string[] = [];

beforeAll(async () => {
  await requireDocker();
  served = await serve({ supervisor: true });
  client = new FlyClient(served.token, { apiUrl: served.url });
});

afterAll(async () => {
  // The supervisor stops first, so that nothing restarts what cleanup removes.
  await shutDown(served);
  await cleanupContainers(made);
});

const config = (cmd: string[], extra: Partial<MachineConfig> = {}): MachineConfig => ({
  image: TEST_IMAGE,
  init: { cmd },
  ...extra,
});

const create = async (
  app: string,
  machineConfigBody: MachineConfig,
  options: { skip_launch?: boolean; name?: string } = {},
): Promise<MachineResponse> => {
  const machine = await client.Machine.createMachine({ app_name: app, config: machineConfigBody, ...options });
  made.push(machine.id);
  expect(machine.id).toMatch(MACHINE_ID);
  return machine;
};

const get = (app: string, id: string) => client.Machine.getMachine({ app_name: app, machine_id: id });
const events = (app: string, id: string) => client.Machine.listEvents({ app_name: app, machine_id: id });

/** Exit events carry request.exit_event and request.restart_count (API.md). */
const exitsOf = (list: MachineEvent[]) =>
  list.filter((e) => e.type === 'exit') as Extract<MachineEvent, { type: 'exit' }>[];
const flydRestarts = (list: MachineEvent[]) => list.filter((e) => e.type === 'restart' && e.source === 'flyd');
/** fly-admin's event type lists Fly's own types only; svc adds give-up, stop, destroy and update. */
const ofType = (list: MachineEvent[], type: string) => list.filter((e) => (e.type as string) === type);

/**
 * What fly-admin throws for an HTTP error, `Error("<status>: <body>")`, taken apart; fails when the
 * call succeeds.
 */
const refusal = async (call: Promise<unknown>): Promise<{ status: number; body: any }> => {
  let error: unknown;
  try {
    await call;
  } catch (thrown) {
    error = thrown;
  }
  if (!(error instanceof Error)) throw new Error('expected the request to be refused, and it succeeded');
  const match = /^(\d{3}): ([\s\S]*)$/.exec(error.message);
  if (!match) throw new Error(`not an HTTP error from fly-admin: ${error.message}`);
  return { status: Number(match[1]), body: JSON.parse(match[2]) };
};

const isRunning = async (id: string): Promise<boolean> => {
  const containers = await containersWithWorkloadLabel(id);
  const states = await Promise.all(containers.map(inspectContainer));
  return states.some((c) => c?.State?.Running === true);
};

describe('the Fly flow with fly-admin as the client', () => {
  it('on-failure with max_retries 3 stops after the budget is spent; an update to always restarts it; a forced destroy removes it', async () => {
    const app = uniqueName('flyflow');
    const created = await create(
      app,
      config(CRASHING, { restart: { policy: ApiMachineRestartPolicyEnum.OnFailure, max_retries: 3 } }),
    );
    expect(created).toMatchObject({
      state: 'started',
      region: 'local',
      config: { image: TEST_IMAGE, restart: { policy: 'on-failure', max_retries: 3 } },
    });
    const id = created.id;

    // A stop between a crash and its restart is `stopped` too: wait until the supervisor has given up.
    const afterGiveUp = await waitFor(
      'the retry budget to be spent (a give-up event)',
      async () => {
        await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Stopped, timeout: '20s' });
        const list = await events(app, id);
        return ofType(list, 'give-up').length > 0 ? list : undefined;
      },
      30_000,
    );
    expect(
      await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Stopped, timeout: '1s' }),
    ).toEqual({ ok: true });
    expect((await get(app, id)).state).toBe('stopped');

    // Four runs, each exiting 3; the restart count reaches the budget, and the last exit is not restarted.
    const exits = exitsOf(afterGiveUp);
    expect(exits).toHaveLength(4);
    for (const exit of exits)
      expect(exit.request.exit_event).toMatchObject({ exit_code: 3, oom_killed: false, requested_stop: false });
    expect(Math.max(...exits.map((e) => e.request.restart_count))).toBe(3);
    // Newest first: the last exit, not restarted, is the newest one.
    expect(exits[0].request).toMatchObject({ restart_count: 3, exit_event: { restarting: false } });
    expect(flydRestarts(afterGiveUp)).toHaveLength(3);
    expect(ofType(afterGiveUp, 'give-up')[0]).toMatchObject({
      source: 'flyd',
      status: 'stopped',
      request: { reason: expect.stringContaining('restart budget spent') },
    });
    // Stays given up: no restart after the give-up.
    expect((await get(app, id)) as any).toMatchObject({ state: 'stopped', restarts: 3 });

    // The API and the CLI share the state dir: the CLI sees the same machine, given up.
    expect((await ok(['m', 'list', '-q'], served.home)).stdout.split('\n')).toContain(id);
    const status = (await ok(['m', 'status', id], served.home)).stdout;
    expect(status).toMatch(/^State: stopped$/m);
    expect(status).toMatch(/stopped\s+give-up\s+flyd\s+\S+\s+exit code 3; restart budget spent/);

    // As on Fly, an update starts a stopped machine (no skip_launch); `always` then restarts it after every exit.
    const updated = await client.Machine.updateMachine({
      app_name: app,
      machine_id: id,
      config: config(CRASHING, { restart: { policy: ApiMachineRestartPolicyEnum.Always } }),
    });
    expect(updated.config.restart).toEqual({ policy: 'always' });
    // The restart event is written when the supervisor decides, the count once the container is started again.
    await waitFor(
      'the supervisor to restart the machine again under `always`',
      async () => flydRestarts(await events(app, id)).length > 3 && ((await get(app, id)) as any).restarts > 3,
      20_000,
    );
    expect(await machineConfig(served.home, id)).toMatchObject({ restart: { policy: 'always' } });
    expect((await ok(['m', 'status', '-d', id], served.home)).stdout).toContain('"policy": "always"');

    // fly-admin's force is `?kill=true`.
    expect(await client.Machine.deleteMachine({ app_name: app, machine_id: id, force: true })).toEqual({ ok: true });
    expect((await get(app, id)).state).toBe('destroyed');
    expect(
      await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Destroyed, timeout: '5s' }),
    ).toEqual({ ok: true });
    expect((await client.Machine.listMachines(app)).map((m) => m.id)).not.toContain(id);
    expect(await containersWithWorkloadLabel(id)).toEqual([]);
    expect((await ok(['m', 'list', '-q'], served.home)).stdout.split('\n')).not.toContain(id);
    expect(await machineState(served.home, id)).toBe('destroyed');
  });
});

describe('GET /v1/apps/APP/machines', () => {
  it("lists the app's machines only; an unknown app is 404 with an error object", async () => {
    const app = uniqueName('flylist');
    const other = await create(uniqueName('flyother'), config(LONG_RUNNING), { skip_launch: true });
    const [a, b] = [
      await create(app, config(LONG_RUNNING), { name: 'one' }),
      await create(app, config(LONG_RUNNING), { skip_launch: true, name: 'two' }),
    ];

    const listed = await client.Machine.listMachines(app);
    expect(listed.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect(listed.map((m) => m.id)).not.toContain(other.id);
    expect(listed.find((m) => m.id === a.id)).toMatchObject({
      name: 'one',
      state: 'started',
      region: 'local',
      config: { image: TEST_IMAGE },
    });
    expect(listed.find((m) => m.id === b.id)).toMatchObject({ name: 'two', state: 'created' });
    // The region filter: every machine here is in `local`.
    expect(await client.Machine.listMachines({ app_name: app, region: 'ams' })).toEqual([]);

    const unknown = await refusal(client.Machine.listMachines(uniqueName('flynoapp')));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.any(String) });
  });

  it('filters by metadata.KEY=VALUE', async () => {
    const app = uniqueName('flymeta');
    const web = await create(app, config(LONG_RUNNING, { metadata: { role: 'web' } }), { skip_launch: true });
    const worker = await create(app, config(LONG_RUNNING, { metadata: { role: 'worker' } }), { skip_launch: true });
    // fly-admin's type has no metadata filter; its query is built from the object as it is.
    const byRole = async (role: string) =>
      (await client.Machine.listMachines({ app_name: app, ['metadata.role']: role } as any)).map((m) => m.id);
    expect(await byRole('web')).toEqual([web.id]);
    expect(await byRole('worker')).toEqual([worker.id]);
    expect(await byRole('db')).toEqual([]);
    expect((await get(app, web.id)).config.metadata).toMatchObject({ role: 'web' });
  });
});

describe('POST /v1/apps/APP/machines', () => {
  it('without a restart object: on-failure with max_retries 10, shown by GET', async () => {
    const app = uniqueName('flydefault');
    const { id } = await create(app, config(LONG_RUNNING));
    const machine = await get(app, id);
    expect(machine).toMatchObject({
      id,
      state: 'started',
      config: { restart: { policy: 'on-failure', max_retries: 10 } },
    });
    expect(machine.instance_id).not.toBe('');
    expect(machine.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(await machineConfig(served.home, id)).toMatchObject({ restart: { policy: 'on-failure', max_retries: 10 } });
    expect(await isRunning(id)).toBe(true);
  });

  it('with skip_launch: state created and no running container; start then answers previous_state created', async () => {
    const app = uniqueName('flyskip');
    const { id } = await create(app, config(LONG_RUNNING), { skip_launch: true });
    expect((await get(app, id)).state).toBe('created');
    expect(await isRunning(id)).toBe(false);
    expect((await events(app, id)).map((e) => [e.type, e.source])).toEqual([['launch', 'user']]);

    // fly-admin's type says OkResponse; the Machines API answers with the state it started from.
    expect((await client.Machine.startMachine({ app_name: app, machine_id: id })) as unknown).toEqual({
      previous_state: 'created',
      migrated: false,
      new_host: '',
    });
    expect((await get(app, id)).state).toBe('started');
    expect(await isRunning(id)).toBe(true);
    // Newest first.
    expect((await events(app, id)).map((e) => [e.type, e.source])).toEqual([
      ['start', 'user'],
      ['launch', 'user'],
    ]);
  });

  it('config.env reaches the container and is shown back in config.env', async () => {
    const app = uniqueName('flyenv');
    const env = { GREETING: 'hello there', MODE: 'api' };
    const { id } = await create(app, config(LONG_RUNNING, { env }));
    const [container] = await containersWithWorkloadLabel(id);
    expect((await inspectContainer(container)).Config.Env).toEqual(
      expect.arrayContaining(['GREETING=hello there', 'MODE=api']),
    );
    expect((await get(app, id)).config.env).toEqual(env);
  });

  it('refuses always with auto_destroy (409) and creates nothing', async () => {
    const app = uniqueName('flyconflict');
    const before = (await ok(['m', 'list', '-q'], served.home)).stdout;
    const refused = await refusal(
      client.Machine.createMachine({
        app_name: app,
        config: config(LONG_RUNNING, { restart: { policy: ApiMachineRestartPolicyEnum.Always }, auto_destroy: true }),
      }),
    );
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ error: expect.any(String) });
    // No machine was ever made in the app: it is unknown.
    expect((await refusal(client.Machine.listMachines(app))).status).toBe(404);
    expect((await ok(['m', 'list', '-q'], served.home)).stdout).toBe(before);
  });
});

describe('a started machine: stop, start, restart, signal, delete, wait', () => {
  it('stop: the machine is stopped, with a user stop event; start then answers previous_state stopped', async () => {
    const app = uniqueName('flystop');
    const { id } = await create(app, config(LONG_RUNNING));
    expect(await client.Machine.stopMachine({ app_name: app, machine_id: id })).toEqual({ ok: true });
    expect((await get(app, id)).state).toBe('stopped');
    expect(await isRunning(id)).toBe(false);
    expect(
      await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Stopped, timeout: '5s' }),
    ).toEqual({ ok: true });
    expect(ofType(await events(app, id), 'stop')).toEqual([
      expect.objectContaining({ source: 'user', status: 'stopped' }),
    ]);

    expect((await client.Machine.startMachine({ app_name: app, machine_id: id })) as unknown).toEqual({
      previous_state: 'stopped',
      migrated: false,
      new_host: '',
    });
    expect((await get(app, id)).state).toBe('started');
    expect(await isRunning(id)).toBe(true);
  });

  it('stop: as on Fly, the exit that follows it is an exit event with requested_stop true', async () => {
    const app = uniqueName('flystopexit');
    const { id } = await create(app, config(LONG_RUNNING));
    await client.Machine.stopMachine({ app_name: app, machine_id: id });
    const exit = await waitFor(
      'the exit event of the stopped machine',
      async () => exitsOf(await events(app, id))[0],
      8_000,
    );
    expect(exit).toMatchObject({ source: 'flyd', status: 'stopped' });
    expect(exit.request.exit_event).toMatchObject({ requested_stop: true, exit_code: 0, restarting: false });
  });

  it('restart: a fresh container, so a new instance_id; the machine is started', async () => {
    const app = uniqueName('flyrestart');
    const { id, instance_id: before } = await create(app, config(LONG_RUNNING));
    expect(before).toMatch(/^[0-9a-f]+$/);
    const [oldContainer] = await containersWithWorkloadLabel(id);

    expect(await client.Machine.restartMachine({ app_name: app, machine_id: id, timeout: '5s' })).toEqual({ ok: true });
    const after = await get(app, id);
    expect(after.state).toBe('started');
    expect(after.instance_id).toMatch(/^[0-9a-f]+$/);
    expect(after.instance_id).not.toBe(before);
    expect(await inspectContainer(oldContainer)).toBeNull();
    expect(await isRunning(id)).toBe(true);
    // A wait on the old instance for `stopped` is answered: that instance has ended.
    expect(
      await client.Machine.waitMachine({
        app_name: app,
        machine_id: id,
        instance_id: before,
        state: StateEnum.Stopped,
        timeout: '5s',
      }),
    ).toEqual({ ok: true });
  });

  it("signal: SIGUSR1 reaches the machine's process, which exits 7; with policy no it stays stopped", async () => {
    const app = uniqueName('flysignal');
    const { id } = await create(app, config(TRAPS_USR1, { restart: { policy: ApiMachineRestartPolicyEnum.No } }));
    expect(
      await client.Machine.signalMachine({ app_name: app, machine_id: id, signal: SignalRequestSignalEnum.SIGUSR1 }),
    ).toEqual({ ok: true });
    expect(
      await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Stopped, timeout: '10s' }),
    ).toEqual({ ok: true });
    expect((await get(app, id)).state).toBe('stopped');
    const [container] = await containersWithWorkloadLabel(id);
    expect((await inspectContainer(container)).State).toMatchObject({ Running: false, ExitCode: 7 });
    const exit = await waitFor(
      'the exit event of the signalled machine',
      async () => exitsOf(await events(app, id))[0],
      10_000,
    );
    expect(exit.request.exit_event).toMatchObject({ exit_code: 7, requested_stop: false, restarting: false });
  });

  it("DELETE without force of a started machine is 409 with flyctl's words, and the machine stays", async () => {
    const app = uniqueName('flydelete');
    const { id } = await create(app, config(LONG_RUNNING));
    const refused = await refusal(client.Machine.deleteMachine({ app_name: app, machine_id: id }));
    expect(refused).toEqual({
      status: 409,
      body: { error: `machine ${id} currently started, either stop first or use --force flag` },
    });
    expect((await get(app, id)).state).toBe('started');
    expect(await isRunning(id)).toBe(true);

    // Stopped, it goes without force.
    await client.Machine.stopMachine({ app_name: app, machine_id: id });
    expect(await client.Machine.deleteMachine({ app_name: app, machine_id: id })).toEqual({ ok: true });
    expect((await get(app, id)).state).toBe('destroyed');
    expect(await containersWithWorkloadLabel(id)).toEqual([]);
  });

  it('wait for a state not reached within the timeout is 408', async () => {
    const app = uniqueName('flywait');
    const { id } = await create(app, config(LONG_RUNNING));
    const started = Date.now();
    const timedOut = await refusal(
      client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Stopped, timeout: '1s' }),
    );
    const elapsed = Date.now() - started;
    expect(timedOut.status).toBe(408);
    expect(timedOut.body).toEqual({ error: expect.any(String) });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    // The state it is in is reached at once.
    expect(
      await client.Machine.waitMachine({ app_name: app, machine_id: id, state: StateEnum.Started, timeout: '1s' }),
    ).toEqual({ ok: true });
  });
});

describe('machines are named within their app', () => {
  it('a machine of app A is 404 under app B, for reads and actions alike, and is left alone', async () => {
    const [appA, appB] = [uniqueName('flyappa'), uniqueName('flyappb')];
    const { id } = await create(appA, config(LONG_RUNNING));
    await create(appB, config(LONG_RUNNING), { skip_launch: true });

    for (const call of [
      () => get(appB, id),
      () => events(appB, id),
      () => client.Machine.stopMachine({ app_name: appB, machine_id: id }),
      () => client.Machine.deleteMachine({ app_name: appB, machine_id: id, force: true }),
      () => client.Machine.updateMachine({ app_name: appB, machine_id: id, config: config(LONG_RUNNING) }),
    ]) {
      const refused = await refusal(call());
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ error: expect.any(String) });
    }
    expect((await get(appA, id)).state).toBe('started');
    expect(await isRunning(id)).toBe(true);

    // An id no app has is 404 too.
    expect((await refusal(get(appA, '0123456789abcd'))).status).toBe(404);
  });

  it('the same machine name in two apps: each app finds its own', async () => {
    const [appA, appB] = [uniqueName('flytwina'), uniqueName('flytwinb')];
    const inA = await create(appA, config(LONG_RUNNING), { skip_launch: true, name: 'twin' });
    const inB = await create(appB, config(LONG_RUNNING), { skip_launch: true, name: 'twin' });
    expect(inA.id).not.toBe(inB.id);
    expect((await get(appA, 'twin')).id).toBe(inA.id);
    expect((await get(appB, 'twin')).id).toBe(inB.id);
  });
});
