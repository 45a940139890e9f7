/**
 * The schema upgrade of a real old state file (fixtures/schema-1) when it cannot be written: on a
 * full or read-only disk the old file stays byte for byte, reads (and read-only commands) still
 * work with the upgrade in memory, and the upgrade is written once the disk takes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/adapters/store.js';
import { STATE_SCHEMA_VERSION } from '../../src/core/workload.js';
import { requireDocker, svc } from '../helpers/svc.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { emptyDir, fillUp, mountTmpfs, remount, unmount } from '../helpers/tmpfs.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'schema-1');
const OLD_STATE = fs.readFileSync(path.join(FIXTURE, 'state.json'), 'utf8');
const old = JSON.parse(OLD_STATE) as {
  schemaVersion: number;
  workloads: Record<string, { id: string; dialect: string }>;
};
const oldServiceIds = Object.values(old.workloads)
  .filter((w) => w.dialect === 'service')
  .map((w) => w.id)
  .sort();

let mount: string;
let home: string;
let stateFile: string;
beforeAll(async () => {
  await requireDocker();
  mount = mountTmpfs('size=256k');
});
afterAll(() => unmount(mount));
beforeEach(() => {
  remount(mount, 'rw');
  emptyDir(mount);
  home = path.join(mount, 'home');
  fs.cpSync(FIXTURE, home, { recursive: true });
  stateFile = path.join(home, 'state.json');
});

const snapshot = () =>
  Object.fromEntries(
    fs
      .readdirSync(home)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(home, f))]),
  );
const readsAsUpgraded = () => {
  const state = openStore(home).read();
  expect(state.schemaVersion).toBe(STATE_SCHEMA_VERSION);
  expect(Object.keys(state.workloads).sort()).toEqual(Object.keys(old.workloads).sort());
  expect(Object.values(state.workloads).every((w) => w.backend === 'local')).toBe(true);
};
const psIds = async () => {
  const ps = await svc(['service', 'ps', '-q'], { home });
  return { exitCode: ps.exitCode, ids: ps.stdout.split('\n').filter(Boolean).sort(), stderr: ps.stderr };
};

test('on a full disk the old file stays as it was, reads and `service ps` work, and the upgrade is written once there is room', async () => {
  fillUp(mount);
  const before = snapshot();
  readsAsUpgraded();
  expect(await psIds()).toEqual({ exitCode: 0, ids: oldServiceIds, stderr: '' });
  expect(snapshot()).toEqual(before);
  fs.rmSync(path.join(mount, 'ballast'));
  readsAsUpgraded();
  expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).schemaVersion).toBe(STATE_SCHEMA_VERSION);
});

test('on a read-only disk the old file stays as it was; reads and `service ps` work; a change fails naming the path', async () => {
  remount(mount, 'ro');
  readsAsUpgraded();
  expect(await psIds()).toEqual({ exitCode: 0, ids: oldServiceIds, stderr: '' });
  const error = await openStore(home)
    .update((tx) => {
      tx.state.workloads.added = workloadRecord('added');
    })
    .catch((e: unknown) => e);
  expect((error as Error).message).toMatch(/read-only file system/);
  expect(fs.readFileSync(stateFile, 'utf8')).toBe(OLD_STATE);
});
