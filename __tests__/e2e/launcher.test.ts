/**
 * bin/svc's launcher (src/launch/): the container list asked for before the CLI bundle has loaded,
 * and `--version` answered from package.json.
 * What a user sees must not change with any of it.
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

beforeAll(async () => {
  requireBuiltCli();
  await requireDocker();
  home = makeStateDir();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-launcher-'));
  service = ok(await svc(['service', 'run', '-n', uniqueName('launch'), TEST_IMAGE, 'sleep', '3600'], { home }));
  machine = ok(await svc(['m', 'run', '-a', uniqueName('launch'), TEST_IMAGE, 'sleep', '3600'], { home }));
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
  expect(requests.some((request) => /cli-\w+\.cjs$/.test(request))).toBe(true);
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

test.each(['early-listing'])(
  'with %s off (SVC_BENCH_WITHOUT, for the benchmark) a listing prints the same',
  async (without) => {
    const args = ['service', 'ps', '--json'];
    const usual = ok(await svc(args, { home }));
    expect(ok(await svc(args, { home, env: { SVC_BENCH_WITHOUT: without } }))).toBe(usual);
  },
);
