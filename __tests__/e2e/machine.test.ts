/**
 * End to end, Fly dialect: `svc m ...` run as the built `bin/svc` against the real Docker engine.
 * Each test has its own state dir and removes the containers of its own machines only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import {
  createHomes,
  LONG_RUNNING,
  MACHINE_ID,
  machineConfig,
  machineState,
  ok,
  svcOnTty,
} from '../helpers/machine.js';
import { waitFor } from '../helpers/wait.js';
import { exitsJudgedUpToNow, supervisorEvents } from './supervisor-helpers.js';
import {
  containersWithWorkloadLabel,
  inspectContainer,
  requireBuiltCli,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';

const homes = createHomes();

beforeAll(async () => {
  await requireDocker();
  requireBuiltCli();
});

afterEach(() => homes.cleanup());

/** `svc m run` that must succeed; returns the printed machine id. */
const runMachine = async (home: string, options: string[] = [], command = LONG_RUNNING) => {
  const result = await svc(['m', 'run', ...options, TEST_IMAGE, ...command], { home });
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  const id = result.stdout.trim();
  expect(id).toMatch(MACHINE_ID);
  return id;
};

const listedIds = async (home: string) => (await ok(['m', 'list', '-q'], home)).stdout.split('\n').filter(Boolean);

describe('svc m run', () => {
  it('prints a 14-hex id; the machine is started with policy always, container `<app>-<name>`', async () => {
    const home = homes.make();
    const app = uniqueName('flyapp');
    const id = await runMachine(home, ['-n', 'web', '-a', app, '-e', 'GREETING=hi']);

    const container = await inspectContainer(`${app}-web`);
    expect(container).toMatchObject({ State: { Running: true }, HostConfig: { RestartPolicy: { Name: 'no' } } });
    expect(container.Config.Labels).toMatchObject({ 'io.svc.workload': id });
    expect(container.Config.Env).toContain('GREETING=hi');

    const status = (await ok(['m', 'status', '-d', id], home)).stdout;
    expect(status).toMatch(/^State: started$/m);
    expect(status).toContain('"policy": "always"');
    expect(await machineConfig(home, id)).toEqual({
      init: { cmd: LONG_RUNNING },
      image: TEST_IMAGE,
      env: { GREETING: 'hi' },
      restart: { policy: 'always' },
      metadata: { fly_process_group: 'app' },
    });
    // Its name works as an identifier too, and `m` is `machine`.
    expect((await ok(['machine', 'status', 'web'], home)).stdout).toContain(`Machine ID: ${id}`);
  });

  it('lists the machine: -q, the table and --json', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    expect(await listedIds(home)).toEqual([id]);

    const table = (await ok(['m', 'ls'], home)).stdout.trimEnd().split('\n');
    expect(table[0].split(/\s{2,}/)).toEqual([
      'ID',
      'NAME',
      'STATE',
      'REGION',
      'IMAGE',
      'APP',
      'PROCESS GROUP',
      'RESTARTS',
      'CREATED',
      'LAST UPDATED',
    ]);
    expect(table[1].split(/\s{2,}/).slice(0, 7)).toEqual([
      id,
      expect.stringMatching(/^[a-z]+-[a-z]+-\d{4}$/),
      'started',
      'local',
      TEST_IMAGE,
      'default',
      'app',
    ]);

    const [machine] = JSON.parse((await ok(['m', 'list', '--json'], home)).stdout);
    expect(machine).toMatchObject({
      id,
      state: 'started',
      region: 'local',
      app: 'default',
      config: { restart: { policy: 'always' } },
    });
  });

  it('takes the app from ./fly.toml, and `m list` there shows only that app', async () => {
    const home = homes.make();
    const app = uniqueName('flycwd');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-cwd-'));
    try {
      fs.writeFileSync(path.join(dir, 'fly.toml'), `app = "${app}"\n`);
      const inDir = (args: string[]) =>
        execa(SVC_BIN, args, {
          cwd: dir,
          reject: false,
          stdin: 'ignore',
          env: { SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
        });
      const other = await runMachine(home, ['-a', uniqueName('flyother')]);
      const run = await inDir(['m', 'run', '-n', 'here', TEST_IMAGE, ...LONG_RUNNING]);
      expect(run.exitCode).toBe(0);
      expect(await inspectContainer(`${app}-here`)).toMatchObject({ State: { Running: true } });
      expect((await inDir(['m', 'list', '-q'])).stdout).toBe(run.stdout);
      expect((await ok(['m', 'list', '-q'], home)).stdout.split('\n').sort()).toEqual([other, run.stdout].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid --restart with exit 2, listing the valid values, and creates nothing', async () => {
    const home = homes.make();
    const result = await svc(['m', 'run', '--restart', 'sometimes', TEST_IMAGE, ...LONG_RUNNING], { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      "Invalid value 'sometimes' for --restart. Valid values: no, always, on-fail, on-failure",
    );
    expect(await listedIds(home)).toEqual([]);
  });

  it('refuses --restart always with --rm (exit 1) and creates nothing', async () => {
    const home = homes.make();
    const result = await svc(['m', 'run', '--restart', 'always', '--rm', TEST_IMAGE, 'true'], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--restart always cannot be used with --rm');
    expect(await listedIds(home)).toEqual([]);
  });

  it('destroys a --rm machine once its command exits (supervisor running)', async () => {
    const home = homes.make();
    await homes.startSupervisor(home);
    const id = await runMachine(home, ['--rm'], ['sh', '-c', 'sleep 1; exit 0']);
    expect(await machineConfig(home, id)).toMatchObject({ restart: { policy: 'no' }, auto_destroy: true });

    await waitFor('the --rm machine to be destroyed', async () =>
      (await containersWithWorkloadLabel(id)).length === 0 && !(await listedIds(home)).includes(id) ? true : undefined,
    );
    expect(await machineState(home, id)).toBe('destroyed');
    const status = (await ok(['m', 'status', id], home)).stdout;
    expect(status).toMatch(/destroyed\s+destroy\s+flyd/);
    expect(status).toMatch(/stopped\s+exit\s+flyd\s+\S+\s+exit_code=0,oom_killed=false,requested_stop=false/);
  });
});

describe('svc m update', () => {
  it('--restart on-fail --yes shows the diff and applies on-failure with 10 retries; again: no changes', async () => {
    const home = homes.make();
    const id = await runMachine(home, ['-n', 'upd']);
    const result = await ok(['m', 'update', id, '--restart', 'on-fail', '--yes'], home);
    expect(result.stdout).toContain(`Configuration changes to be applied to machine: ${id} (upd)`);
    expect(result.stdout).toContain('-     "policy": "always"\n+     "policy": "on-failure",\n+     "max_retries": 10');
    expect(await machineConfig(home, id)).toMatchObject({ restart: { policy: 'on-failure', max_retries: 10 } });
    // The running container was not touched: the supervisor reads the new policy on the next exit.
    expect(await inspectContainer(`default-upd`)).toMatchObject({ State: { Running: true } });

    const again = await ok(['m', 'update', id, '--restart', 'on-failure', '-y'], home);
    expect(again.stderr).toContain('no config changes found');
    expect(again.stdout).toBe('');
  });

  it('without a TTY and without --yes refuses with the SPEC text and changes nothing', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    const result = await svc(['m', 'update', id, '--restart', 'no'], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('yes flag must be specified when not running interactively');
    expect(await machineConfig(home, id)).toMatchObject({ restart: { policy: 'always' } });
  });

  it.each([
    ['y', { policy: 'on-failure', max_retries: 10 }, 'has been updated'],
    ['n', { policy: 'always' }, 'was not updated'],
  ])('on a TTY asks `? Apply changes? (y/N)`; answering %s', async (answer, restart, message) => {
    const home = homes.make();
    const id = await runMachine(home);
    const result = await svcOnTty(['m', 'update', id, '--restart', 'on-fail'], home, 'Apply changes?', answer);
    expect(result.stdout).toContain('? Apply changes? (y/N)');
    expect(result.stdout).toContain(`Configuration changes to be applied to machine: ${id}`);
    expect(result.stdout).toContain(message);
    expect(result.exitCode).toBe(0);
    expect((await machineConfig(home, id)).restart).toEqual(restart);
  });

  it('an unknown machine is exit 3', async () => {
    const result = await svc(['m', 'update', 'feedfacefeedfa', '--restart', 'no', '-y'], { home: homes.make() });
    expect(result).toMatchObject({ exitCode: 3, stderr: expect.stringContaining('machine feedfacefeedfa not found') });
  });
});

describe('svc m stop | start | restart | destroy', () => {
  it('stops, starts and restarts a machine', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    expect((await ok(['m', 'stop', id], home)).stdout.trim()).toBe(id);
    expect(await machineState(home, id)).toBe('stopped');
    const [container] = await containersWithWorkloadLabel(id);
    expect(await inspectContainer(container)).toMatchObject({ State: { Running: false } });

    await ok(['m', 'start', id], home);
    expect(await machineState(home, id)).toBe('started');
    const status = (await ok(['m', 'status', id], home)).stdout;
    expect(status).toMatch(/stopped\s+stop\s+user/);
  });

  it('restarts a machine afresh, even an auto-destroy one, with the supervisor running', async () => {
    const home = homes.make();
    await homes.startSupervisor(home);
    const id = await runMachine(home, ['--rm']);
    const [before] = await containersWithWorkloadLabel(id);
    expect((await ok(['m', 'restart', id], home)).stdout.trim()).toBe(id);
    expect(await machineState(home, id)).toBe('started');
    // The old container's exit (it was removed) is the user's: wait until the supervisor has judged
    // every exit up to now, then see that it did nothing about it.
    await exitsJudgedUpToNow(home);
    expect(await supervisorEvents(home, id)).toEqual([]);
    const after = await containersWithWorkloadLabel(id);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    expect(await inspectContainer(after[0])).toMatchObject({ State: { Running: true } });
    expect((await ok(['m', 'status', id], home)).stdout).toMatch(/started\s+restart\s+user/);
  });

  it('does all it can with several ids, then exits 3 for an unknown one', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    const result = await svc(['m', 'stop', id, 'no-such-machine'], { home });
    expect(result).toMatchObject({
      exitCode: 3,
      stdout: id,
      stderr: expect.stringContaining('machine no-such-machine not found'),
    });
    expect(await machineState(home, id)).toBe('stopped');
  });

  it('refuses to destroy a started machine without --force; --force removes it and its container', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    const refused = await svc(['m', 'destroy', id], { home });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`machine ${id} currently started, either stop first or use --force flag`);
    expect(await containersWithWorkloadLabel(id)).toHaveLength(1);

    expect((await ok(['m', 'rm', '-f', id], home)).stdout.trim()).toBe(id);
    expect(await containersWithWorkloadLabel(id)).toEqual([]);
    expect(await listedIds(home)).toEqual([]);
    expect(await machineState(home, id)).toBe('destroyed');
    expect((await svc(['m', 'start', id], { home })).exitCode).toBe(1);
  });

  it('destroys a stopped machine without --force', async () => {
    const home = homes.make();
    const id = await runMachine(home);
    await ok(['m', 'stop', id], home);
    await ok(['m', 'destroy', id], home);
    expect(await containersWithWorkloadLabel(id)).toEqual([]);
  });
});
