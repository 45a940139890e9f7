/**
 * A store whose read() parses state.json again only when the file changed: for a server answering
 * many requests, which otherwise spent a third of its time re-reading the same file.
 *
 * Every write svc makes renames a new file into place (private-files.ts), so after a commit the name
 * points at another inode. The cache keeps the file it parsed open: while it is held, the kernel
 * cannot give its inode number to a new file, so the same inode under the name means the same file,
 * on any filesystem, however coarse its clock. A file changed in place (by hand, not by svc) is
 * caught by its size and stamps, and while it is young enough to share a stamp with the next change
 * (below), by its bytes. The document handed out is frozen, because it is shared by every reader
 * until the file changes; updates read the file themselves, under the lock, and are not affected.
 */
import fs from 'node:fs';
import type { StateDocument } from '../core/workload.js';
import { closeQuietly } from './private-files.js';
import type { Store } from '../engine/ports/store.js';

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/**
 * Two changes within one tick of the clock the kernel stamps files with look alike by their stamps.
 * Most filesystems stamp in nanoseconds from a clock of a few ms; one that stamps whole seconds
 * (FAT keeps two) shows it by stamps with no fraction, and gets a margin as long as its tick.
 */
const FINE_CLOCK_MARGIN_MS = 50;
const WHOLE_SECOND_CLOCK_MARGIN_MS = 2_000;

interface FileVersion {
  version: string;
  /** Young enough that a change in place could still carry the same stamps: the bytes decide. */
  recent: boolean;
}

const versionOf = (stats: fs.BigIntStats, nowMs: number): FileVersion => {
  const { ino, size, mtimeNs, ctimeNs, mtimeMs } = stats;
  const margin = mtimeNs % 1_000_000_000n === 0n ? WHOLE_SECOND_CLOCK_MARGIN_MS : FINE_CLOCK_MARGIN_MS;
  return { version: `${ino}:${size}:${mtimeNs}:${ctimeNs}`, recent: nowMs - Number(mtimeMs) < margin };
};

const fileVersion = (file: string, nowMs: number): FileVersion | null => {
  try {
    return versionOf(fs.statSync(file, { bigint: true }), nowMs);
  } catch {
    return null;
  }
};

const fileBytes = (file: string): Buffer | null => {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
};

const openOrNull = (file: string): number | null => {
  try {
    return fs.openSync(file, 'r');
  } catch {
    return null;
  }
};

export const withStateReadCache = (store: Store, now: () => number = Date.now): Store => {
  /**
   * `fd`: the parsed file, held open so its inode is not reused. `bytes`: its content, while it was
   * recent enough to need comparing.
   */
  let cached: { version: string; state: StateDocument; bytes: Buffer | null; fd: number } | null = null;
  const forget = () => {
    if (cached) closeQuietly(cached.fd);
    cached = null;
  };
  return {
    ...store,
    read: () => {
      const seen = fileVersion(store.stateFile, now());
      if (seen !== null && cached?.version === seen.version) {
        if (cached.bytes === null) return cached.state;
        if (fileBytes(store.stateFile)?.equals(cached.bytes)) {
          // Same bytes, and past the tick: no later change can look like this one any more.
          if (!seen.recent) cached.bytes = null;
          return cached.state;
        }
      }
      forget();
      const fd = openOrNull(store.stateFile);
      const held = fd === null ? null : versionOf(fs.fstatSync(fd, { bigint: true }), now());
      // Taken before the read: a change in between makes the next read look again, never the reverse.
      const before = held?.recent ? fileBytes(store.stateFile) : null;
      const state = deepFreeze(store.read());
      // The name still on the held file after the read (svc never renames a file back): it was the one read.
      const after = fileVersion(store.stateFile, now());
      const sameFile = held !== null && after?.version === held.version;
      const sameBytes = !held?.recent || (before !== null && fileBytes(store.stateFile)?.equals(before) === true);
      if (fd !== null && held !== null && sameFile && sameBytes)
        cached = { version: held.version, state, bytes: before, fd };
      else if (fd !== null) closeQuietly(fd);
      return state;
    },
  };
};
