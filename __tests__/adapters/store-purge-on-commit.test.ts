/** The store purges old terminated workloads on every commit, so the state stays bounded. */
import fs from 'node:fs';
import { openStore } from '../../src/adapters/store.js';
import { stateWith, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

const NOW = 1_700_000_000_000;
const DAY = 24 * 3_600_000;

let dir: string;
beforeEach(() => {
  dir = tempStateDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a commit drops terminated workloads older than a day and keeps only the newest 50', async () => {
  const old = Array.from({ length: 500 }, (_, i) =>
    workloadRecord(`old${i}`, { intent: 'terminated', destroyedAt: NOW - 2 * DAY }),
  );
  const recent = Array.from({ length: 80 }, (_, i) =>
    workloadRecord(`new${i}`, { intent: 'terminated', destroyedAt: NOW - i * 1_000 }),
  );
  const store = openStore(dir, { now: () => NOW });
  fs.writeFileSync(
    store.stateFile,
    JSON.stringify(stateWith([...old, ...recent, workloadRecord('live', { intent: 'running' })])),
  );
  await store.update((tx) => {
    tx.state.workloads.added = workloadRecord('added');
  });
  const ids = Object.keys(store.read().workloads);
  expect(ids.filter((id) => id.startsWith('old'))).toEqual([]);
  expect(ids.filter((id) => id.startsWith('new')).sort()).toEqual(
    recent
      .slice(0, 50)
      .map((w) => w.id)
      .sort(),
  );
  expect(ids).toEqual(expect.arrayContaining(['live', 'added']));
});
