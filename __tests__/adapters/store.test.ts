/** The state store: group commits inside a process, the file lock across processes, bad files reported. */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import type { StateDocument } from '../../src/core/workload.js';
import { StateFileError } from '../../src/errors.js';
import { workloadRecord } from '../helpers/store-fixtures.js';
import { bundledModule } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

let storeModule: string;
beforeAll(async () => {
  storeModule = await bundledModule('src/adapters/store.ts');
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-store-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A counter is the targetInstances of a workload named after it. */
const bump = (key: string) => (tx: { state: StateDocument }) => {
  tx.state.workloads[key] ??= workloadRecord(key, { targetInstances: 0 });
  tx.state.workloads[key].targetInstances += 1;
};
const counters = (doc: StateDocument) =>
  Object.fromEntries(Object.values(doc.workloads).map((w) => [w.id, w.targetInstances]));

test('concurrent updates in one process are all applied', async () => {
  const store = openStore(dir);
  await Promise.all(Array.from({ length: 50 }, () => store.update(bump('n'))));
  expect(counters(store.read()).n).toBe(50);
});

test('a change that throws is rolled back alone; the others in its group are kept', async () => {
  const store = openStore(dir);
  // The first update starts a commit at once; the two queued behind it share the next one.
  const first = store.update(bump('kept'));
  const failing = store.update((tx) => {
    bump('lost')(tx);
    throw new Error('refused');
  });
  const kept = [first, store.update(bump('kept'))];
  await expect(failing).rejects.toThrow('refused');
  await Promise.all(kept);
  expect(counters(store.read())).toEqual({ kept: 2 });
});

test('events emitted by a change are appended with it, and dropped with a rolled-back change', async () => {
  const store = openStore(dir);
  const event = (reason: string) => ({
    time: 1,
    workloadId: 'w',
    workloadName: 'w',
    instance: 1,
    containerId: null,
    exitCode: null,
    oomKilled: null,
    action: 'start' as const,
    reason,
    source: 'user' as const,
  });
  await Promise.all([
    store.update((tx) => tx.emit(event('kept'))),
    store
      .update((tx) => {
        tx.emit(event('dropped'));
        throw new Error('no');
      })
      .catch(() => {}),
  ]);
  expect(store.readEvents().map((e) => e.reason)).toEqual(['kept']);
});

test('processes updating at the same moment never lose an update (file lock)', async () => {
  const script = `
    const { openStore } = await import(${JSON.stringify(storeModule)});
    const store = openStore(process.argv[1]);
    const record = JSON.parse(process.argv[2]);
    for (let i = 0; i < 20; i++) {
      await store.update((tx) => { (tx.state.workloads.n ??= record).targetInstances += 1; });
    }`;
  await Promise.all(
    Array.from({ length: 5 }, () =>
      execa('node', [
        '--input-type=module',
        '-e',
        script,
        dir,
        JSON.stringify(workloadRecord('n', { targetInstances: 0 })),
      ]),
    ),
  );
  expect(counters(openStore(dir).read()).n).toBe(100);
});

test('a corrupt state file is reported with its name and left as it was', async () => {
  const file = path.join(dir, 'state.json');
  fs.writeFileSync(file, '{"schemaVersion": 1, "workloads": {');
  const store = openStore(dir);
  expect(() => store.read()).toThrow(StateFileError);
  await expect(store.update(bump('n'))).rejects.toThrow(file);
  expect(fs.readFileSync(file, 'utf8')).toBe('{"schemaVersion": 1, "workloads": {');
});

test('a state file written by a newer svc is refused, not rewritten', () => {
  const file = path.join(dir, 'state.json');
  fs.writeFileSync(file, JSON.stringify({ schemaVersion: 99, workloads: {} }));
  expect(() => openStore(dir).read()).toThrow(/newer svc/);
});

test('another proper-lockfile lock on the same state dir keeps refreshing while the store commits', async () => {
  // Like the operation locks: keyed by the state dir. proper-lockfile keeps one entry per key, and
  // a state lock with the same key replaced it, so the other lock's refresh timer crashed.
  const lockfile = (await import('proper-lockfile')).default;
  const compromised: Error[] = [];
  const release = await lockfile.lock(dir, {
    realpath: false,
    lockfilePath: path.join(dir, 'other.lock'),
    stale: 2_000,
    onCompromised: (error) => compromised.push(error),
  });
  const store = openStore(dir);
  await store.update(bump('n'));
  // Two of its refreshes seen (each touches the lock's mtime): a refresh timer that crashed never touches it.
  const otherLock = path.join(dir, 'other.lock');
  const touched = new Set([fs.statSync(otherLock).mtimeMs]);
  await waitFor(
    'two refreshes of the other lock',
    async () => touched.add(fs.statSync(otherLock).mtimeMs).size > 2,
    5_000,
  );
  expect(compromised).toEqual([]);
  await release();
  expect(counters(store.read()).n).toBe(1);
});
