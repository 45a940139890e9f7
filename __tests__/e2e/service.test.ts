/**
 * End to end: the built `bin/svc` run as a process against the real Docker engine.
 * Each test has its own state dir and unique names, and removes the containers it made.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupContainers,
  containersWithWorkloadLabel,
  inspectContainer,
  makeStateDir,
  removeStateDir,
  requireBuiltCli,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
  UUID4,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

/** Exits at once on SIGTERM, so `stop` does not wait Docker's 10 s for a kill. */
const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

let names: string[] = [];
let homes: string[] = [];

const newHome = () => {
  const home = makeStateDir();
  homes.push(home);
  return home;
};

const newName = (prefix = 'svct') => {
  const name = uniqueName(prefix);
  names.push(name);
  return name;
};

beforeAll(async () => {
  await requireDocker();
  requireBuiltCli();
});

afterEach(async () => {
  await cleanupContainers(names);
  homes.forEach(removeStateDir);
  names = [];
  homes = [];
});

/** `svc service run` that must succeed; returns the printed uuid. */
const runService = async (home: string, name: string, options: string[] = [], command = LONG_RUNNING) => {
  const result = await svc(['service', 'run', ...options, '--name', name, TEST_IMAGE, ...command], { home });
  expect(result).toMatchObject({ exitCode: 0, stderr: '' });
  const uuid = result.stdout.trim();
  expect(uuid).toMatch(UUID4);
  return uuid;
};

const ok = async (args: string[], home: string) => {
  const result = await svc(args, { home });
  expect({ args, ...result }).toMatchObject({ args, exitCode: 0 });
  return result;
};

/** The `service ps` row of one service, split into its columns. */
const psRow = async (home: string, name: string) => {
  const { stdout } = await ok(['service', 'ps'], home);
  const [header, ...lines] = stdout.trimEnd().split('\n');
  expect(header.split(/\s{2,}/)).toEqual([
    'NAME',
    'UUID',
    'STATUS',
    '#CONTAINERS',
    'IMAGE',
    'DEPLOYED',
    'AUTORESTART',
    'RESTARTS',
  ]);
  const row = lines.map((line) => line.trim().split(/\s{2,}/)).find((cells) => cells[0] === name);
  if (!row) throw new Error(`service ps does not list ${name}:\n${stdout}`);
  const [, uuid, status, containers, image] = row;
  return { uuid, status, containers, image };
};

const inspectService = async (home: string, id: string) =>
  JSON.parse((await ok(['service', 'inspect', id], home)).stdout);

const psQuiet = async (home: string) => (await ok(['service', 'ps', '-q'], home)).stdout.split('\n').filter(Boolean);

const isRunning = async (container: string) => (await inspectContainer(container))?.State.Running === true;

const runningContainerNames = async (uuid: string) => {
  const details = await Promise.all((await containersWithWorkloadLabel(uuid)).map(inspectContainer));
  return details
    .filter((c) => c?.State.Running)
    .map((c) => String(c.Name).replace(/^\//, ''))
    .sort();
};

describe('service run', () => {
  test('-t 2 starts two labelled containers that Docker itself never restarts', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name, ['-t', '2']);

    for (const instance of [1, 2]) {
      const container = await inspectContainer(`${name}-${instance}`);
      expect(container).not.toBeNull();
      expect(container.State.Running).toBe(true);
      expect(container.Config.Labels).toMatchObject({
        'io.svc.managed': 'true',
        'io.svc.workload': uuid,
        'io.svc.instance': String(instance),
      });
      expect(container.HostConfig.RestartPolicy.Name).toBe('no');
    }
    expect(await containersWithWorkloadLabel(uuid)).toHaveLength(2);

    expect(await psRow(home, name)).toEqual({
      uuid: uuid.slice(0, 8),
      status: expect.stringContaining('Running'),
      containers: '2',
      image: TEST_IMAGE,
    });

    const json = JSON.parse((await ok(['service', 'ps', '--json'], home)).stdout);
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      uuid,
      name,
      state: 'Running',
      target_num_containers: 2,
      running_num_containers: 2,
    });
  });

  test('`svc run` is the same command', async () => {
    const home = newHome();
    const name = newName();
    const result = await svc(['run', '--name', name, TEST_IMAGE, ...LONG_RUNNING], { home });
    expect(result.exitCode).toBe(0);
    const uuid = result.stdout.trim();
    expect(uuid).toMatch(UUID4);
    expect(await runningContainerNames(uuid)).toEqual([`${name}-1`]);
    expect((await psRow(home, name)).status).toContain('Running');
  });

  test('everything after IMAGE is the container command, flags included', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name, [], ['sh', '-c', 'echo hello --name; sleep 600']);
    expect((await inspectService(home, uuid)).name).toBe(name);

    // Container output appears a moment after `run` returns.
    const logs = await waitFor('the output in the logs', async () => {
      const { stdout } = await ok(['service', 'logs', name], home);
      return stdout.includes('hello --name') && stdout;
    });
    expect(logs).toContain(`${name}-1`);
    expect(logs).toContain('hello --name');
  });

  test('-e K=V reaches the container environment', async () => {
    const home = newHome();
    const name = newName();
    await runService(home, name, ['-e', 'GREETING=hello world', '-e', 'EMPTY=', '-e', 'EQ=a=b']);
    const env: string[] = (await inspectContainer(`${name}-1`)).Config.Env;
    expect(env).toEqual(expect.arrayContaining(['GREETING=hello world', 'EMPTY=', 'EQ=a=b']));
  });

  test('20 runs started at the same moment are all recorded', async () => {
    const home = newHome();
    const batch = Array.from({ length: 20 }, () => newName('svcpar'));
    const results = await Promise.all(
      batch.map((name) => svc(['service', 'run', '--name', name, TEST_IMAGE, 'sleep', '600'], { home })),
    );
    for (const result of results) expect(result).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(UUID4) });

    const printed = results.map((r) => r.stdout.trim()).sort();
    expect(new Set(printed).size).toBe(20);
    expect((await psQuiet(home)).sort()).toEqual(printed);
    const json = JSON.parse((await ok(['service', 'ps', '--json'], home)).stdout);
    expect(json.map((s: { name: string }) => s.name).sort()).toEqual([...batch].sort());
    expect(json.every((s: { state: string }) => s.state === 'Running')).toBe(true);
  }, 120_000);
});

describe('service lifecycle', () => {
  test('scale up to 3 and down to 1 removes the surplus containers from Docker', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name);

    await ok(['service', 'scale', name, '3'], home);
    expect(await runningContainerNames(uuid)).toEqual([`${name}-1`, `${name}-2`, `${name}-3`]);
    expect(await psRow(home, name)).toMatchObject({ containers: '3', status: expect.stringContaining('Running') });

    await ok(['service', 'scale', name, '1'], home);
    expect(await runningContainerNames(uuid)).toEqual([`${name}-1`]);
    expect(await inspectContainer(`${name}-2`)).toBeNull();
    expect(await inspectContainer(`${name}-3`)).toBeNull();
    expect(await containersWithWorkloadLabel(uuid)).toHaveLength(1);
    expect(await psRow(home, name)).toMatchObject({ containers: '1', status: expect.stringContaining('Running') });
  });

  test('stop leaves the container stopped; start runs it again', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name);

    const stopped = await ok(['service', 'stop', name], home);
    expect(stopped.stdout.trim()).toBe(uuid);
    expect((await psRow(home, name)).status).toContain('Stopped');
    expect(await inspectContainer(`${name}-1`)).toMatchObject({ State: { Running: false } });

    await ok(['service', 'start', uuid.slice(0, 8)], home);
    expect((await psRow(home, name)).status).toContain('Running');
    expect(await isRunning(`${name}-1`)).toBe(true);
  });

  test('redeploy gives fresh containers under the same names', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name, ['-t', '2']);
    const before = await Promise.all([1, 2].map(async (i) => (await inspectContainer(`${name}-${i}`)).Id));

    await ok(['service', 'redeploy', name], home);
    const after = await Promise.all([1, 2].map((i) => inspectContainer(`${name}-${i}`)));
    for (const [i, container] of after.entries()) {
      expect(container.State.Running).toBe(true);
      expect(container.Id).not.toBe(before[i]);
      expect(container.Config.Labels['io.svc.workload']).toBe(uuid);
    }
    expect(await containersWithWorkloadLabel(uuid)).toHaveLength(2);
    expect((await psRow(home, name)).status).toContain('Running');
  });

  test('terminate removes the containers and the service shows Terminated', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name, ['-t', '2']);

    await ok(['service', 'terminate', uuid], home);
    expect(await containersWithWorkloadLabel(uuid)).toEqual([]);
    expect((await psRow(home, name)).status).toContain('Terminated');
  });

  test('create records a service that is Not running and has no containers; start runs it', async () => {
    const home = newHome();
    const name = newName();
    const created = await svc(['service', 'create', '--name', name, TEST_IMAGE, ...LONG_RUNNING], { home });
    expect(created.exitCode).toBe(0);
    const uuid = created.stdout.trim();
    expect(uuid).toMatch(UUID4);
    expect(await psRow(home, name)).toMatchObject({ status: expect.stringContaining('Not running'), containers: '0' });
    expect(await containersWithWorkloadLabel(uuid)).toEqual([]);

    await ok(['service', 'start', name], home);
    expect((await psRow(home, name)).status).toContain('Running');
    expect(await runningContainerNames(uuid)).toEqual([`${name}-1`]);
  });
});

describe('policy flags', () => {
  test('words are stored case-insensitively, changed by set, and a conflicting set changes nothing', async () => {
    const home = newHome();
    const name = newName();
    const uuid = await runService(home, name, [
      '--autorestart',
      'on_failure',
      '--autoreplace',
      'ALWAYS',
      '--autodestroy',
      'off',
    ]);

    expect(await inspectService(home, uuid)).toMatchObject({
      autorestart: 'ON_FAILURE',
      autoreplace: 'ALWAYS',
      autodestroy: 'OFF',
    });

    const set = await ok(['service', 'set', '--autorestart', 'ALWAYS', uuid], home);
    expect(set.stdout.trim()).toBe(uuid);
    const afterSet = await inspectService(home, uuid);
    expect(afterSet).toMatchObject({ autorestart: 'ALWAYS', autoreplace: 'ALWAYS', autodestroy: 'OFF' });
    expect((await psRow(home, name)).status).toContain('Running');

    const refused = await svc(['service', 'set', '--autodestroy', 'ALWAYS', uuid], { home });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/autodestroy/i);
    const afterRefusal = await inspectService(home, uuid);
    expect(afterRefusal).toMatchObject({ autorestart: 'ALWAYS', autoreplace: 'ALWAYS', autodestroy: 'OFF' });
    expect(afterRefusal.restart_policy).toEqual(afterSet.restart_policy);
  });
});

describe('bad input', () => {
  test('an unknown policy word exits 2, lists the valid words and creates nothing', async () => {
    const home = newHome();
    const name = newName();
    const result = await svc(
      ['service', 'run', '--autorestart', 'SOMETIMES', '--name', name, TEST_IMAGE, 'sleep', '600'],
      { home },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    for (const word of ['OFF', 'ON_FAILURE', 'ALWAYS']) expect(result.stderr).toContain(word);
    expect(await psQuiet(home)).toEqual([]);
    expect(await inspectContainer(`${name}-1`)).toBeNull();
  });

  test('--autorestart ALWAYS with --autodestroy ON_SUCCESS exits 1 and creates nothing', async () => {
    const home = newHome();
    const name = newName();
    const result = await svc(
      [
        'service',
        'run',
        '--autorestart',
        'ALWAYS',
        '--autodestroy',
        'ON_SUCCESS',
        '--name',
        name,
        TEST_IMAGE,
        'sleep',
        '600',
      ],
      { home },
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--autodestroy');
    expect(await psQuiet(home)).toEqual([]);
    expect(await inspectContainer(`${name}-1`)).toBeNull();
  });

  test('an unknown identifier exits 3 with the DC message', async () => {
    const home = newHome();
    const result = await svc(['service', 'stop', 'no-such-service'], { home });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("Cannot find a service with the identifier 'no-such-service'");
  });

  test('an identifier that is the prefix of two uuids exits 3 and asks for the long uuid', async () => {
    const home = newHome();
    // 17 uuids over 16 hex digits: at least two start with the same one.
    const created = await Promise.all(
      Array.from({ length: 17 }, () =>
        svc(['service', 'create', '--name', newName('svcamb'), TEST_IMAGE, 'sleep', '600'], { home }),
      ),
    );
    for (const result of created) expect(result.exitCode).toBe(0);
    const firstDigits = created.map((r) => r.stdout.trim()[0]);
    const shared = firstDigits.find((digit, i) => firstDigits.indexOf(digit) !== i)!;

    const result = await svc(['service', 'inspect', shared], { home });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('More than one service has the same identifier, please use the long uuid');
  });

  test('a command given several identifiers acts on the known ones and then exits 3', async () => {
    const home = newHome();
    const [first, second] = [newName(), newName()];
    const uuids = [await runService(home, first), await runService(home, second)];

    const result = await svc(['service', 'stop', first, 'no-such-service', second], { home });
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain("Cannot find a service with the identifier 'no-such-service'");
    expect(result.stdout.trim().split('\n')).toEqual(uuids);
    expect((await psRow(home, first)).status).toContain('Stopped');
    expect((await psRow(home, second)).status).toContain('Stopped');
    expect(await isRunning(`${first}-1`)).toBe(false);
    expect(await isRunning(`${second}-1`)).toBe(false);
  });

  test('an unreachable Docker engine exits 4, says how to start Docker and records nothing', async () => {
    const home = newHome();
    const name = newName();
    const env = { DOCKER_HOST: 'unix:///nonexistent.sock' };

    const run = await svc(['service', 'run', '--name', name, TEST_IMAGE, 'sleep', '600'], { home, env });
    expect(run.exitCode).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Start Docker/);

    const ps = await svc(['service', 'ps'], { home, env });
    expect(ps.exitCode).toBe(4);
    expect(ps.stderr).toMatch(/Start Docker/);

    expect(await psQuiet(home)).toEqual([]);
    expect(await inspectContainer(`${name}-1`)).toBeNull();
  });

  test('a corrupt state file is reported by name and left byte for byte as it was', async () => {
    const home = newHome();
    const name = newName();
    const stateFile = path.join(home, 'state.json');
    fs.writeFileSync(stateFile, '{not json');

    const ps = await svc(['service', 'ps'], { home });
    expect(ps.exitCode).toBe(1);
    expect(ps.stderr).toContain(stateFile);

    const run = await svc(['service', 'run', '--name', name, TEST_IMAGE, 'sleep', '600'], { home });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(stateFile);
    expect(await inspectContainer(`${name}-1`)).toBeNull();

    expect(fs.readFileSync(stateFile, 'utf8')).toBe('{not json');
  });
});
