/** One supervisor per state dir: a pid file, checked and written under a lock so two starts cannot both win. */
import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export interface SupervisorRecord {
  pid: number;
  startedAt: number;
}

export const supervisorFiles = (stateDir: string) => ({
  pidFile: path.join(stateDir, 'supervisor.pid'),
  logFile: path.join(stateDir, 'supervisor.log'),
  lockPath: path.join(stateDir, 'supervisor.lock'),
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    // A recycled pid belongs to some other program: only an svc supervisor counts.
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('daemon\0run');
  } catch {
    return false;
  }
};

/** The running supervisor of this state dir, or null. */
export const runningSupervisor = (stateDir: string): SupervisorRecord | null => {
  try {
    const record = JSON.parse(fs.readFileSync(supervisorFiles(stateDir).pidFile, 'utf8')) as SupervisorRecord;
    return isAlive(record.pid) ? record : null;
  } catch {
    return null;
  }
};

const withLock = async <T>(stateDir: string, work: () => T): Promise<T> => {
  fs.mkdirSync(stateDir, { recursive: true });
  const release = await lockfile.lock(stateDir, {
    realpath: false,
    lockfilePath: supervisorFiles(stateDir).lockPath,
    stale: 10_000,
    retries: { retries: 100, minTimeout: 10, maxTimeout: 100 },
  });
  try {
    return work();
  } finally {
    await release();
  }
};

/** Claims the state dir for this process; returns the other supervisor's record if one already runs. */
export const claimSupervisor = (stateDir: string, pid: number, now: number) =>
  withLock(stateDir, (): SupervisorRecord | null => {
    const other = runningSupervisor(stateDir);
    if (other && other.pid !== pid) return other;
    fs.writeFileSync(supervisorFiles(stateDir).pidFile, JSON.stringify({ pid, startedAt: now }));
    return null;
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
