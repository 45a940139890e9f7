/**
 * Which process holds a user operation, written into the operation (state.json) so the supervisor
 * can tell one still running from one whose process died (kill -9 of a CLI or a server mid-start)
 * at once, rather than only once its operation lock goes stale. A pid alone could be another
 * process's by then: its start time (field 22 of /proc/PID/stat, clock ticks since boot) tells a
 * reused pid apart. A holder in another pid namespace (a container sharing the state dir) cannot be
 * looked up from here: for it, and where there is no /proc, only the lock says it is gone.
 */
import fs from 'node:fs';
import type { OperationHolder } from '../core/workload.js';

/**
 * Field 22 (starttime) of /proc/PID/stat; null when there is no such process or it has ended (a
 * zombie, not yet reaped by its parent). The command (field 2) may hold spaces and parentheses:
 * fields are counted after its last ')'.
 */
export const processStartTicks = (pid: number): string | null => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null; // fields[0] is field 3, the state
    return fields[19] ?? null;
  } catch {
    return null;
  }
};

const pidNamespace = (pid: number | 'self'): string | null => {
  try {
    return fs.readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
};

/** This process, as an operation's holder. */
export const currentHolder = (): OperationHolder => ({
  pid: process.pid,
  startTicks: processStartTicks(process.pid),
  pidNamespace: pidNamespace('self'),
});

/**
 * Whether the holder is known to be gone: no process with its pid, or one started at another time.
 * false when that cannot be known (another pid namespace, no /proc): the lock decides then.
 */
export const holderGone = (holder: OperationHolder | undefined): boolean => {
  if (!holder || holder.startTicks === null || holder.pidNamespace === null) return false;
  if (pidNamespace('self') !== holder.pidNamespace) return false;
  return processStartTicks(holder.pid) !== holder.startTicks;
};
