/** followEvents: every event appended after following began, once, also across a compaction of the log. */
import fs from 'node:fs';
import { openStore } from '../../src/adapters/store.js';
import type { WorkloadEvent } from '../../src/core/events.js';
import { waitFor } from '../helpers/wait.js';
import { tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempStateDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An event written now, or, with `ageMs`, one that was written that long ago. */
const event = (n: number, ageMs = 0): WorkloadEvent => ({
  time: Date.now() - ageMs,
  workloadId: 'w1',
  workloadName: 'web',
  instance: 1,
  containerId: null,
  exitCode: 1,
  oomKilled: false,
  action: 'restart',
  reason: `crash ${n}`,
  source: 'supervisor',
});

test('events written before following are not given out; later ones are, once each, in order', async () => {
  const store = openStore(dir);
  await store.update((tx) => {
    tx.state.workloads.w1 = workloadRecord('w1');
    tx.emit(event(0));
  });
  const seen: string[] = [];
  const follower = store.followEvents((e) => seen.push(e.reason));
  try {
    for (let n = 1; n <= 3; n++) await store.update((tx) => tx.emit(event(n)));
    await waitFor('three events', async () => seen.length >= 3);
    await store.update((tx) => tx.emit(event(4)));
    await waitFor('the fourth', async () => seen.length >= 4);
    expect(seen).toEqual(['crash 1', 'crash 2', 'crash 3', 'crash 4']);
  } finally {
    follower.stop();
  }
});

test('a compaction of the log replays nothing and loses nothing', async () => {
  // A tiny threshold: every commit rewrites the log with the newest 50 events per instance. The new
  // file may be longer than the old one ('crash 100' replaces 'crash 10'): a size check cannot tell.
  const store = openStore(dir, { eventLogCompactBytes: 1 });
  await store.update((tx) => {
    tx.state.workloads.w1 = workloadRecord('w1');
    for (let n = 0; n < 60; n++) tx.emit(event(n, 60_000 - n));
  });
  const seen: string[] = [];
  const follower = store.followEvents((e) => seen.push(e.reason));
  try {
    await store.update((tx) => tx.emit(event(100)));
    await waitFor('the new event', async () => seen.length >= 1);
    await store.update((tx) => tx.emit(event(101)));
    await waitFor('the next one', async () => seen.length >= 2);
    expect(store.readEvents()).toHaveLength(50);
    expect(seen).toEqual(['crash 100', 'crash 101']);
  } finally {
    follower.stop();
  }
});
