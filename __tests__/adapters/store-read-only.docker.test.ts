/**
 * A read-only state dir or file is a user error naming the path (exit 1), not "Internal error" and
 * a stack. Tests run as root, whom permissions do not stop, so they use read-only mounts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import type { Transaction } from '../../src/engine/ports/store.js';
import { UserError } from '../../src/errors.js';
import { requireDocker, svc, TEST_IMAGE } from '../helpers/svc.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { emptyDir, mountTmpfs, remount, unmount } from '../helpers/tmpfs.js';

let mount: string;
let home: string;
beforeAll(async () => {
  await requireDocker();
  mount = mountTmpfs('size=1m');
});
afterAll(() => unmount(mount));
beforeEach(() => {
  remount(mount, 'rw');
  emptyDir(mount);
  home = path.join(mount, 'home');
});

const add = (id: string) => (tx: Transaction) => {
  tx.state.workloads[id] = workloadRecord(id);
  tx.emit({
    time: 1,
    workloadId: id,
    workloadName: id,
    instance: null,
    containerId: null,
    exitCode: null,
    oomKilled: null,
    action: 'create',
    reason: 'test',
    source: 'user',
  });
};

const failure = async (promise: Promise<unknown>): Promise<UserError> => {
  const error = await promise.then(() => new Error('expected a failure')).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).kind).toBe('failed');
  return error as UserError;
};

test('a read-only state dir: the lock cannot be taken, and the error names it', async () => {
  const store = openStore(home, { lockStaleMs: 2_000 });
  await store.update(add('a'));
  const before = fs.readFileSync(store.stateFile);
  remount(mount, 'ro');
  const error = await failure(store.update(add('b')));
  expect(error.message).toContain(path.join(home, 'state.lock'));
  expect(error.message).toMatch(/read-only file system/);
  expect(fs.readFileSync(store.stateFile)).toEqual(before);
  expect(Object.keys(store.read().workloads)).toEqual(['a']);
});

test('a filesystem turned read-only under the lock: the state write fails naming state.json', async () => {
  const store = openStore(home, { lockStaleMs: 2_000 });
  await store.update(add('a'));
  const before = fs.readFileSync(store.stateFile);
  // No event: the append, which comes first, would be the write to fail.
  const error = await failure(
    store.update((tx) => {
      tx.state.workloads.b = workloadRecord('b');
      remount(mount, 'ro');
    }),
  );
  expect(error.message).toContain(store.stateFile);
  expect(error.message).toMatch(/read-only file system/);
  expect(fs.readFileSync(store.stateFile)).toEqual(before);
});

test('a read-only events.jsonl: the append fails naming it, and the state is not written', async () => {
  const store = openStore(home, { lockStaleMs: 2_000 });
  await store.update(add('a'));
  const before = fs.readFileSync(store.stateFile);
  execFileSync('mount', ['--bind', store.eventsFile, store.eventsFile]);
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', store.eventsFile]);
    const error = await failure(store.update(add('b')));
    expect(error.message).toContain(store.eventsFile);
    expect(error.message).toMatch(/read-only file system/);
    expect(fs.readFileSync(store.stateFile)).toEqual(before);
  } finally {
    execFileSync('umount', [store.eventsFile]);
  }
});

test('`svc service create` on a read-only state dir exits 1 naming the path; `service ps` still reads it', async () => {
  await openStore(home).update(add('a'));
  remount(mount, 'ro');
  const result = await svc(['service', 'create', '--name', 'st-readonly', TEST_IMAGE], { home });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain(home);
  expect(result.stderr).toMatch(/read-only file system/);
  expect(result.stderr).not.toMatch(/Internal error|\n\s+at /);
  const ps = await svc(['service', 'ps', '-q'], { home });
  expect(ps.exitCode).toBe(0);
  expect(ps.stdout.trim()).toBe('a');
});
