/**
 * One supervisor per state dir: a pid file, checked and written under a lock so two starts cannot
 * both win. A pid file is copied with its dir (`cp -a`), so a pid alone does not say whose
 * supervisor it is: the supervisor works in its state dir (`svc daemon run` chdirs there), and only
 * a process whose cwd is this very dir counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writeFileDurably } from './private-files.js';
import { acquireStateLock, DEFAULT_LOCK_STALE_MS } from './state-lock.js';

export interface SupervisorRecord {
  pid: number;
  startedAt: number;
  /** Where it serves the APIs (`svc daemon start --listen`), once it does. */
  api?: string;
}

export const supervisorFiles = (stateDir: string) => ({
  pidFile: path.join(stateDir, 'supervisor.pid'),
  logFile: path.join(stateDir, 'supervisor.log'),
  lockPath: path.join(stateDir, 'supervisor.lock'),
});

const realpathOrNull = (file: string): string | null => {
  try {
    return fs.realpathSync(file);
  } catch {
    return null;
  }
};

/** A live `svc daemon run` working in this state dir; a recycled pid or a copied dir's pid is some other process. */
const isSupervisorOf = (pid: number, stateDir: string): boolean => {
  try {
    process.kill(pid, 0);
    if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('daemon\0run')) return false;
  } catch {
    return false;
  }
  const cwd = realpathOrNull(`/proc/${pid}/cwd`);
  return cwd !== null && cwd === realpathOrNull(stateDir);
};

/** The running supervisor of this state dir, or null. */
export const runningSupervisor = (stateDir: string): SupervisorRecord | null => {
  try {
    const record = JSON.parse(fs.readFileSync(supervisorFiles(stateDir).pidFile, 'utf8')) as SupervisorRecord;
    return isSupervisorOf(record.pid, stateDir) ? record : null;
  } catch {
    return null;
  }
};

const withLock = async <T>(stateDir: string, work: () => T): Promise<T> => {
  ensurePrivateDir(stateDir);
  const lock = await acquireStateLock(supervisorFiles(stateDir).lockPath, DEFAULT_LOCK_STALE_MS);
  try {
    return work();
  } finally {
    await lock.release();
  }
};

/** Claims the state dir for this process (which must already work in it); returns the other supervisor's record if one already runs. */
export const claimSupervisor = (stateDir: string, pid: number, now: number) =>
  withLock(stateDir, (): SupervisorRecord | null => {
    const other = runningSupervisor(stateDir);
    if (other && other.pid !== pid) return other;
    writeFileDurably(supervisorFiles(stateDir).pidFile, JSON.stringify({ pid, startedAt: now }));
    return null;
  });

/** Adds the API's URL to this process's record, for `daemon status` and the `daemon start` that waits for it. */
export const recordApiUrl = (stateDir: string, pid: number, url: string) =>
  withLock(stateDir, () => {
    const { pidFile } = supervisorFiles(stateDir);
    const record = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as SupervisorRecord;
    if (record.pid === pid) writeFileDurably(pidFile, JSON.stringify({ ...record, api: url }));
  });

export const releaseSupervisor = (stateDir: string, pid: number) => {
  const { pidFile } = supervisorFiles(stateDir);
  try {
    const record = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as SupervisorRecord;
    if (record.pid === pid) fs.rmSync(pidFile);
  } catch {
    // already gone
  }
};
