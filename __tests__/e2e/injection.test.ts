/**
 * End to end, hostile input: no user value may become a Docker flag, and env values from
 * --env-file stay out of sight. Every attempt is either refused as a usage error with nothing
 * recorded, or, where the value is legitimately data, the container svc made is checked with
 * `docker inspect` for the powers the attempt was after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  docker,
  inspectContainer,
  makeStateDir,
  removeStateDir,
  requireBuiltCli,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';

/** Exits at once on SIGTERM; the trailing words become the shell's $0 and $1, plain data. */
const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

/** Flags a hostile image argument would smuggle into `docker create`. */
const FLAGS_AS_IMAGE = [
  '--pid=host',
  '--volume=/:/hostroot',
  '--privileged',
  '--network=host',
  '-v=/:/h',
  '--entrypoint=/bin/sh',
];

let names: string[] = [];
let homes: string[] = [];
let files: string[] = [];

const newHome = () => {
  const home = makeStateDir();
  homes.push(home);
  return home;
};

/** Every container svc makes for this name starts with it: `<service>-<n>`, `<app>-<machine>`. */
const newName = () => {
  const name = uniqueName('inj');
  names.push(name);
  return name;
};

const containersNamed = async (prefix: string): Promise<string[]> =>
  (await docker(['ps', '-aq', '--filter', `name=^/${prefix}-`])).stdout.split('\n').filter(Boolean);

beforeAll(async () => {
  await requireDocker();
  requireBuiltCli();
});

afterEach(async () => {
  const ids = (await Promise.all(names.map(containersNamed))).flat();
  if (ids.length > 0) await docker(['rm', '-f', ...ids]);
  homes.forEach(removeStateDir);
  files.forEach((file) => fs.rmSync(file, { recursive: true, force: true }));
  names = [];
  homes = [];
  files = [];
});

/** None of the powers an injected flag would have given the container. */
const expectConfined = (container: any) => {
  expect(container).not.toBeNull();
  expect(container.HostConfig.Privileged).toBe(false);
  expect(container.HostConfig.PidMode).not.toBe('host');
  expect(container.HostConfig.NetworkMode).not.toBe('host');
  expect(container.HostConfig.Binds ?? []).toEqual([]);
  expect(container.Mounts ?? []).toEqual([]);
};

/** Refused as a usage error, with nothing recorded and no container made. */
const expectRefused = async (
  result: { exitCode: number; stderr: string },
  home: string,
  name: string,
  message: RegExp,
) => {
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toMatch(message);
  expect((await svc(['service', 'ps', '-q'], { home })).stdout).toBe('');
  expect((await svc(['m', 'list', '-q'], { home })).stdout).toBe('');
  expect(await containersNamed(name)).toEqual([]);
};

describe('a Docker flag given as the image is refused', () => {
  test.each(FLAGS_AS_IMAGE)('service run -- %s IMAGE', async (flag) => {
    const home = newHome();
    const name = newName();
    const result = await svc(['service', 'run', '-n', name, '--', flag, TEST_IMAGE, 'sleep', '1'], { home });
    await expectRefused(result, home, name, /not an image reference/);
  });

  test.each(['--privileged', '--pid=host'])('svc run and service create: %s', async (flag) => {
    const home = newHome();
    const name = newName();
    await expectRefused(
      await svc(['run', '-n', name, '--', flag, TEST_IMAGE], { home }),
      home,
      name,
      /not an image reference/,
    );
    await expectRefused(
      await svc(['service', 'create', '-n', name, '--', flag, TEST_IMAGE], { home }),
      home,
      name,
      /not an image reference/,
    );
  });

  test.each(['--privileged', '--volume=/:/hostroot'])('m run -- %s IMAGE', async (flag) => {
    const home = newHome();
    const app = newName();
    const result = await svc(['m', 'run', '-a', app, '-n', 'box', '--', flag, TEST_IMAGE, 'sleep', '1'], { home });
    await expectRefused(result, home, app, /not an image reference/);
  });

  test('fly.toml [build] image is a config problem, and nothing is deployed', async () => {
    const home = newHome();
    const app = newName();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-inj-'));
    files.push(dir);
    const toml = path.join(dir, 'fly.toml');
    fs.writeFileSync(toml, `app = "${app}"\n[build]\nimage = "--privileged"\n[processes]\napp = "sleep 600"\n`);
    const result = await svc(['deploy', '-c', toml], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('build.image "--privileged" is not an image reference');
    expect(result.stderr).toContain('App configuration is not valid');
    expect((await svc(['m', 'list', '-q'], { home })).stdout).toBe('');
    expect(await containersNamed(app)).toEqual([]);
  });

  test('a flag as the service name is refused', async () => {
    const home = newHome();
    const name = newName();
    const result = await svc(['service', 'run', '-n', '--privileged', TEST_IMAGE, 'sleep', '1'], { home });
    await expectRefused(result, home, name, /Invalid service name '--privileged'/);
  });
});

describe('a flag that is data reaches the container as data', () => {
  test('--entrypoint --privileged is the entrypoint, not a flag', async () => {
    const home = newHome();
    const name = newName();
    // No executable is named --privileged, so the start fails and svc removes what it made; the
    // runtime's own message shows which part of the container docker took the value for.
    const run = await svc(['service', 'run', '-n', name, '--entrypoint', '--privileged', TEST_IMAGE, '--pid=host'], {
      home,
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('exec: "--privileged": executable file not found');
    expect(await containersNamed(name)).toEqual([]);
  });

  test("with --entrypoint, flags after IMAGE are the entrypoint's arguments", async () => {
    const home = newHome();
    const name = newName();
    const run = await svc(
      ['service', 'run', '-n', name, '--entrypoint', 'sh', TEST_IMAGE, '-c', 'sleep 600', '--privileged'],
      { home },
    );
    expect(run.exitCode).toBe(0);
    const container = await inspectContainer(`${name}-1`);
    expectConfined(container);
    expect(container.Config.Entrypoint).toEqual(['sh']);
    expect(container.Config.Cmd).toEqual(['-c', 'sleep 600', '--privileged']);
  });

  test('an -e value and the command after IMAGE stay data', async () => {
    const home = newHome();
    const name = newName();
    const command = [...LONG_RUNNING, '--privileged', '--volume=/:/hostroot'];
    const run = await svc(
      ['service', 'run', '-n', name, '-e', 'MODE=--privileged', '-e', 'NET=--network=host', TEST_IMAGE, ...command],
      { home },
    );
    expect(run.exitCode).toBe(0);
    const container = await inspectContainer(`${name}-1`);
    expectConfined(container);
    expect(container.Config.Env).toEqual(expect.arrayContaining(['MODE=--privileged', 'NET=--network=host']));
    expect(container.Config.Cmd).toEqual(command);
  });

  test('m run: the command after IMAGE stays data', async () => {
    const home = newHome();
    const app = newName();
    const command = [...LONG_RUNNING, '--pid=host'];
    const run = await svc(['m', 'run', '-a', app, '-n', 'box', '-e', 'X=--privileged', TEST_IMAGE, ...command], {
      home,
    });
    expect(run.exitCode).toBe(0);
    const container = await inspectContainer(`${app}-box`);
    expectConfined(container);
    expect(container.Config.Cmd).toEqual(command);
  });
});

describe('env values from --env-file', () => {
  test('reach the container, are masked in inspect and --json, and leave no file behind', async () => {
    const home = newHome();
    const name = newName();
    const secret = `s3cret-${uniqueName('value')}`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-inj-'));
    files.push(dir);
    const envFile = path.join(dir, 'secrets.env');
    fs.writeFileSync(envFile, `# a comment\nTOKEN=${secret}\n`);

    const run = await svc(
      ['service', 'run', '-n', name, '-e', 'A=1', '--env-file', envFile, TEST_IMAGE, ...LONG_RUNNING],
      { home },
    );
    expect(run.exitCode).toBe(0);
    expect((await inspectContainer(`${name}-1`)).Config.Env).toEqual(
      expect.arrayContaining(['A=1', `TOKEN=${secret}`]),
    );

    const inspected = await svc(['service', 'inspect', name], { home });
    const listed = await svc(['service', 'ps', '--json'], { home });
    for (const output of [inspected.stdout, listed.stdout]) {
      expect(output).not.toContain(secret);
      const object = JSON.parse(output);
      const envvars = (Array.isArray(object) ? object[0] : object).container_envvars;
      expect(envvars).toEqual(
        expect.arrayContaining([
          { key: 'A', value: '1' },
          { key: 'TOKEN', value: '********' },
        ]),
      );
    }

    // The env file docker read is gone: not in the state dir, not in a temp dir.
    const leftovers = [home, os.tmpdir()].flatMap((root) =>
      fs
        .readdirSync(root)
        .filter((entry) => entry.startsWith('svc-env-'))
        .map((entry) => path.join(root, entry)),
    );
    const holdingSecret = leftovers.filter((entry) =>
      fs.readdirSync(entry).some((file) => fs.readFileSync(path.join(entry, file), 'utf8').includes(secret)),
    );
    expect(holdingSecret).toEqual([]);
    expect(fs.readdirSync(home).filter((entry) => /env/.test(entry))).toEqual([]);
  });

  test('a line docker would misread is refused before anything is recorded', async () => {
    const home = newHome();
    const name = newName();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-inj-'));
    files.push(dir);
    const envFile = path.join(dir, 'bad.env');
    fs.writeFileSync(envFile, 'GOOD=1\nBAD NAME=2\n');
    const result = await svc(['service', 'run', '-n', name, '--env-file', envFile, TEST_IMAGE, 'sleep', '1'], { home });
    await expectRefused(result, home, name, /BAD NAME/);
  });
});

describe('-r/--run-command is split like a shell, expanding nothing', () => {
  test('$HOME stays literal text', async () => {
    const home = newHome();
    const name = newName();
    const created = await svc(['service', 'create', '-n', name, '-r', 'sh -c "echo $HOME"', TEST_IMAGE], { home });
    expect(created.exitCode).toBe(0);
    const object = JSON.parse((await svc(['service', 'inspect', name], { home })).stdout);
    // Shown back quoted so that it splits into the same words again: `$HOME` is still literal.
    expect(object.run_command).toBe("sh -c 'echo $HOME'");
  });

  test('an unbalanced quote is refused', async () => {
    const home = newHome();
    const name = newName();
    const result = await svc(['service', 'create', '-n', name, '-r', `sh -c 'echo hi`, TEST_IMAGE], { home });
    await expectRefused(result, home, name, /unterminated single quote/);
  });
});
