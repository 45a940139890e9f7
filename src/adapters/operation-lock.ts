/**
 * One user operation per workload at a time, across svc processes. The state lock is held only for
 * a read-modify-write; an operation (scale, start, redeploy ...) also spends seconds in Docker, and
 * two of those interleaving on one workload (ten parallel `service scale`) would each create and
 * remove containers the other one is counting on. This lock serialises them; the supervisor's
 * reconcile leaves a workload alone while its lock is held. It is the same kind of lock as the
 * state lock (adapters/state-lock.ts), held longer and waited for longer.
 */
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir } from './private-files.js';
import { acquireStateLock } from './state-lock.js';

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
