/**
 * Small points of the CLI's contract with scripts: `deploy --dry-run` changes nothing, `-q` and
 * `--json` together are refused, `config validate` keeps stdout for data, a broken ./fly.toml is
 * an error rather than a machine silently made in app `default`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { useMadeThings } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/wait.js';
import { svc, SVC_BIN, TEST_IMAGE, uniqueName } from '../helpers/svc.js';

const made = useMadeThings();

const flyDir = (text: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-contract-'));
  fs.writeFileSync(path.join(dir, 'fly.toml'), text);
  made.homes.push(dir);
  return dir;
};

const flyToml = (app: string, policy: string) => `app = "${app}"
[build]
  image = "${TEST_IMAGE}"
[processes]
  web = "sleep 3600"
[[restart]]
  policy = "${policy}"
`;

const home = made.home;

test('deploy --dry-run prints the plan and changes nothing, before and after a real deploy', async () => {
  const state = home();
  const app = uniqueName('dry');
  const file = path.join(flyDir(flyToml(app, 'always')), 'fly.toml');

  const first = await svc(['deploy', '-c', file, '--dry-run', '--json'], { home: state });
  expect(first.exitCode).toBe(0);
  expect(JSON.parse(first.stdout)).toEqual([
    expect.objectContaining({ process_group: 'web', result: 'create', restart: { policy: 'always' } }),
  ]);
  expect(fs.existsSync(path.join(state, 'state.json'))).toBe(false);

  const real = await svc(['deploy', '-c', file, '--json'], { home: state });
  expect(real.exitCode).toBe(0);
  made.names.push(`${app}-${JSON.parse(real.stdout)[0].name}`);
  const machineId = JSON.parse(real.stdout)[0].id;
  const stateBefore = fs.readFileSync(path.join(state, 'state.json'));

  fs.writeFileSync(file, flyToml(app, 'never'));
  const second = await svc(['deploy', '-c', file, '--dry-run'], { home: state });
  expect(second.exitCode).toBe(0);
  expect(second.stdout).toMatch(new RegExp(`web\\s+${machineId}\\s+\\S+\\s+update\\s+no\\s+restart always -> no`));
  expect(second.stderr).toContain('nothing will be changed');
  expect(fs.readFileSync(path.join(state, 'state.json')).equals(stateBefore)).toBe(true);
  await svc(['m', 'destroy', '--force', machineId], { home: state });
});

test.each([
  [['service', 'ps', '-q', '--json']],
  [['container', 'ps', '--json', '-q']],
  [['m', 'list', '-q', '--json']],
])('%j is a usage error', async (args) => {
  const result = await svc(args, { home: home() });
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/cannot be used with/);
});

test('config validate keeps stdout empty and says the file is valid on stderr', async () => {
  const dir = flyDir(flyToml(uniqueName('valid'), 'always'));
  const result = await svc(['config', 'validate', '-c', path.join(dir, 'fly.toml')], { home: home() });
  expect(result).toEqual({ exitCode: 0, stdout: '', stderr: expect.stringContaining('Configuration is valid') });
});

test('m run and m list in a folder whose fly.toml is not TOML fail naming it; -a still works', async () => {
  const dir = flyDir('app = "unterminated\n');
  const state = home();
  const env = { SVC_HOME: state, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' };
  for (const args of [
    ['m', 'run', TEST_IMAGE, 'sleep', '1'],
    ['m', 'list'],
  ]) {
    const result = await execa(SVC_BIN, args, { cwd: dir, env, reject: false, stdin: 'ignore' });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${path.join(dir, 'fly.toml')} is not valid TOML`);
  }
  const listed = await execa(SVC_BIN, ['m', 'list', '-a', 'other'], { cwd: dir, env, reject: false, stdin: 'ignore' });
  expect(listed.exitCode).toBe(0);
  expect(fs.existsSync(path.join(state, 'state.json'))).toBe(false);
});

test('events -f --json prints the events there are, then each one written after, one JSON line each', async () => {
  const state = home();
  const [before, after] = [uniqueName('follow'), uniqueName('follow')];
  expect((await svc(['service', 'create', '-n', before, TEST_IMAGE], { home: state })).exitCode).toBe(0);
  const follower = execa(SVC_BIN, ['events', '-f', '--json'], {
    env: { SVC_HOME: state, SVC_NO_AUTOSTART: '1' },
    reject: false,
    stdin: 'ignore',
  });
  let out = '';
  follower.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  try {
    // The existing event printed means it follows from here on (both happen in one tick).
    await waitFor('the existing event', async () => lines().length >= 1);
    expect((await svc(['service', 'create', '-n', after, TEST_IMAGE], { home: state })).exitCode).toBe(0);
    await waitFor('the new event', async () => lines().length >= 2);
    expect(lines().map((e) => [e.workloadName, e.action])).toEqual([
      [before, 'create'],
      [after, 'create'],
    ]);
  } finally {
    follower.kill('SIGINT');
    expect((await follower).exitCode).toBe(130);
  }
});
