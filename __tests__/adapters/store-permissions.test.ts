/** The state dir is 0700 and every file svc writes in it 0600, and they stay so after a chmod. */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import type { Transaction } from '../../src/engine/ports/store.js';
import { modeOf, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

let parent: string;
let dir: string;
beforeEach(() => {
  parent = tempStateDir();
  dir = path.join(parent, 'home');
});
afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

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
const addWithEvent = (id: string) => (tx: Transaction) => {
  tx.state.workloads[id] = workloadRecord(id);
  tx.emit(event(`added ${id}`));
};

const filesIn = (d: string) => fs.readdirSync(d).filter((f) => fs.statSync(path.join(d, f)).isFile());

test('a new state dir is 0700 and its files 0600', async () => {
  const store = openStore(dir);
  await store.update(addWithEvent('a'));
  expect(modeOf(dir)).toBe(0o700);
  const files = filesIn(dir);
  expect(files).toEqual(expect.arrayContaining(['state.json', 'events.jsonl']));
  for (const file of files) expect([file, modeOf(path.join(dir, file))]).toEqual([file, 0o600]);
});

test('a looser state dir, state.json and events.jsonl are tightened by the next write', async () => {
  const store = openStore(dir);
  await store.update(addWithEvent('a'));
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(store.stateFile, 0o644);
  fs.chmodSync(store.eventsFile, 0o644);
  await store.update(addWithEvent('b'));
  expect(modeOf(dir)).toBe(0o700);
  expect(modeOf(store.stateFile)).toBe(0o600);
  expect(modeOf(store.eventsFile)).toBe(0o600);
});

test('an existing events.jsonl written by an older svc with mode 644 is tightened', async () => {
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'events.jsonl'), JSON.stringify(event('old')) + '\n', { mode: 0o644 });
  fs.chmodSync(path.join(dir, 'events.jsonl'), 0o644);
  const store = openStore(dir);
  await store.update(addWithEvent('a'));
  expect(modeOf(store.eventsFile)).toBe(0o600);
  expect(store.readEvents().map((e) => e.reason)).toEqual(['old', 'added a']);
});

test('a compacted event log stays 0600', async () => {
  const store = openStore(dir, { eventLogCompactBytes: 2_000 });
  // Every event is of instance 1 of workload 'a': compaction keeps its newest 50.
  for (let i = 0; i < 80; i++) await store.update(addWithEvent(`w${i}`));
  expect(store.readEvents()).toHaveLength(50);
  expect(modeOf(store.eventsFile)).toBe(0o600);
  for (const file of filesIn(dir)) expect([file, modeOf(path.join(dir, file))]).toEqual([file, 0o600]);
});

test('state.json stays 0600 under a permissive umask', async () => {
  const previous = process.umask(0);
  try {
    const store = openStore(dir);
    await store.update(addWithEvent('a'));
    expect(modeOf(store.stateFile)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});
