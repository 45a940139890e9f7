/**
 * Following the event log as it grows: `svc events -f` today, a server-sent events endpoint later.
 * The log is append-only but for compaction, which replaces it with a new file; a follower then finds the
 * last event it gave out in the new file and goes on after it, so nothing is given out twice.
 */
import fs from 'node:fs';
import type { WorkloadEvent } from '../core/events.js';
import type { EventFollower } from '../engine/ports/store.js';

const POLL_MS = 200;

/** Size, and the inode: compaction writes a new file and renames it over the log, so a new inode means rewritten. */
const statOf = (file: string): { size: number; ino: number } => {
  try {
    const { size, ino } = fs.statSync(file);
    return { size, ino };
  } catch {
    return { size: 0, ino: 0 };
  }
};

const readFrom = (file: string, offset: number, size: number): string => {
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(size - offset);
    fs.readSync(fd, chunk, 0, chunk.length, offset);
    return chunk.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
};

/** Calls `onEvent` for every event appended to `file` from now on, until stopped. */
export const followEventLog = (
  file: string,
  onEvent: (event: WorkloadEvent) => void,
  pollMs = POLL_MS,
): EventFollower => {
  let { size: offset, ino } = statOf(file);
  let lastLine: string | null = null;
  const startedAt = Date.now();
  /** Time of the last event given out: what compaction kept past it is new. */
  let lastTime = startedAt;

  const giveOut = (lines: string[]) => {
    for (const line of lines) {
      if (!line) continue;
      try {
        const event = JSON.parse(line) as WorkloadEvent;
        lastLine = line;
        lastTime = Math.max(lastTime, event.time);
        onEvent(event);
      } catch {
        // a torn line is skipped, as readEvents does
      }
    }
  };

  const poll = () => {
    const current = statOf(file);
    const size = current.size;
    const rewritten = current.ino !== ino || size < offset;
    ino = current.ino;
    if (rewritten) {
      // Compacted: what follows the last event given out is new; if compaction dropped that one,
      // what is newer than it is.
      const complete = readFrom(file, 0, size).split('\n').slice(0, -1);
      offset = Buffer.byteLength(complete.map((line) => `${line}\n`).join(''));
      const seen = lastLine === null ? -1 : complete.lastIndexOf(lastLine);
      if (seen >= 0) return giveOut(complete.slice(seen + 1));
      // Nothing given out yet: anything written since following began (in the same ms too) is new.
      const nothingGivenOut = lastLine === null;
      const after = lastTime;
      const isNew = (time: number) => (nothingGivenOut ? time >= startedAt : time > after);
      return giveOut(
        complete.filter((line) => {
          try {
            return isNew((JSON.parse(line) as WorkloadEvent).time);
          } catch {
            return false;
          }
        }),
      );
    }
    if (size === offset) return;
    const text = readFrom(file, offset, size);
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    offset += Buffer.byteLength(complete);
    giveOut(complete.split('\n'));
  };

  const timer = setInterval(poll, pollMs);
  return { stop: () => clearInterval(timer) };
};
