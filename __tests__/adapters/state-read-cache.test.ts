/** The read cache of servers and the supervisor: the same document while the file is unchanged, every commit seen at once. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import type { Transaction } from '../../src/engine/ports/store.js';
import { withStateReadCache } from '../../src/adapters/state-read-cache.js';
import { workloadRecord } from '../helpers/store-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-read-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const addWorkload = (id: string) => (tx: Transaction) => {
  tx.state.workloads[id] = workloadRecord(id);
};

test('an unchanged file is parsed once: later reads get the same frozen document', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  // A clock far past the write: the file's stamp can no longer be shared by a new write.
  const cached = withStateReadCache(store, () => Date.now() + 60_000);
  const first = cached.read();
  expect(cached.read()).toBe(first);
  expect(Object.isFrozen(first.workloads.a)).toBe(true);
  expect(() => {
    (first.workloads.a as { name: string }).name = 'changed';
  }).toThrow(TypeError);
});

test('while the file is as young as a clock tick, the bytes decide: unchanged bytes keep the document', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  const cached = withStateReadCache(store, () => fs.statSync(store.stateFile).mtimeMs);
  const first = cached.read();
  expect(cached.read()).toBe(first);
});

test('every commit, even one right after the last read, is seen by the next read', async () => {
  const store = openStore(dir);
  const cached = withStateReadCache(store);
  expect(Object.keys(cached.read().workloads)).toEqual([]);
  for (const id of ['a', 'b', 'c']) {
    await store.update(addWorkload(id));
    expect(Object.keys(cached.read().workloads)).toContain(id);
  }
  expect(Object.keys(cached.read().workloads).sort()).toEqual(['a', 'b', 'c']);
});

test('a state file rewritten by hand with the same size is read again', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  const cached = withStateReadCache(store);
  expect(cached.read().workloads.a!.name).toBe('st-a');
  const text = fs.readFileSync(store.stateFile, 'utf8').replace('"name":"st-a"', '"name":"st-b"');
  fs.writeFileSync(store.stateFile, text);
  expect(cached.read().workloads.a!.name).toBe('st-b');
});

/** The files this process holds open under the given path (a replaced one shows as "(deleted)"). */
const heldOpen = (file: string) =>
  fs
    .readdirSync('/proc/self/fd')
    .map((fd) => {
      try {
        return fs.readlinkSync(path.join('/proc/self/fd', fd));
      } catch {
        return '';
      }
    })
    .filter((target) => target.startsWith(file));

test('the parsed file is held open, so no later file can get its inode; a replaced one is let go', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  const cached = withStateReadCache(store, () => Date.now() + 60_000);
  cached.read();
  expect(heldOpen(store.stateFile)).toEqual([store.stateFile]);
  await store.update(addWorkload('b'));
  expect(Object.keys(cached.read().workloads).sort()).toEqual(['a', 'b']);
  // One file held, the current one: the replaced file was closed, not kept alongside.
  expect(heldOpen(store.stateFile)).toEqual([store.stateFile]);
});
