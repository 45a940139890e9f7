/** Shared helpers for tests that run the built `bin/svc` against the real Docker engine. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const TEST_IMAGE = process.env.SVC_TEST_IMAGE ?? 'svc-busybox:latest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SVC_BIN = path.join(ROOT, 'bin', 'svc');

/** What the bundle is built from: a change to any of them after the last build makes it stale. */
const BUILD_INPUTS = ['src', 'scripts/bundle.mjs', 'package-lock.json', 'tsconfig.json'];

const newestFile = (file: string): { file: string; mtimeMs: number } => {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return { file, mtimeMs: stat.mtimeMs };
  // A directory's own time counts too: it changes when a file in it is removed or renamed.
  return fs
    .readdirSync(file)
    .map((name) => newestFile(path.join(file, name)))
    .reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a), { file, mtimeMs: stat.mtimeMs });
};

/**
 * The file bin/svc loads, read from its import, so this checks what the tests will really run.
 * Missing, or older than a source, it fails loudly: e2e tests never pass against old code.
 */
export const requireBuiltCli = (): void => {
  const bin = fs.readFileSync(SVC_BIN, 'utf8');
  const imported = /^require\('(\.{1,2}\/[^']+)'\)/m.exec(bin)?.[1];
  if (!imported) throw new Error(`Cannot tell which file ${SVC_BIN} loads: no relative require in it.`);
  const loaded = path.resolve(path.dirname(SVC_BIN), imported);
  const relative = (file: string) => path.relative(ROOT, file);
  if (!fs.existsSync(loaded)) {
    throw new Error(`bin/svc loads ${relative(loaded)}, which is missing: run \`npm run build\` first.`);
  }
  const builtAt = fs.statSync(loaded).mtimeMs;
  const newest = BUILD_INPUTS.map((input) => newestFile(path.join(ROOT, input))).reduce((a, b) =>
    b.mtimeMs > a.mtimeMs ? b : a,
  );
  if (newest.mtimeMs > builtAt) {
    throw new Error(
      `bin/svc loads ${relative(loaded)}, built before ${relative(newest.file)} changed: run \`npm run build\` first.`,
    );
  }
};

/** A DC service uuid (uuid4). */
export const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a docker command; never throws, so callers assert on the result. */
export const docker = async (args: string[]): Promise<RunResult> => {
  const result = await execa('docker', args, { reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
};

/**
 * Call in beforeAll. A test that needs Docker and cannot reach it fails loudly: it never skips
 * and never passes silently.
 */
export const requireDocker = async (): Promise<void> => {
  const info = await docker(['info', '--format', '{{.ServerVersion}}']);
  if (info.exitCode !== 0) {
    throw new Error(
      `These tests need a running Docker engine, and \`docker info\` failed: ${info.stderr.trim()}\n` +
        'Start it with `npm run setup` (as root) and run the tests again.',
    );
  }
  const image = await docker(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE]);
  if (image.exitCode !== 0) {
    throw new Error(`The test image ${TEST_IMAGE} is missing; \`npm run setup\` builds it.`);
  }
};

/** A fresh state directory, used as SVC_HOME. */
/** The test run's scratch directory (global-setup.mjs), or the system's when a file runs outside jest's setup. */
export const scratchDir = (): string => process.env.SVC_TEST_TMP ?? os.tmpdir();

export const makeStateDir = (): string => fs.mkdtempSync(path.join(scratchDir(), 'svc-test-'));

export const removeStateDir = (dir: string): void => fs.rmSync(dir, { recursive: true, force: true });

export interface SvcOptions {
  home: string;
  env?: Record<string, string>;
  input?: string;
}

/**
 * One source module built into a temporary .mjs, for a plain `node` child process to import (a
 * test of several processes sharing a lock, a crash after a log rotation): dist/ holds only the
 * bundle bin/svc loads, not a compiled file per module.
 */
export const bundledModule = async (source: string): Promise<string> => {
  const { build } = await import('esbuild');
  // Under the run's scratch dir, which the global teardown removes once every test file has run: jest
  // does not wait for detached children (a supervisor a test started) still using it by then.
  const dir = fs.mkdtempSync(path.join(scratchDir(), 'svc-module-'));
  const outfile = path.join(dir, `${path.basename(source, '.ts')}.mjs`);
  await build({
    entryPoints: [path.join(ROOT, source)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // Bundled CommonJS dependencies (proper-lockfile ...) call require().
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return outfile;
};

let builtCliChecked = false;

/**
 * Runs `bin/svc` as a child process, after checking (once per test file) that it runs the current
 * sources. SVC_NO_AUTOSTART keeps commands from starting the supervisor; tests that want one manage
 * it themselves. Without a home, a fresh state dir is used.
 */
export const svc = async (args: string[], opts: SvcOptions = { home: makeStateDir() }): Promise<RunResult> => {
  if (!builtCliChecked) {
    requireBuiltCli();
    builtCliChecked = true;
  }
  const result = await execa(SVC_BIN, args, {
    reject: false,
    env: { ...opts.env, SVC_HOME: opts.home, SVC_NO_AUTOSTART: '1', NO_COLOR: '1' },
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  });
  return { exitCode: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
};

/** A name unlikely to clash with other tests running side by side. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Workload ids: a DC uuid or a Fly machine id (14 hex). Anything else is taken as a service name. */
const isWorkloadId = (value: string) => UUID4.test(value) || /^[0-9a-f]{14}$/.test(value);

const containersOf = async (nameOrId: string): Promise<string[]> => {
  const filter = isWorkloadId(nameOrId)
    ? ['--filter', `label=io.svc.workload=${nameOrId}`]
    : ['--filter', 'label=io.svc.managed=true', '--filter', `name=^/?${nameOrId}-[0-9]+$`];
  const listed = await docker(['ps', '-aq', ...filter]);
  return listed.stdout.split('\n').filter(Boolean);
};

/**
 * Removes the containers of the given workloads: by `io.svc.workload` label for ids, and by
 * `<name>-<n>` container name (managed ones only) for service names.
 */
export const cleanupContainers = async (namesOrIds: readonly string[]): Promise<void> => {
  const ids = (await Promise.all(namesOrIds.map(containersOf))).flat();
  if (ids.length > 0) await docker(['rm', '-f', ...new Set(ids)]);
};

/** `docker inspect` of one container, parsed; null when it does not exist. */
export const inspectContainer = async (nameOrId: string): Promise<any | null> => {
  const result = await docker(['inspect', '--type', 'container', nameOrId]);
  return result.exitCode === 0 ? JSON.parse(result.stdout)[0] : null;
};

/** Ids of the containers carrying this workload's label. */
export const containersWithWorkloadLabel = async (workloadId: string): Promise<string[]> => {
  const listed = await docker(['ps', '-aq', '--filter', `label=io.svc.workload=${workloadId}`]);
  return listed.stdout.split('\n').filter(Boolean);
};
