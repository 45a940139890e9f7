/**
 * End to end, Fly dialect: `svc deploy` and `svc config validate` from fly.toml files, and an
 * on-failure machine that crashes forever, against the real Docker engine and the real supervisor.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createHomes,
  LONG_RUNNING as LONG_RUNNING_ARGV,
  MACHINE_ID,
  machineConfig,
  machineState,
  ok,
} from '../helpers/machine.js';
import { waitFor } from '../helpers/wait.js';
import { reconcileMarker } from './supervisor-helpers.js';
import {
  containersWithWorkloadLabel,
  docker,
  inspectContainer,
  requireBuiltCli,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';

const homes = createHomes();
let tomlDirs: string[] = [];

beforeAll(async () => {
  await requireDocker();
  requireBuiltCli();
});

afterEach(async () => {
  await homes.cleanup();
  tomlDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  tomlDirs = [];
});

/** Writes a fly.toml into a fresh temp dir and returns its path. */
const writeFlyToml = (
  text: string,
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'svc-fly-')), 'fly.toml'),
) => {
  if (!tomlDirs.includes(path.dirname(file))) tomlDirs.push(path.dirname(file));
  fs.writeFileSync(file, text);
  return file;
};

/** Exits at once on SIGTERM; a TOML literal string keeps the quotes as they are. */
const LONG_RUNNING = `'''sh -c 'trap "exit 0" TERM; sleep 600 & wait' '''`;

/** fly.toml for `app`: the test image, MODE=test, these long-running process groups, then `restarts`. */
const flyToml = (app: string, groups: string[], restarts: string) => `app = "${app}"
[build]
image = "${TEST_IMAGE}"
[env]
MODE = "test"
[processes]
${groups.map((group) => `${group} = ${LONG_RUNNING}`).join('\n')}
${restarts}`;

const twoGroups = (app: string, appPolicy = 'always') =>
  flyToml(
    app,
    ['app', 'worker'],
    `
[[restart]]
policy = "never"

[[restart]]
policy = "${appPolicy}"
processes = ["app"]

[[restart]]
policy = "on-failure"
retries = 4
processes = ["worker"]
`,
  );

interface DeployResult {
  process_group: string;
  id: string;
  name: string;
  result: string;
  changes: string[];
}

const deploy = async (home: string, file: string): Promise<Record<string, DeployResult>> => {
  const { stdout } = await ok(['deploy', '-c', file, '--json'], home);
  const results = JSON.parse(stdout) as DeployResult[];
  return Object.fromEntries(results.map((r) => [r.process_group, r]));
};

const listedIds = async (home: string) => (await ok(['m', 'list', '-q'], home)).stdout.split('\n').filter(Boolean);

describe('svc deploy', () => {
  it('creates one machine per process group with its [[restart]] policy; deploying again changes nothing', async () => {
    const home = homes.make();
    const app = uniqueName('flydeploy');
    const file = writeFlyToml(twoGroups(app));
    const first = await deploy(home, file);
    expect(first).toMatchObject({ app: { result: 'created' }, worker: { result: 'created' } });
    expect(first.app.id).toMatch(MACHINE_ID);
    expect(first.worker.id).toMatch(MACHINE_ID);

    expect(await machineConfig(home, first.app.id)).toEqual({
      init: { cmd: ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'] },
      image: TEST_IMAGE,
      env: { MODE: 'test' },
      restart: { policy: 'always' },
      metadata: { fly_platform_version: 'v2', fly_process_group: 'app' },
    });
    expect(await machineConfig(home, first.worker.id)).toMatchObject({
      restart: { policy: 'on-failure', max_retries: 4 },
      metadata: { fly_platform_version: 'v2', fly_process_group: 'worker' },
    });
    expect(await machineState(home, first.worker.id)).toBe('started');
    expect(await inspectContainer(`${app}-${first.app.name}`)).toMatchObject({ State: { Running: true } });

    const second = await deploy(home, file);
    expect(second).toMatchObject({
      app: { id: first.app.id, result: 'unchanged' },
      worker: { id: first.worker.id, result: 'unchanged' },
    });
    expect((await listedIds(home)).sort()).toEqual([first.app.id, first.worker.id].sort());
  });

  it('updates machines in place: a policy change keeps the container, an image, command or env change replaces it', async () => {
    const home = homes.make();
    const app = uniqueName('flydeploy');
    const file = writeFlyToml(twoGroups(app));
    const first = await deploy(home, file);
    const [appContainer] = (
      await docker(['ps', '-q', '--no-trunc', '--filter', `label=io.svc.workload=${first.app.id}`])
    ).stdout.split('\n');

    writeFlyToml(twoGroups(app, 'never').replace('MODE = "test"', 'MODE = "changed"'), file);
    const second = await deploy(home, file);
    expect(second.app).toMatchObject({ id: first.app.id, result: 'updated' });
    expect(second.app.changes).toContain('restart always -> no');
    expect(second.worker).toMatchObject({ id: first.worker.id, result: 'updated' });
    expect(await machineConfig(home, first.app.id)).toMatchObject({
      restart: { policy: 'no' },
      env: { MODE: 'changed' },
    });
    expect((await listedIds(home)).sort()).toEqual([first.app.id, first.worker.id].sort());
    // The env changed too, so the machine runs a fresh container under the same name.
    const fresh = await inspectContainer(`${app}-${first.app.name}`);
    expect(fresh).toMatchObject({ State: { Running: true } });
    expect(fresh.Id).not.toBe(appContainer);
    expect(fresh.Config.Env).toContain('MODE=changed');

    writeFlyToml(twoGroups(app, 'on-failure').replace('MODE = "test"', 'MODE = "changed"'), file);
    const third = await deploy(home, file);
    expect(third.app).toMatchObject({
      id: first.app.id,
      result: 'updated',
      changes: ['restart no -> on-failure (max_retries 10)'],
    });
    expect(third.worker.result).toBe('unchanged');
    expect((await inspectContainer(`${app}-${first.app.name}`)).Id).toBe(fresh.Id);
  });

  it('destroys the machines of a process group removed from fly.toml, and leaves standalone machines alone', async () => {
    const home = homes.make();
    const app = uniqueName('flygroups');
    const standalone = (
      await ok(['m', 'run', '-a', app, '-n', 'solo', TEST_IMAGE, ...LONG_RUNNING_ARGV], home)
    ).stdout.trim();
    const file = writeFlyToml(twoGroups(app));
    const first = await deploy(home, file);
    // The standalone machine is in group app too, yet deploy made its own.
    expect(first.app).toMatchObject({ result: 'created' });
    expect(first.app.id).not.toBe(standalone);

    writeFlyToml(flyToml(app, ['app'], '[[restart]]\npolicy = "always"\n'), file);
    const second = await ok(['deploy', '-c', file, '--json'], home);
    expect(second.stderr).toContain('Process groups have changed. This will:\n * destroy 1 "worker" machine');
    const results = Object.fromEntries((JSON.parse(second.stdout) as DeployResult[]).map((r) => [r.process_group, r]));
    expect(results.app).toMatchObject({ id: first.app.id, result: 'unchanged' });
    expect(results.worker).toMatchObject({ id: first.worker.id, result: 'destroyed' });

    expect(await containersWithWorkloadLabel(first.worker.id)).toEqual([]);
    expect(await machineState(home, first.worker.id)).toBe('destroyed');
    expect((await listedIds(home)).sort()).toEqual([first.app.id, standalone].sort());
    expect(await inspectContainer(`${app}-solo`)).toMatchObject({ State: { Running: true } });
    expect((await machineConfig(home, standalone)).metadata).toEqual({ fly_process_group: 'app' });
  });

  it('refuses an invalid restart policy with both messages and exit 1, creating nothing', async () => {
    const home = homes.make();
    const app = uniqueName('flydeploy');
    const file = writeFlyToml(twoGroups(app, 'sometimes'));
    const result = await svc(['deploy', '-c', file], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('invalid restart policy: sometimes');
    expect(result.stderr).toContain('App configuration is not valid');
    expect(await listedIds(home)).toEqual([]);
    expect((await docker(['ps', '-aq', '--filter', `name=^/${app}-`])).stdout).toBe('');

    const validate = await svc(['config', 'validate', '-c', file], { home });
    expect(validate.exitCode).toBe(1);
    expect(validate.stderr).toContain('invalid restart policy: sometimes');
  });

  it('config validate says a good file is valid, and deploys nothing', async () => {
    const home = homes.make();
    const result = await ok(['config', 'validate', '-c', writeFlyToml(twoGroups(uniqueName('flyvalid')))], home);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('✓ Configuration is valid');
    expect(await listedIds(home)).toEqual([]);
  });

  it('a missing fly.toml is exit 1 naming the file and the -c flag', async () => {
    const result = await svc(['deploy', '-c', '/nonexistent/fly.toml'], { home: homes.make() });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('/nonexistent/fly.toml');
    expect(result.stderr).toContain('-c/--config');
  });
});

describe('an on-failure machine that crashes forever', () => {
  it('is restarted max_retries times, then stays stopped with the reason in its events', async () => {
    const home = homes.make();
    await homes.startSupervisor(home);
    const file = writeFlyToml(`app = "${uniqueName('flycrash')}"
[build]
image = "${TEST_IMAGE}"
[processes]
app = "sh -c 'exit 3'"
[[restart]]
policy = "on-failure"
retries = 2
`);
    const { id } = (await deploy(home, file)).app;
    expect(await machineConfig(home, id)).toMatchObject({ restart: { policy: 'on-failure', max_retries: 2 } });

    const events = async () =>
      JSON.parse((await ok(['events', id, '--json'], home)).stdout) as { action: string; reason: string }[];
    await waitFor(
      'the give-up event',
      async () => ((await events()).some((e) => e.action === 'give-up') ? true : undefined),
      15_000,
    );
    const [container] = (await docker(['ps', '-aq', '--filter', `label=io.svc.workload=${id}`])).stdout.split('\n');
    const stopped = await inspectContainer(container);
    expect(stopped.State).toMatchObject({ Running: false, ExitCode: 3 });

    // It stays stopped: nothing restarts it after the budget is spent, not even a new supervisor,
    // whose first reconcile (the one that would judge the exit again) removes a marker made before it.
    await ok(['daemon', 'stop'], home);
    const marker = await reconcileMarker(id, 'machine');
    await ok(['daemon', 'start'], home);
    await marker.removed(home);
    expect((await inspectContainer(container)).State.StartedAt).toBe(stopped.State.StartedAt);
    const after = await events();
    expect(after.filter((e) => e.action === 'restart')).toHaveLength(2);
    const giveUps = after.filter((e) => e.action === 'give-up');
    expect(giveUps).toHaveLength(1);
    expect(giveUps[0].reason).toContain('restart budget spent: 2 restarts in 5 min');
    expect(await machineState(home, id)).toBe('stopped');
    expect((await ok(['m', 'status', id], home)).stdout).toMatch(
      /stopped\s+give-up\s+flyd\s+\S+\s+exit code 3; restart budget spent/,
    );
  });
});
