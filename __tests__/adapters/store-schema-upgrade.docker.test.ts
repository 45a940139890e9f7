/**
 * A state dir written by the real svc at schema 1 (fixtures/schema-1, made by `bin/svc` built from
 * c341bfa: services created, stopped, terminated and crash-restarted by its supervisor, an `m run`
 * machine and two deployed ones). This svc reads it, writes the upgrade in place once, and changes
 * nothing else in it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jest } from '@jest/globals';
import { openStore } from '../../src/adapters/store.js';
import { acquireStateLock } from '../../src/adapters/state-lock.js';
import { STATE_SCHEMA_VERSION, type StateDocument } from '../../src/core/workload.js';
import { requireDocker, svc, TEST_IMAGE, uniqueName, UUID4 } from '../helpers/svc.js';
import { modeOf, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'schema-1');
const OLD_STATE = fs.readFileSync(path.join(FIXTURE, 'state.json'), 'utf8');
const OLD_EVENTS = fs.readFileSync(path.join(FIXTURE, 'events.jsonl'), 'utf8');
const old = JSON.parse(OLD_STATE) as { schemaVersion: number; workloads: Record<string, Record<string, unknown>> };

/** The old document as the upgrade must leave it: the current version, each workload on `local`, all else as it was. */
const upgradedOld = () => ({
  ...old,
  schemaVersion: STATE_SCHEMA_VERSION,
  workloads: Object.fromEntries(Object.entries(old.workloads).map(([id, w]) => [id, { ...w, backend: 'local' }])),
});

/** The latest time the old svc wrote into its state, so the purge of terminated workloads leaves them all. */
const oldNow = Math.max(
  ...Object.values(old.workloads)
    .flatMap((w) => [w.createdAt, w.startedAt, w.stoppedAt, w.destroyedAt])
    .map(Number)
    .filter(Boolean),
);

let dir: string;
let stateFile: string;
beforeEach(() => {
  dir = tempStateDir();
  fs.cpSync(FIXTURE, dir, { recursive: true });
  stateFile = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const onDisk = () => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as StateDocument;
/** What changes when a file is replaced: a write is a new inode (temp file + rename). */
const identity = (file: string) => {
  const stat = fs.statSync(file);
  return { ino: stat.ino, mtimeMs: stat.mtimeMs, size: stat.size };
};

test('the fixture is an older schema than this svc writes, with workloads of both dialects', () => {
  expect(old.schemaVersion).toBe(1);
  expect(STATE_SCHEMA_VERSION).toBeGreaterThan(old.schemaVersion);
  expect(new Set(Object.values(old.workloads).map((w) => w.dialect))).toEqual(new Set(['service', 'machine']));
  expect(Object.values(old.workloads).every((w) => !('backend' in w))).toBe(true);
});

test('the old file reads: every workload is on the local backend and otherwise as the old svc wrote it', () => {
  const state = openStore(dir).read();
  expect(state).toEqual(upgradedOld());
  expect(Object.values(state.workloads).map((w) => w.backend)).toEqual(Object.keys(old.workloads).map(() => 'local'));
});

test('the first read writes the upgrade in place: the new schema version, backend local, nothing else changed', () => {
  openStore(dir).read();
  expect(onDisk()).toEqual(upgradedOld());
  expect(onDisk().schemaVersion).toBe(STATE_SCHEMA_VERSION);
  expect(fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8')).toBe(OLD_EVENTS);
  // Written as every state write is: complete, private, no temp file or lock left behind.
  expect(modeOf(stateFile)).toBe(0o600);
  expect(fs.readdirSync(dir).sort()).toEqual(['events.jsonl', 'state.json', 'state.written']);
});

test('the upgraded file is read without another write, by this store, a new one, and a no-op update', async () => {
  const store = openStore(dir);
  store.read();
  const upgraded = { text: fs.readFileSync(stateFile, 'utf8'), ...identity(stateFile) };
  expect(store.read()).toEqual(upgradedOld());
  expect(openStore(dir).read()).toEqual(upgradedOld());
  await openStore(dir, { now: () => oldNow }).update(() => {});
  expect({ text: fs.readFileSync(stateFile, 'utf8'), ...identity(stateFile) }).toEqual(upgraded);
});

test('an update of the old file commits the upgrade together with its change', async () => {
  const store = openStore(dir, { now: () => oldNow });
  await store.update((tx) => {
    tx.state.workloads.added = workloadRecord('added');
  });
  const { added, ...rest } = onDisk().workloads;
  expect(added).toEqual(workloadRecord('added'));
  expect({ ...onDisk(), workloads: rest }).toEqual(upgradedOld());
});

test('while another holds the state lock, a read neither waits nor writes; the next read after it writes the upgrade', async () => {
  const lock = await acquireStateLock(path.join(dir, 'state.lock'), 10_000);
  try {
    const started = Date.now();
    expect(openStore(dir).read()).toEqual(upgradedOld());
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(OLD_STATE);
  } finally {
    await lock.release();
  }
  openStore(dir).read();
  expect(onDisk()).toEqual(upgradedOld());
});

test('a commit that lands between a read and its upgrade is kept: the upgrade reads the file again under the lock', () => {
  const committed = { ...upgradedOld(), workloads: { ...upgradedOld().workloads, other: workloadRecord('other') } };
  const realRead = fs.readFileSync;
  let reads = 0;
  // Another process commits right after this reader's first, unlocked read of the old file.
  const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, options?: unknown) => {
    const text = realRead(file, options as BufferEncoding);
    if (file === stateFile && ++reads === 1) fs.writeFileSync(stateFile, JSON.stringify(committed));
    return text;
  }) as typeof fs.readFileSync);
  try {
    const state = openStore(dir).read();
    expect(reads).toBeGreaterThan(1);
    expect(Object.keys(state.workloads)).toContain('other');
  } finally {
    spy.mockRestore();
  }
  expect(onDisk()).toEqual(committed);
});

describe('with bin/svc', () => {
  beforeAll(requireDocker);

  test('`service ps`, `m list` and `events` read the old file; the file is upgraded once', async () => {
    const ps = await svc(['service', 'ps', '--json'], { home: dir });
    expect(ps).toMatchObject({ exitCode: 0, stderr: '' });
    const serviceNames = Object.values(old.workloads)
      .filter((w) => w.dialect === 'service')
      .map((w) => w.name);
    expect((JSON.parse(ps.stdout) as { name: string }[]).map((s) => s.name).sort()).toEqual([...serviceNames].sort());
    expect(onDisk()).toEqual(upgradedOld());
    const upgraded = identity(stateFile);
    const machines = await svc(['m', 'list', '-q'], { home: dir });
    expect(machines.exitCode).toBe(0);
    const machineIds = Object.values(old.workloads)
      .filter((w) => w.dialect === 'machine')
      .map((w) => w.id);
    expect(machines.stdout.split('\n').filter(Boolean).sort()).toEqual([...machineIds].sort());
    const events = await svc(['events', '--json'], { home: dir });
    expect(events.exitCode).toBe(0);
    expect(JSON.parse(events.stdout)).toHaveLength(OLD_EVENTS.split('\n').filter(Boolean).length);
    expect(identity(stateFile)).toEqual(upgraded);
  });

  test('creates racing the first reads of the old file all survive the upgrade', async () => {
    const names = [1, 2, 3, 4].map(() => uniqueName('st-upgrade'));
    const results = await Promise.all([
      ...names.map((name) => svc(['service', 'create', '--name', name, TEST_IMAGE], { home: dir })),
      ...[1, 2, 3, 4].map(() => svc(['service', 'ps', '-q'], { home: dir })),
    ]);
    for (const result of results) expect(result).toMatchObject({ exitCode: 0 });
    const created = results.slice(0, names.length).map((r) => r.stdout.trim());
    for (const id of created) expect(id).toMatch(UUID4);
    const state = onDisk();
    expect(state.schemaVersion).toBe(STATE_SCHEMA_VERSION);
    // A commit purges workloads terminated over a day ago (core/purge.ts); every other one stays.
    const kept = Object.values(old.workloads)
      .filter((w) => w.intent !== 'terminated')
      .map((w) => w.id);
    expect(Object.keys(state.workloads)).toEqual(expect.arrayContaining([...kept, ...created]));
    expect([...Object.keys(old.workloads), ...created]).toEqual(expect.arrayContaining(Object.keys(state.workloads)));
    expect(Object.values(state.workloads).every((w) => w.backend === 'local')).toBe(true);
  });
});
