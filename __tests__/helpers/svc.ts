/** Shared helpers for tests that run the built `bin/svc` against the real Docker engine. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const TEST_IMAGE = process.env.SVC_TEST_IMAGE ?? 'svc-busybox:latest';

export const SVC_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'svc');

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
export const makeStateDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'svc-test-'));

export const removeStateDir = (dir: string): void => fs.rmSync(dir, { recursive: true, force: true });

export interface SvcOptions {
  home: string;
  env?: Record<string, string>;
  input?: string;
}

/**
 * Runs `bin/svc` as a child process. SVC_NO_AUTOSTART keeps commands from starting the
 * supervisor; tests that want one manage it themselves. Without a home, a fresh state dir is used.
 */
export const svc = async (args: string[], opts: SvcOptions = { home: makeStateDir() }): Promise<RunResult> => {
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
