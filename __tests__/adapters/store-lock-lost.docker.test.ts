/**
 * A holder whose synchronous work outlasts the lock's stale time loses the lock to another process.
 * It must notice and fail before writing, so the other process's committed record survives.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { openStore } from '../../src/adapters/store.js';
import { StateLockLostError, UserError } from '../../src/errors.js';
import { requireDocker, SVC_BIN, TEST_IMAGE, UUID4, uniqueName } from '../helpers/svc.js';
import { tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

let dir: string;
beforeAll(requireDocker);
beforeEach(() => {
  dir = tempStateDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const STALE_MS = 2_000;

/** `svc service create` in another process, blocking this one's event loop (and its lock refresh) until it is done. */
const createInAnotherProcess = (name: string): string =>
  execFileSync(SVC_BIN, ['service', 'create', '--name', name, TEST_IMAGE], {
    env: { ...process.env, SVC_HOME: dir, SVC_NO_AUTOSTART: '1', SVC_LOCK_STALE_MS: String(STALE_MS), NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();

test('a holder blocked past the stale time fails before writing; the process that took the lock keeps its record', async () => {
  const store = openStore(dir, { lockStaleMs: STALE_MS });
  await store.update((tx) => {
    tx.state.workloads.first = workloadRecord('first');
  });
  let childId = '';
  const error = await store
    .update((tx) => {
      tx.state.workloads.parent = workloadRecord('parent');
      const started = Date.now();
      childId = createInAnotherProcess(uniqueName('st-lock'));
      // The child could only get in once our lock looked stale.
      expect(Date.now() - started).toBeGreaterThanOrEqual(STALE_MS);
    })
    .catch((e: unknown) => e);
  expect(childId).toMatch(UUID4);
  expect(error).toBeInstanceOf(StateLockLostError);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).kind).toBe('failed');
  expect((error as Error).message).toMatch(/another svc process took over the state lock/i);
  expect((error as Error).message).toMatch(/nothing was written/i);
  const saved = JSON.parse(fs.readFileSync(store.stateFile, 'utf8'));
  expect(Object.keys(saved.workloads).sort()).toEqual([childId, 'first'].sort());
  // The lock is usable again: the next update of this store commits.
  await store.update((tx) => {
    tx.state.workloads.later = workloadRecord('later');
  });
  expect(Object.keys(store.read().workloads).sort()).toEqual([childId, 'first', 'later'].sort());
});

test("a lock stale time below proper-lockfile's minimum of 2000 ms is refused", () => {
  expect(() => openStore(dir, { lockStaleMs: 500 })).toThrow(/2000/);
});
