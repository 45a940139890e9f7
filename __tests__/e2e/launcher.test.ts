/**
 * bin/svc's launcher (src/launch/): the CLI bundle compiled with the build's V8 code cache, the
 * container list asked for before the CLI has loaded, `--version` answered from package.json, and
 * `service ps` and `m list` answered by a bundle of their own. What a user sees must not change with
 * any of it.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireBuiltCli,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { ok } from './supervisor-helpers.js';

const ROOT = path.resolve(path.dirname(SVC_BIN), '..');
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/svc-test-docker.sock' };
let home: string;
let scratch: string;
let service: string;
let machine: string;
let machineApp: string;

beforeAll(async () => {
  requireBuiltCli();
  await requireDocker();
  home = makeStateDir();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-launcher-'));
  service = ok(await svc(['service', 'run', '-n', uniqueName('launch'), TEST_IMAGE, 'sleep', '3600'], { home }));
  machineApp = uniqueName('launch');
  machine = ok(await svc(['m', 'run', '-a', machineApp, TEST_IMAGE, 'sleep', '3600'], { home }));
});

afterAll(async () => {
  await cleanupContainers([service, machine]);
  removeStateDir(home);
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A directory for PATH with node and, if asked, a docker that logs each call to `log` and then runs the real one. */
const pathWith = async (name: string, { loggingDocker }: { loggingDocker: string | null }) => {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.symlinkSync(process.execPath, path.join(dir, 'node'));
  if (loggingDocker) {
    const realDocker = (await execa('sh', ['-c', 'command -v docker'])).stdout.trim();
    fs.writeFileSync(
      path.join(dir, 'docker'),
      `#!/bin/sh\necho "$*" >> '${loggingDocker}'\nexec '${realDocker}' "$@"\n`,
      { mode: 0o755 },
    );
  }
  return dir;
};

const READ_ONLY = (): string[][] => [
  ['service', 'ps'],
  ['service', 'inspect', service],
  ['container', 'ps'],
  ['m', 'list'],
  ['m', 'status', machine],
];

test.each([['--version'], ['-V']])('svc %s prints the version in package.json and nothing else', async (flag) => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const result = await svc([flag], { home });
  expect(result).toEqual({ exitCode: 0, stdout: version, stderr: '' });
});

/** The one bundle in dist/ whose name starts so. */
const bundleNamed = (prefix: string) => {
  const bundles = fs
    .readdirSync(path.join(ROOT, 'dist'))
    .filter((name) => name.startsWith(`${prefix}-`) && name.endsWith('.cjs'));
  expect(bundles).toHaveLength(1);
  return path.join(ROOT, 'dist', bundles[0]);
};

test.each(['cli', 'quick'])(
  'the build made a code cache for the %s bundle that this node accepts, so it is not compiled from source',
  async (prefix) => {
    const check = `
    const { compileBundle, codeCacheFileFor } = require(${JSON.stringify(path.join(ROOT, 'dist', 'svc.cjs'))});
    const bundle = ${JSON.stringify(bundleNamed(prefix))};
    const { script } = compileBundle(bundle, require('node:fs').readFileSync(codeCacheFileFor(bundle)));
    process.stdout.write(String(script.cachedDataRejected));
  `;
    const result = await execa(process.execPath, ['-e', check], { reject: false });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('false');
  },
);

test("a listing does not load the API server's HTTP libraries (a bundle of their own, over half the code)", async () => {
  const vendor = fs.readdirSync(path.join(ROOT, 'dist')).filter((name) => /^api-vendor-.*\.cjs$/.test(name));
  expect(vendor).toHaveLength(1);
  // Every module request node's CommonJS loader sees, written down as the process exits.
  const loaded = path.join(scratch, 'loaded.txt');
  const hook = path.join(scratch, 'record-requires.cjs');
  fs.writeFileSync(
    hook,
    `const Module = require('node:module'); const fs = require('node:fs'); const seen = [];
     const load = Module._load; Module._load = function (request, ...rest) { seen.push(request); return load.call(this, request, ...rest); };
     process.on('exit', () => fs.writeFileSync(${JSON.stringify(loaded)}, seen.join('\\n')));`,
  );
  const result = await svc(['service', 'ps'], { home, env: { NODE_OPTIONS: `--require ${hook}` } });
  expect(result.exitCode).toBe(0);
  const requests = fs.readFileSync(loaded, 'utf8').split('\n');
  expect(requests.some((request) => request.includes('cli-'))).toBe(false); // the bundle is compiled, not required
  expect(requests.some((request) => request.includes('api-vendor'))).toBe(false);
  expect(requests).toContain('node:child_process');
});

test('each read-only listing asks docker for the container list once, and shows what docker has', async () => {
  const log = path.join(scratch, 'docker-calls.log');
  const PATH = await pathWith('logging', { loggingDocker: log });
  for (const args of READ_ONLY()) {
    fs.writeFileSync(log, '');
    const result = await svc(args, { home, env: { PATH } });
    expect(result.exitCode).toBe(0);
    const calls = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
    expect(calls.filter((call) => call.startsWith('ps '))).toHaveLength(1);
  }
  const listed = JSON.parse(ok(await svc(['service', 'inspect', service], { home, env: { PATH } })));
  expect(listed.state).toBe('Running');
  expect(listed.containers[0].state).toBe('Running');
});

// The ids exist only once beforeAll has run: each case picks its command by position.
test.each(
  ['service ps', 'service inspect', 'container ps', 'm list', 'm status'].map((name, index) => [name, index] as const),
)('%s with Docker unreachable exits 4 with the reason, as before', async (_, index) => {
  const result = await svc(READ_ONLY()[index], { home, env: NO_DOCKER });
  expect(result.exitCode).toBe(4);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/Cannot connect to the Docker engine/);
});

test('with no docker on PATH a listing exits 4 saying the docker CLI is not installed', async () => {
  const PATH = await pathWith('no-docker', { loggingDocker: null });
  const result = await svc(['service', 'ps'], { home, env: { PATH } });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toMatch(
    /Cannot connect to the Docker engine: the docker CLI is not installed \(no `docker` on PATH\)/,
  );
});

describe('service ps and m list, answered by the quick bundle', () => {
  /** The CLI bundle run directly, without the launcher and its quick answer. */
  const cliItself = async (args: string[], env: Record<string, string> = {}) => {
    const run = `require(${JSON.stringify(bundleNamed('cli'))}).main(['node', 'svc', ...process.argv.slice(1)])`;
    const result = await execa(process.execPath, ['-e', run, '--', ...args], {
      reject: false,
      stdin: 'ignore',
      env: { ...env, SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };

  /** bin/svc run in a directory of the test's choosing (where ./fly.toml is looked for). */
  const svcIn = async (cwd: string, args: string[], env: Record<string, string> = {}) => {
    const result = await execa(SVC_BIN, args, {
      cwd,
      reject: false,
      stdin: 'ignore',
      env: { ...env, SVC_HOME: home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
    });
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  };

  /** The two runs are a moment apart: a table's "4 seconds ago" may be "5 seconds ago" in the next. */
  const sameMoment = (result: { stdout: string }) => ({
    ...result,
    stdout: result.stdout.replace(/\b(\d+ \w+ ago|just now)\b/g, 'AGO'),
  });

  /** The bundles in dist/ a command read, through a hook on node's readFileSync. */
  const bundlesRead = async (args: string[], env: Record<string, string> = {}, cwd = scratch) => {
    const read = path.join(scratch, `read-${uniqueName('bundles')}.txt`);
    const hook = path.join(scratch, `record-reads-${uniqueName('hook')}.cjs`);
    fs.writeFileSync(
      hook,
      `const fs = require('node:fs'); const readFileSync = fs.readFileSync; const seen = [];
       fs.readFileSync = function (file, ...rest) { const name = typeof file === 'string' ? require('node:path').basename(file) : ''; if (/^(cli|quick)-.*\\.cjs$/.test(name)) seen.push(name.split('-')[0]); return readFileSync.call(this, file, ...rest); };
       process.on('exit', () => fs.writeFileSync(${JSON.stringify(read)}, seen.join('\\n')));`,
    );
    const result = await svcIn(cwd, args, { ...env, NODE_OPTIONS: `--require ${hook}` });
    return { result, bundles: fs.readFileSync(read, 'utf8').split('\n').filter(Boolean) };
  };

  test.each([[[]], [['--json']], [['-q']], [['-s', 'running']], [['--status=Stopped']], [['--no-color', '--quiet']]])(
    'service ps %p prints exactly what the CLI prints',
    async (flags) => {
      const quick = await svc(['service', 'ps', ...flags], { home });
      expect(quick.exitCode).toBe(0);
      expect(quick.stdout).not.toBe('');
      expect(sameMoment(quick)).toEqual(sameMoment(await cliItself(['service', 'ps', ...flags])));
    },
  );

  test('the listing shows what docker has: the running service, and no machine', async () => {
    const [listed] = JSON.parse(ok(await svc(['service', 'ps', '--json'], { home }))) as {
      uuid: string;
      state: string;
    }[];
    expect(listed).toMatchObject({ uuid: service, state: 'Running' });
    expect(ok(await svc(['service', 'ps', '-q'], { home }))).toBe(service);
  });

  test.each([[['m', 'list']], [['m', 'list', '-q']], [['machine', 'list', '--json']]])(
    '%p prints exactly what the CLI prints',
    async (args) => {
      const quick = await svcIn(scratch, args);
      expect(quick.exitCode).toBe(0);
      expect(quick.stdout).toContain(machine);
      expect(sameMoment(quick)).toEqual(sameMoment(await cliItself(args)));
    },
  );

  test('m list -a APP prints exactly what the CLI prints, the count line on stderr', async () => {
    const args = ['m', 'list', '-a', machineApp];
    const quick = await svcIn(scratch, args);
    expect(quick).toMatchObject({ exitCode: 0, stderr: `1 machine has been retrieved from app ${machineApp}.` });
    expect(sameMoment(quick)).toEqual(sameMoment(await cliItself(args)));
  });

  test.each([[['service', 'ps']], [['m', 'list']], [['m', 'list', '-a', 'shop']]])(
    '%p reads the quick bundle and never the CLI bundle',
    async (args) => {
      const { result, bundles } = await bundlesRead(args);
      expect(result.exitCode).toBe(0);
      expect(bundles).toEqual(['quick']);
    },
  );

  test("m list beside a fly.toml is the CLI's: it lists that app, and says so when the file is broken", async () => {
    const project = path.join(scratch, uniqueName('project'));
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'fly.toml'), `app = "${machineApp}"\n`);
    const listed = await bundlesRead(['m', 'list', '-q'], {}, project);
    expect(listed.bundles).toEqual(['cli']);
    expect(listed.result).toMatchObject({ exitCode: 0, stdout: machine });
    fs.writeFileSync(path.join(project, 'fly.toml'), 'app = \n');
    const broken = await svcIn(project, ['m', 'list']);
    expect(broken.exitCode).not.toBe(0);
    expect(broken.stderr).toMatch(/fly\.toml is not valid TOML/);
  });

  test.each([
    ['--help', ['service', 'ps', '--help'], 0],
    ['a state that does not exist', ['service', 'ps', '-s', 'sleeping'], 2],
    ['-q with --json', ['service', 'ps', '-q', '--json'], 2],
  ])("service ps with %s is the CLI's to answer, with its exit code", async (_, args, exitCode) => {
    const { result, bundles } = await bundlesRead(args);
    expect(result.exitCode).toBe(exitCode);
    expect(bundles).toEqual(['cli']);
    expect(result).toEqual(await cliItself(args));
  });

  test('with Docker unreachable the quick bundle declines, and the CLI exits 4 with the reason', async () => {
    const { result, bundles } = await bundlesRead(['service', 'ps'], NO_DOCKER);
    expect(bundles).toEqual(['quick', 'cli']);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/Cannot connect to the Docker engine/);
  });
});
