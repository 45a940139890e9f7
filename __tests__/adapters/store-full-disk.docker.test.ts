/**
 * A full disk never truncates state.json: a write that does not fit fails with a clear error, the
 * old state and event log stay byte for byte, and no temp file is left. On a 64 KiB tmpfs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import type { Transaction } from '../../src/engine/ports/store.js';
import { UserError } from '../../src/errors.js';
import { requireDocker, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { emptyDir, fillUp, mountTmpfs, unmount } from '../helpers/tmpfs.js';

let mount: string;
let home: string;
beforeAll(async () => {
  await requireDocker();
  mount = mountTmpfs('size=64k');
});
afterAll(() => unmount(mount));
beforeEach(() => {
  emptyDir(mount);
  home = path.join(mount, 'home');
});

const event = (reason: string) => ({
  time: 1,
  workloadId: 'a',
  workloadName: 'a',
  instance: 1,
  containerId: null,
  exitCode: null,
  oomKilled: null,
  action: 'start' as const,
  reason,
  source: 'user' as const,
});
/** A workload whose record takes about `bytes` bytes of state.json. */
const bigWorkload = (id: string, bytes: number) =>
  workloadRecord(id, {
    spec: { image: TEST_IMAGE, command: ['echo', 'x'.repeat(bytes)], entrypoint: null, env: [], memoryMb: null },
  });
const add =
  (id: string, bytes: number, reason = `add ${id}`) =>
  (tx: Transaction) => {
    tx.state.workloads[id] = bigWorkload(id, bytes);
    tx.emit(event(reason));
  };

const snapshot = (dir: string) =>
  Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f))]),
  );

test('a state write that does not fit fails naming state.json and the cause; state and events stay as they were', async () => {
  const store = openStore(home);
  await store.update(add('a', 30_000));
  const before = snapshot(home);
  const error = await store.update(add('b', 100)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).kind).toBe('failed');
  expect((error as Error).message).toContain(store.stateFile);
  expect((error as Error).message).toMatch(/no space left on device/);
  expect(snapshot(home)).toEqual(before);
  expect(Object.keys(store.read().workloads)).toEqual(['a']);
  expect(store.readEvents().map((e) => e.reason)).toEqual(['add a']);
});

test('an event append that does not fit is truncated back, and the state is not written', async () => {
  const store = openStore(home);
  await store.update(add('a', 100));
  fillUp(mount);
  const before = snapshot(home);
  const error = await store.update(add('b', 10, 'y'.repeat(20_000))).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toContain(store.eventsFile);
  expect((error as Error).message).toMatch(/no space left on device/);
  expect(snapshot(home)).toEqual(before);
});

test('`svc service create` on a full disk exits 1 naming state.json; the state stays readable by `service ps`', async () => {
  await openStore(home).update(add('a', 26_000));
  const stateFile = path.join(home, 'state.json');
  const made: string[] = [];
  let failed: { exitCode: number; stderr: string; before: Buffer } | null = null;
  for (let i = 0; i < 40 && !failed; i++) {
    const before = fs.readFileSync(stateFile);
    const name = uniqueName('st-full');
    const result = await svc(['service', 'create', '--name', name, TEST_IMAGE, 'sleep', '1'], { home });
    if (result.exitCode === 0) made.push(name);
    else failed = { ...result, before };
  }
  expect(failed).not.toBeNull();
  expect(failed!.exitCode).toBe(1);
  expect(failed!.stderr).toContain(stateFile);
  expect(failed!.stderr).toMatch(/no space/);
  expect(failed!.stderr).not.toMatch(/Internal error|\n\s+at /);
  expect(fs.readFileSync(stateFile)).toEqual(failed!.before);
  expect(fs.readdirSync(home).filter((f) => f.includes('tmp'))).toEqual([]);
  const ps = await svc(['service', 'ps', '-q'], { home });
  expect(ps.exitCode).toBe(0);
  expect(ps.stdout.split('\n').filter(Boolean)).toHaveLength(made.length + 1);
});
