/**
 * The cross-process state lock: a directory made by proper-lockfile, taken as stale by other
 * processes once its mtime is older than the stale time. proper-lockfile refreshes the mtime from a
 * timer, and a timer cannot fire while the holder's synchronous work runs; a holder busy past the
 * stale time has lost the lock without knowing. So the holder checks, right before it writes, that
 * the lock is still its own, and fails rather than overwrite what another process committed.
 */
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { StateLockError, StateLockLostError } from '../errors.js';
import { MIN_LOCK_STALE_MS } from '../core/limits.js';
import { sleep } from '../sleep.js';

export const DEFAULT_LOCK_STALE_MS = 10_000;

/** Waiting for another holder: ~400 tries, 5 ms growing to 100 ms apart (about 40 s in all). */
const WAIT = { tries: 400, firstMs: 5, factor: 1.3, maxMs: 100 };

export interface HeldLock {
  /** Throws StateLockLostError unless no other process can have taken the lock, now and for a margin after. */
  assertHeld(): void;
  release(): Promise<void>;
}

export const checkLockStaleMs = (staleMs: number): number => {
  if (!Number.isFinite(staleMs) || staleMs < MIN_LOCK_STALE_MS) {
    throw new Error(
      `The state lock's stale time must be at least ${MIN_LOCK_STALE_MS} ms (proper-lockfile's minimum), not ${staleMs}`,
    );
  }
  return staleMs;
};

/**
 * Takes the lock (a directory at `lockPath`), waiting while another process holds it: `waitTries`
 * tries, 5 ms growing to 100 ms apart (the default, 400, is about 40 s).
 */
export const acquireStateLock = async (
  lockPath: string,
  staleMs: number,
  { waitTries = WAIT.tries } = {},
): Promise<HeldLock> => {
  // The checks after the last refresh must be over before anyone else may call the lock stale.
  const margin = Math.min(1_000, staleMs / 4);
  let compromised = false;
  /** Set once the lock dir may belong to another process: it must then never be removed by us. */
  let foreign = false;
  let refreshedAt = 0;
  let ownMtimeMs = 0;
  const recordRefresh = (startedAt: number) => {
    refreshedAt = startedAt;
    ownMtimeMs = fs.statSync(lockPath).mtime.getTime();
  };
  // proper-lockfile does its file work through this object: it shows us each refresh of the mtime,
  // and keeps its unlock (and its exit handler) from removing a lock dir that is no longer ours.
  const lockFs = {
    ...fs,
    utimes: (file: string, atime: Date, mtime: Date, callback: (error: NodeJS.ErrnoException | null) => void) => {
      const startedAt = Date.now();
      fs.utimes(file, atime, mtime, (error) => {
        if (!error && file === lockPath && !foreign) {
          try {
            recordRefresh(startedAt);
          } catch {
            // the next refresh or check finds out
          }
        }
        callback(error);
      });
    },
    rmdir: (file: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
      foreign ? callback(null) : fs.rmdir(file, callback),
    rmdirSync: (file: string) => (foreign ? undefined : fs.rmdirSync(file)),
  };

  let release: () => Promise<void>;
  for (let attempt = 1, delay = WAIT.firstMs; ; attempt++, delay = Math.min(delay * WAIT.factor, WAIT.maxMs)) {
    const attemptStartedAt = Date.now();
    try {
      // proper-lockfile keeps its held locks in one map per process, keyed by this first argument:
      // the lock's own path, so that two locks on one state dir (this and the supervisor's or an
      // operation's) do not replace each other's entry and crash its refresh timer.
      release = await lockfile.lock(lockPath, {
        realpath: false,
        lockfilePath: lockPath,
        stale: staleMs,
        fs: lockFs,
        // Recorded, not thrown from a timer: the holder finds out in assertHeld, before it writes.
        onCompromised: () => {
          compromised = true;
          foreign = true;
        },
      });
      // proper-lockfile sets the new lock's mtime through lockFs.utimes; should it ever not, read it here.
      if (refreshedAt === 0) recordRefresh(attemptStartedAt);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw new StateLockError(lockPath, error);
      if (attempt >= waitTries)
        throw new StateLockError(lockPath, new Error('another svc process has held it for too long'));
      await sleep(delay * (0.5 + Math.random()));
    }
  }

  const stillOurs = (): boolean => {
    if (compromised) return false;
    try {
      return fs.statSync(lockPath).mtime.getTime() === ownMtimeMs;
    } catch {
      return false;
    }
  };

  return {
    assertHeld() {
      if (!stillOurs()) {
        foreign = true;
        throw new StateLockLostError(lockPath);
      }
      // Still ours, but about to look stale to others: a write now could land after they took it.
      if (Date.now() - refreshedAt >= staleMs - margin) throw new StateLockLostError(lockPath);
    },
    async release() {
      if (compromised) return; // proper-lockfile has already let go of it
      // A failed release (a file system turned read-only) leaves a lock that goes stale; the commit's outcome stands.
      await release().catch(() => {});
    },
  };
};
