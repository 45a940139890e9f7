/**
 * A store whose read() parses state.json again only when the file changed: for a server answering
 * many requests, which otherwise spent a third of its time re-reading the same file.
 *
 * Every write of state.json renames a new file into place (private-files.ts), so its inode, size or
 * modification time change with each commit: the same three mean the same content. The document
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

const fileVersion = (file: string): string | null => {
  try {
    const { ino, size, mtimeNs, ctimeNs } = fs.statSync(file, { bigint: true });
    return `${ino}:${size}:${mtimeNs}:${ctimeNs}`;
  } catch {
    return null;
  }
};

export const withStateReadCache = (store: Store): Store => {
  let cached: { version: string; state: StateDocument } | null = null;
  return {
    ...store,
    read: () => {
      const version = fileVersion(store.stateFile);
      if (version !== null && cached?.version === version) return cached.state;
      const state = deepFreeze(store.read());
      // Taken before the read: a change in between makes the next read look again, never the reverse.
      cached = version === null ? null : { version, state };
      return state;
    },
  };
};
