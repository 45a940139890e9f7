/** A change that changes nothing writes nothing: no fsync for a no-op, and no state file re-created behind the user. */
import fs from 'node:fs';
import { openStore } from '../../src/adapters/store.js';
import { stateWith, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

let dir: string;
beforeEach(() => {
  dir = tempStateDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('an update that changes nothing leaves the file as it was', async () => {
  const store = openStore(dir);
  const text = JSON.stringify(stateWith([workloadRecord('w1')]), null, 1);
  fs.writeFileSync(store.stateFile, text);
  await store.update((tx) => tx.state.workloads.w1.name);
  expect(fs.readFileSync(store.stateFile, 'utf8')).toBe(text);
});

test('a no-op on a state dir that was removed whole creates nothing', async () => {
  const store = openStore(dir);
  await store.update((tx) => {
    tx.state.workloads.w1 = workloadRecord('w1');
  });
  fs.rmSync(dir, { recursive: true, force: true });
  await store.update((tx) => Object.keys(tx.state.workloads).length);
  expect(fs.existsSync(store.stateFile)).toBe(false);
});
