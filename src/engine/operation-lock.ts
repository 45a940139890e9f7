/**
 * One user operation per workload at a time, across svc processes. The state lock is held only for
 * a read-modify-write; an operation (scale, start, redeploy ...) also spends seconds in Docker, and
 * two of those interleaving on one workload (ten parallel `service scale`) would each create and
 * remove containers the other one is counting on. This lock serialises them; the supervisor's
 * reconcile leaves a workload alone while its lock is held.
 */
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir } from '../adapters/private-files.js';
import { StateWriteError } from '../errors.js';

/** proper-lockfile refreshes the lock every stale/2 while the holder's event loop runs. */
const STALE_MS = 20_000;
/** Long enough to wait for another process's scale of a few hundred containers. */
const WAIT = { retries: 1_000, factor: 1.2, minTimeout: 20, maxTimeout: 300, randomize: true };

const lockPathFor = (stateDir: string, workloadId: string) => path.join(stateDir, 'operations', `${workloadId}.lock`);

// proper-lockfile keys a process's held locks by the path given to it: each lock passes its own
// path, so the state lock and several operation locks held at once never overwrite each other.
const options = (lockPath: string) => ({ realpath: false, lockfilePath: lockPath, stale: STALE_MS });

/** Runs `work` holding the workload's operation lock; waits while another process holds it. */
export const withOperationLock = async <T>(stateDir: string, workloadId: string, work: () => Promise<T>): Promise<T> => {
  ensurePrivateDir(path.join(stateDir, 'operations'));
  const lockPath = lockPathFor(stateDir, workloadId);
  const release = await lockfile.lock(lockPath, {
    ...options(lockPath),
    retries: WAIT,
    // The work is asynchronous, so the refresh timer runs; a compromise means the process was
    // frozen for 20 s. The operation still finishes: its state writes are safe under the state lock.
    onCompromised: () => {},
  }).catch((error: NodeJS.ErrnoException) => {
    // A read-only or full state dir is the user's to fix, not a bug in svc.
    throw error.code === 'ELOCKED' ? error : new StateWriteError(lockPath, error);
  });
  try {
    return await work();
  } finally {
    await release().catch(() => {});
  }
};

/** Whether some process is in the middle of a user operation on this workload. */
export const operationInProgress = (stateDir: string, workloadId: string): boolean => {
  try {
    const lockPath = lockPathFor(stateDir, workloadId);
    return lockfile.checkSync(lockPath, options(lockPath));
  } catch {
    return false;
  }
};
