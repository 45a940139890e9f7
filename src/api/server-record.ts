/**
 * One server per state dir. `serve.json` (0600) names the process that serves it, `svc serve` or
 * the supervisor started with --listen, and its URL: what `svc serve --print-url` and `daemon
 * status` show. A second server would make that record, and the sign-in link, name only one of
 * them; so a server claims the record before it listens, under a lock (two started at once: one
 * wins), and a live holder makes the claim fail. A holder that is gone (its pid ended, or now
 * names another process: the record keeps its start time) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writeFileDurably } from '../adapters/private-files.js';
import { acquireStateLock, DEFAULT_LOCK_STALE_MS } from '../adapters/state-lock.js';
import { runningSupervisor } from '../adapters/pidfile.js';
import { lookUpProcess, pidExists, processStartTicks } from '../engine/operation-holder.js';

export interface ServerRecord {
  pid: number;
  /** `svc serve`, or the supervisor (`svc daemon run --listen`), whose API runs in a child process. */
  kind: 'serve' | 'daemon';
  /** null until it listens. */
  url: string | null;
  /** Clock ticks after boot at which the process started (operation-holder.ts): a recycled pid has another. */
  startTicks: string | null;
  /** The state dir's real path: a record copied with its dir (`cp -a`) names another dir's server. */
  dir: string;
}

const recordFile = (stateDir: string) => path.join(stateDir, 'serve.json');
const lockPath = (stateDir: string) => path.join(stateDir, 'serve.lock');

const realDir = (stateDir: string) => {
  try {
    return fs.realpathSync(stateDir);
  } catch {
    return path.resolve(stateDir);
  }
};

const commandLine = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
};

const readRecord = (stateDir: string): ServerRecord | null => {
  try {
    const record = JSON.parse(fs.readFileSync(recordFile(stateDir), 'utf8')) as Partial<ServerRecord>;
    return typeof record.pid === 'number'
      ? ({ kind: 'serve', url: null, startTicks: null, dir: '', ...record } as ServerRecord)
      : null;
  } catch {
    return null;
  }
};

/** The record, if its process still runs and serves this very dir. */
export const runningServer = (stateDir: string): ServerRecord | null => {
  const record = readRecord(stateDir);
  if (!record || pidExists(record.pid) !== true) return null;
  if (record.startTicks !== null) {
    // A pid /proc cannot tell about (no descriptor left) is taken for the recorded server: refusing a second one is the safe side.
    const now = lookUpProcess(record.pid);
    if (now.state === 'gone' || (now.state === 'running' && now.startTicks !== String(record.startTicks))) return null;
  }
  // An older svc wrote no dir: its record names a `svc serve`, or no server at all.
  if (!record.dir) return commandLine(record.pid).includes('serve') ? record : null;
  return record.dir === realDir(stateDir) ? record : null;
};

const withLock = async <T>(stateDir: string, work: () => T): Promise<T> => {
  ensurePrivateDir(stateDir);
  const lock = await acquireStateLock(lockPath(stateDir), DEFAULT_LOCK_STALE_MS);
  try {
    return work();
  } finally {
    await lock.release();
  }
};

/**
 * Claims the state dir's server record for `pid` (this process), before it listens. Returns the
 * live holder's record if another process serves this dir; null once the claim is this process's.
 * However the process ends, the record goes with it.
 */
export const claimServer = async (
  stateDir: string,
  kind: ServerRecord['kind'],
  pid = process.pid,
): Promise<ServerRecord | null> => {
  const other = await withLock(stateDir, () => {
    const holder = runningServer(stateDir);
    if (holder && holder.pid !== pid) return holder;
    const record: ServerRecord = { pid, kind, url: null, startTicks: processStartTicks(pid), dir: realDir(stateDir) };
    writeFileDurably(recordFile(stateDir), JSON.stringify(record));
    return null;
  });
  if (other === null) process.once('exit', () => releaseServer(stateDir, pid));
  return other;
};

/** Once listening: the URL, for `--print-url` and `daemon status`. */
export const recordServerUrl = (stateDir: string, pid: number, url: string) =>
  withLock(stateDir, () => {
    const record = readRecord(stateDir);
    if (record?.pid === pid) writeFileDurably(recordFile(stateDir), JSON.stringify({ ...record, url }));
  });

/** Synchronous, for the 'exit' hook: removes the record if it is still `pid`'s. */
export const releaseServer = (stateDir: string, pid: number): void => {
  if (readRecord(stateDir)?.pid !== pid) return;
  try {
    fs.rmSync(recordFile(stateDir));
  } catch {
    // already gone
  }
};

/** Who serves, in words: for the error that refuses a second server. */
export const describeServer = (record: ServerRecord): string =>
  `${record.kind === 'daemon' ? 'the supervisor (svc daemon start --listen)' : 'svc serve'}, pid ${record.pid}, ${record.url ? `at ${record.url}` : 'starting'}`;

/** The URL of a server of this state dir that runs now, or null. */
export const runningServerUrl = (stateDir: string): string | null =>
  runningServer(stateDir)?.url ?? runningSupervisor(stateDir)?.api ?? null;
