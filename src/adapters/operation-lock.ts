/**
 * The operation lock (the lock port, engine/ports/lock.ts) on lock files in the state dir: the same
 * kind of lock as the state lock (state-lock.ts), held longer and waited for longer.
 */
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir } from './private-files.js';
import { acquireStateLock } from './state-lock.js';
import type { OperationLock } from '../engine/ports/lock.js';

/** Refreshed every stale/2 while the holder's event loop runs, which it does: the work is asynchronous. */
const STALE_MS = 20_000;
/** About five minutes, 100 ms apart: long enough to wait for another process's scale of a few hundred containers. */
const WAIT_TRIES = 3_000;

const lockPathFor = (stateDir: string, workloadId: string) => path.join(stateDir, 'operations', `${workloadId}.lock`);

/** Runs `work` holding the workload's operation lock; waits while another process holds it. */
export const withOperationLock = async <T>(
  stateDir: string,
  workloadId: string,
  work: () => Promise<T>,
): Promise<T> => {
  ensurePrivateDir(path.join(stateDir, 'operations'));
  const lock = await acquireStateLock(lockPathFor(stateDir, workloadId), STALE_MS, { waitTries: WAIT_TRIES });
  try {
    return await work();
  } finally {
    await lock.release();
  }
};

/** Whether some process is in the middle of a user operation on this workload. */
export const operationInProgress = (stateDir: string, workloadId: string): boolean => {
  const lockPath = lockPathFor(stateDir, workloadId);
  try {
    // Keyed by the lock's own path, as acquireStateLock keys it.
    return lockfile.checkSync(lockPath, { realpath: false, lockfilePath: lockPath, stale: STALE_MS });
  } catch {
    return false;
  }
};

/** The operation locks of one state dir. */
export const operationLockIn = (stateDir: string): OperationLock => ({
  hold: (workloadId, work) => withOperationLock(stateDir, workloadId, work),
  isHeld: (workloadId) => operationInProgress(stateDir, workloadId),
});
