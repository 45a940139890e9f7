/**
 * End to end, the one name rule (core/names.ts) and fly.toml's checks, on the CLI: a name of 63
 * characters makes containers Docker runs; a longer one, and a fly.toml the Machines API would
 * refuse, are refused before anything is made, with the state dir as it was.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stateBytes } from './api-helpers.js';
import {
  cleanupContainers,
  docker,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
} from '../helpers/svc.js';

let homes: string[] = [];
let workloads: string[] = [];

const newHome = () => {
  const home = makeStateDir();
  homes.push(home);
  return home;
};

/** A unique name of exactly `length` characters. */
const nameOf = (length: number) => `n${randomBytes(4).toString('hex')}`.padEnd(length, 'x');

beforeAll(requireDocker);

/** Every workload a state dir holds, one a refused command should not have made included. */
const workloadsIn = (home: string): string[] => {
  const file = path.join(home, 'state.json');
  return fs.existsSync(file)
    ? Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { workloads: object }).workloads)
    : [];
};

afterEach(async () => {
  await cleanupContainers([...workloads, ...homes.flatMap(workloadsIn)]);
  homes.forEach(removeStateDir);
  homes = [];
  workloads = [];
});

describe('service and machine names: at most 63 characters', () => {
  it('a service of a 63-character name runs, as container NAME-1', async () => {
    const home = newHome();
    const name = nameOf(63);
    const run = await svc(['service', 'run', '-n', name, TEST_IMAGE, 'sleep', '600'], { home });
    expect(run).toMatchObject({ exitCode: 0 });
    workloads.push(run.stdout.trim());
    const listed = await docker(['ps', '--filter', `name=^/${name}-1$`, '--format', '{{.Names}}']);
    expect(listed.stdout.trim()).toBe(`${name}-1`);
  });

  it.each([
    ['service create, 64 characters', (name: string) => ['service', 'create', '-n', name, TEST_IMAGE], 64],
    ['service create, 100,000 characters', (name: string) => ['service', 'create', '-n', name, TEST_IMAGE], 100_000],
    ['m run -n, 64 characters', (name: string) => ['m', 'run', '-n', name, TEST_IMAGE], 64],
    ['m run -a, 64 characters', (name: string) => ['m', 'run', '-a', name, TEST_IMAGE], 64],
  ])('%s: a usage error (exit 2) giving the limit, and nothing is made', async (_, args, length) => {
    const home = newHome();
    const before = stateBytes(home);
    const result = await svc(args(nameOf(length)), { home });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('at most 63 characters');
    expect(result.stderr.length).toBeLessThan(1000);
    expect(stateBytes(home)).toEqual(before);
  });
});

describe('fly.toml: what the Machines API refuses, deploy refuses', () => {
  it.each([
    [
      'retries = 1e20',
      '[processes]\napp = "sleep 600"\n[[restart]]\npolicy = "on-failure"\nretries = 1e20\n',
      'retries',
    ],
    ['a group named --privileged', '[processes]\n"--privileged" = "sleep 600"\n', "'--privileged'"],
    ['a group named ../../etc', '[processes]\n"../../etc" = "sleep 600"\n', "'../../etc'"],
    [
      'a group named <img src=x onerror=alert(1)>',
      '[processes]\n"<img src=x onerror=alert(1)>" = "sleep 600"\n',
      "'<img src=x onerror=alert(1)>'",
    ],
    ['an app name of 64 characters', '', 'invalid app name'],
  ])('%s: config validate and deploy fail (exit 1) naming it, and nothing is made', async (what, rest, named) => {
    const home = newHome();
    const app = what.startsWith('an app name') ? nameOf(64) : nameOf(20);
    const file = path.join(home, 'fly.toml');
    fs.writeFileSync(file, `app = "${app}"\n[build]\nimage = "${TEST_IMAGE}"\n${rest}`);
    const before = stateBytes(home);
    for (const args of [
      ['config', 'validate', '-c', file],
      ['deploy', '-c', file],
    ]) {
      const result = await svc(args, { home });
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 1 });
      expect(result.stderr).toContain(named);
      expect(result.stderr).toContain('App configuration is not valid');
    }
    expect(stateBytes(home)).toEqual(before);
    expect((await docker(['ps', '-aq', '--filter', `name=^/${app}-`])).stdout.trim()).toBe('');
  });
});
