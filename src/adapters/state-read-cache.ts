/**
 * A store whose read() parses state.json again only when the file changed: for a server answering
 * many requests, which otherwise spent a third of its time re-reading the same file.
 *
 * Every write of state.json renames a new file into place (private-files.ts), so its inode, size or
 * modification time change with each commit: the same four stat fields mean the same content, once
 * the file is older than a clock tick (below). The document
 * handed out is frozen, because it is shared by every reader until the file changes; updates read
 * the file themselves, under the lock, and are not affected.
 */
import fs from 'node:fs';
import type { StateDocument } from '../core/workload.js';
import type { Store } from './store.js';

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
};

/**
 * A write within the same clock tick as another (the kernel stamps files with a coarse clock), into a
 * reused inode and with the same size, would look unchanged. Once the file is older than this, no
 * later write can carry its stamp; until then the bytes themselves are compared.
 */
const SAME_TICK_MARGIN_MS = 50;

interface FileVersion {
  version: string;
  recent: boolean;
}

const fileVersion = (file: string, nowMs: number): FileVersion | null => {
  try {
    const { ino, size, mtimeNs, ctimeNs, mtimeMs } = fs.statSync(file, { bigint: true });
    return { version: `${ino}:${size}:${mtimeNs}:${ctimeNs}`, recent: nowMs - Number(mtimeMs) < SAME_TICK_MARGIN_MS };
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

export const withStateReadCache = (store: Store, now: () => number = Date.now): Store => {
  /** `bytes`: the content the state was parsed from, while the file was recent enough to need comparing. */
  let cached: { version: string; state: StateDocument; bytes: Buffer | null } | null = null;
  return {
    ...store,
    read: () => {
      const seen = fileVersion(store.stateFile, now());
      if (seen !== null && cached?.version === seen.version) {
        if (cached.bytes === null) return cached.state;
        if (fileBytes(store.stateFile)?.equals(cached.bytes)) {
          // Same bytes, and past the tick: no later write can look like this one any more.
          if (!seen.recent) cached.bytes = null;
          return cached.state;
        }
      }
      // Taken before the read: a change in between makes the next read look again, never the reverse.
      const before = seen?.recent ? fileBytes(store.stateFile) : null;
      const state = deepFreeze(store.read());
      if (seen === null || (seen.recent && !(before !== null && fileBytes(store.stateFile)?.equals(before)))) {
        cached = null;
      } else {
        cached = { version: seen.version, state, bytes: before };
      }
      return state;
    },
  };
};
