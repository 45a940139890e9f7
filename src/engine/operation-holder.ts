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

/** What /proc says of a pid: running since `startTicks`, gone, or nothing it can tell. */
export type ProcessLookup = { state: 'running'; startTicks: string } | { state: 'gone' } | { state: 'unknown' };

/** Whether a process with this pid exists, as kill(pid, 0) tells it: EPERM is another user's process. */
export const pidExists = (pid: number): boolean | null => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH' ? false : code === 'EPERM' ? true : null;
  }
};

/**
 * Field 22 (starttime) of /proc/PID/stat. A zombie (ended, not yet reaped by its parent) is gone.
 * The command (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
 * Only a pid that no process has is gone: a read that fails otherwise (no descriptor left, /proc
 * hiding other users' processes) cannot tell, and a live operation must never be taken for dead.
 */
export const lookUpProcess = (pid: number): ProcessLookup => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return { state: 'gone' }; // fields[0] is field 3, the state
    return fields[19] === undefined ? { state: 'unknown' } : { state: 'running', startTicks: fields[19] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return { state: 'unknown' };
    return pidExists(pid) === false ? { state: 'gone' } : { state: 'unknown' };
  }
};

/** The start time of a running process; null when it is gone or cannot be told. */
export const processStartTicks = (pid: number): string | null => {
  const found = lookUpProcess(pid);
  return found.state === 'running' ? found.startTicks : null;
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
  const now = lookUpProcess(holder.pid);
  return now.state === 'gone' || (now.state === 'running' && now.startTicks !== holder.startTicks);
};
