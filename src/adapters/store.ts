/**
 * The state store (the store port, engine/ports/store.ts): one JSON document plus an append-only
 * event log, both under $SVC_HOME. Every read-modify-write holds a cross-process lock, so
 * concurrent svc processes never lose an update.
 * A commit is all or nothing: the state is written durably and its events appended, or neither.
 * A file that is not a state is reported, never reset; a state file that disappeared is not
 * silently re-created empty. A file an older svc wrote is upgraded (core/migrate.ts) and written
 * back in place, so each reader sees the current schema and the file soon has it too.
 */
import fs from 'node:fs';
import lockfile from 'proper-lockfile';
import { StateFileError, StateLockLostError } from '../errors.js';
import { followEventLog } from './event-follow.js';
import { operationLockIn } from './operation-lock.js';
import type { Store, Transaction } from '../engine/ports/store.js';
import { compactEvents, type WorkloadEvent } from '../core/events.js';
import { purgeTerminated } from '../core/purge.js';
import type { StateDocument } from '../core/workload.js';
import { appendAllOrNothing, ensurePrivateDir, writeFileDurably } from './private-files.js';
import { acquireStateLock, checkLockStaleMs, DEFAULT_LOCK_STALE_MS, type HeldLock } from './state-lock.js';
import { readStateFile, stateFilesIn } from './state-file.js';

/** Past this size the event log is rewritten with a bounded history per instance. */
const EVENT_LOG_COMPACT_BYTES = 2 * 1024 * 1024;

export interface StoreOptions {
  /** When another process may take the state lock as abandoned (SVC_LOCK_STALE_MS); at least 2000 ms. */
  lockStaleMs?: number;
  /** The clock that ages terminated workloads out of the state. */
  now?: () => number;
  eventLogCompactBytes?: number;
}

/** For the non-waiting lock a read takes to upgrade a file: a lock held by anyone, however old, is theirs. */
const NEVER_STALE_MS = 2 ** 30;

const MARKER_TEXT =
  'svc has written state.json in this directory. If state.json is gone, restore it, or remove this file to start afresh.\n';

export const openStore = (stateDir: string, options: StoreOptions = {}): Store => {
  const files = stateFilesIn(stateDir);
  const { dir, stateFile, eventsFile, markerFile, lockPath } = files;
  const lockStaleMs = checkLockStaleMs(options.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
  const now = options.now ?? Date.now;
  const compactBytes = options.eventLogCompactBytes ?? EVENT_LOG_COMPACT_BYTES;

  const readFile = () => readStateFile(files);

  /**
   * Writes the upgrade of an older file in place, under the state lock, so later reads find it
   * current. A read is synchronous and must not wait, so it takes the lock only if it is free (and
   * never takes over a stale one): when it is busy, or the disk is read-only or full, the file stays
   * as it was and the reader goes on with the upgrade in memory; the next read or update writes it
   * (an update writes any upgraded state, see commitGroup). Returns the state read under the lock.
   */
  const upgradeInPlace = (): StateDocument | null => {
    let release: () => void;
    try {
      release = lockfile.lockSync(lockPath, { realpath: false, lockfilePath: lockPath, stale: NEVER_STALE_MS });
    } catch {
      return null;
    }
    const takenAt = Date.now();
    try {
      // Read again under the lock: a writer may have committed since, and its update must not be lost.
      const { state, older } = readFile();
      // The lock is not refreshed while this runs; past the stale time another process may take it.
      const stillHeld = () => {
        if (Date.now() - takenAt >= lockStaleMs / 2) throw new StateLockLostError(lockPath);
      };
      if (older) {
        writeFileDurably(stateFile, JSON.stringify(state), stillHeld);
        writeMarkerOnce();
      }
      return state;
    } catch {
      return null;
    } finally {
      try {
        release();
      } catch {
        // a lock dir that cannot be removed goes stale and is taken over
      }
    }
  };

  const read = (): StateDocument => {
    const { state, older } = readFile();
    return older ? (upgradeInPlace() ?? state) : state;
  };

  const readEvents = (): WorkloadEvent[] => {
    let text: string;
    try {
      text = fs.readFileSync(eventsFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StateFileError(eventsFile, (error as Error).message);
    }
    // A torn last line (a process killed mid-append) is skipped rather than failing every reader.
    return text.split('\n').flatMap((line) => {
      if (!line) return [];
      try {
        return [JSON.parse(line) as WorkloadEvent];
      } catch {
        return [];
      }
    });
  };

  const eventLines = (events: readonly WorkloadEvent[]) => events.map((e) => JSON.stringify(e)).join('\n') + '\n';

  /** Keeps the log bounded. Optional work: on failure (a full disk) the log just stays longer until the next commit. */
  const compactEventLogIfLarge = () => {
    try {
      if (fs.statSync(eventsFile).size > compactBytes)
        writeFileDurably(eventsFile, eventLines(compactEvents(readEvents())));
    } catch {
      // see above
    }
  };

  /** The state and its events, or neither: events first, taken back if the state cannot be written. */
  const commit = (lock: HeldLock, stateText: string, events: readonly WorkloadEvent[]) => {
    lock.assertHeld();
    const takeBackEvents = events.length > 0 ? appendAllOrNothing(eventsFile, eventLines(events)) : () => {};
    try {
      writeFileDurably(stateFile, stateText, () => lock.assertHeld());
    } catch (error) {
      takeBackEvents();
      throw error;
    }
    writeMarkerOnce();
    if (events.length > 0) compactEventLogIfLarge();
  };

  /** After the state is in place, so it cannot fail the commit; a failed marker write is tried again next time. */
  const writeMarkerOnce = () => {
    try {
      if (!fs.existsSync(markerFile)) writeFileDurably(markerFile, MARKER_TEXT);
    } catch {
      // see above
    }
  };

  // Updates from one process are committed in groups: those queued while a commit runs share the
  // next lock, read and write. The supervisor judging 50 simultaneous exits writes a few times, not 50.
  interface Job {
    change: (tx: Transaction) => unknown;
    settle: (outcome: { value?: unknown; error?: unknown }) => void;
  }
  let queued: Job[] = [];
  let draining = false;

  const update = <T>(change: (tx: Transaction) => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queued.push({
        change,
        settle: ({ value, error }) => (error === undefined ? resolve(value as T) : reject(error)),
      });
      if (!draining) void drain();
    });

  const drain = async () => {
    draining = true;
    while (queued.length > 0) {
      const group = queued;
      queued = [];
      const outcomes = await commitGroup(group).catch((error: unknown) => group.map(() => ({ error })));
      group.forEach((job, i) => job.settle(outcomes[i]));
    }
    draining = false;
  };

  const commitGroup = async (group: Job[]): Promise<{ value?: unknown; error?: unknown }[]> => {
    ensurePrivateDir(dir);
    const lock = await acquireStateLock(lockPath, lockStaleMs);
    try {
      const file = readFile();
      let state = file.state;
      // An upgraded older file counts as a change, so any commit writes it at the current schema.
      const asRead = file.older ? null : JSON.stringify(state);
      const events: WorkloadEvent[] = [];
      const outcomes = group.map((job) => {
        // A change that throws leaves nothing behind: the state goes back to before it.
        const before = JSON.stringify(state);
        const eventCount = events.length;
        try {
          // A copy: what a caller gets is never a live part of the state a later change in the group edits.
          return { value: structuredClone(job.change({ state, emit: (event) => events.push(event) })) };
        } catch (error) {
          state = JSON.parse(before) as StateDocument;
          events.length = eventCount;
          return { error: error ?? new Error('state change failed') };
        }
      });
      const stateText = JSON.stringify(purgeTerminated(state, now()));
      // Nothing changed (an exit judged already, an operation cleared twice): nothing is written, so a
      // no-op costs no fsync and never re-creates a state file someone removed with its whole dir.
      const changed = events.length > 0 || stateText !== asRead;
      if (changed && outcomes.some((o) => o.error === undefined)) commit(lock, stateText, events);
      return outcomes;
    } finally {
      await lock.release();
    }
  };

  const followEvents = (onEvent: (event: WorkloadEvent) => void) => followEventLog(eventsFile, onEvent);

  return { dir, stateFile, eventsFile, read, update, readEvents, followEvents, operationLock: operationLockIn(dir) };
};
