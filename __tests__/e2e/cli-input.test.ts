/**
 * End to end, the CLI edge: numbers past their bounds, `-s` words, the launcher's own flags and
 * `m update` without a terminal. Usage errors (exit 2) must leave no state lock and change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MACHINE_ID } from '../helpers/machine.js';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
  UUID4,
} from '../helpers/svc.js';

const HUGE = '99999999999999999999';

let homes: string[] = [];
let workloads: string[] = [];

const newHome = () => {
  const home = makeStateDir();
  homes.push(home);
  return home;
};

beforeAll(requireDocker);

afterEach(async () => {
  await cleanupContainers(workloads);
  homes.forEach(removeStateDir);
  homes = [];
  workloads = [];
});

/** A service that is never started: enough for scale and ps, and quick. */
const createService = async (home: string) => {
  const name = uniqueName('cli');
  const result = await svc(['service', 'create', '-n', name, TEST_IMAGE, 'sleep', '600'], { home });
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  expect(result.stdout.trim()).toMatch(UUID4);
  workloads.push(result.stdout.trim());
  return { name, id: result.stdout.trim() };
};

const targetOf = async (home: string, id: string) =>
  JSON.parse((await svc(['service', 'inspect', id], { home })).stdout).target_num_containers;

const expectNoLock = (home: string) => expect(fs.existsSync(path.join(home, 'state.lock'))).toBe(false);

describe('numbers past their bounds are usage errors that give the range', () => {
  test.each([
    ['-t', ['service', 'run', '-t', HUGE, '-n', 'cli-huge', TEST_IMAGE], '--target-num-containers', '1 to 1000'],
    [
      '-t just past the maximum',
      ['service', 'create', '-t', '1001', '-n', 'cli-huge', TEST_IMAGE],
      '--target-num-containers',
      '1 to 1000',
    ],
    ['--memory', ['service', 'create', '--memory', HUGE, '-n', 'cli-huge', TEST_IMAGE], '--memory', '6 to 16777216'],
    ['logs --tail', ['service', 'logs', '--tail', HUGE, 'cli-huge'], '--tail', '0 to 1000000000'],
  ])('%s', async (_what, args, flag, range) => {
    const home = newHome();
    const result = await svc(args, { home });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain(`for ${flag}: expected a whole number from ${range}`);
    expectNoLock(home);
    expect(fs.existsSync(path.join(home, 'state.json'))).toBe(false);
  });

  test.each([
    ['one past the maximum', '1001'],
    ['past 2^53', HUGE],
  ])('service scale to %s leaves the service as it was', async (_what, count) => {
    const home = newHome();
    const { id, name } = await createService(home);
    const result = await svc(['service', 'scale', name, count], { home });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain(
      `Invalid value '${count}' for NUMBER_OF_CONTAINERS: expected a whole number from 0 to 1000`,
    );
    expectNoLock(home);
    expect(await targetOf(home, id)).toBe(1);
  });

  it('service scale to the maximum is accepted', async () => {
    const home = newHome();
    const { id, name } = await createService(home);
    expect(await svc(['service', 'scale', name, '1000'], { home })).toMatchObject({ exitCode: 0, stdout: id });
    expect(await targetOf(home, id)).toBe(1000);
  });
});

describe('-s takes only a state that exists', () => {
  test.each([
    [
      'service ps',
      ['service', 'ps'],
      'Not running, Starting, Running, Partly running, Scaling, Redeploying, Stopping, Stopped, Terminating, Terminated',
    ],
    ['container ps', ['container', 'ps'], 'Starting, Running, Stopping, Stopped, Terminating, Terminated'],
  ])('%s -s with an unknown word is a usage error listing the states', async (_what, command, states) => {
    const result = await svc([...command, '-s', 'Runing'], { home: newHome() });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain(`Invalid state 'Runing' for -s/--status: expected one of ${states}`);
  });

  it('matches a state whatever its case, a two-word one included', async () => {
    const home = newHome();
    const { id } = await createService(home);
    expect(await svc(['service', 'ps', '-q', '-s', 'NOT RUNNING'], { home })).toMatchObject({
      exitCode: 0,
      stdout: id,
    });
    expect(await svc(['service', 'ps', '-q', '-s', 'running'], { home })).toMatchObject({ exitCode: 0, stdout: '' });
    expect(await svc(['container', 'ps', '-q', '-s', 'stopped'], { home })).toMatchObject({ exitCode: 0, stdout: '' });
  });
});

describe('the launcher', () => {
  it("leaves --env-file to svc: a missing file is svc's usage error, not Node's", async () => {
    const home = newHome();
    const result = await svc(
      ['service', 'run', '--env-file', '/nonexistent/cli.env', '-n', 'cli-envfile', TEST_IMAGE],
      { home },
    );
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain('Cannot read the env file /nonexistent/cli.env');
  });
});

describe('m update without --yes and without a terminal', () => {
  it('refuses before showing anything on stdout, and changes nothing', async () => {
    const home = newHome();
    const run = await svc(['m', 'run', '-a', uniqueName('cli'), TEST_IMAGE, 'sleep', '600'], { home });
    expect(run).toMatchObject({ exitCode: 0 });
    const id = run.stdout.trim();
    expect(id).toMatch(MACHINE_ID);
    workloads.push(id);

    const result = await svc(['m', 'update', id, '--restart', 'on-fail'], { home });
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toContain('yes flag must be specified when not running interactively');
    expect(result.stderr).not.toContain('Configuration changes');
    expect((await svc(['m', 'status', '-d', id], { home })).stdout).toContain('"policy": "always"');
  });
});
