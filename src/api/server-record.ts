/**
 * Where this state dir's API is served, for `svc serve --print-url`: the supervisor's pid file says
 * it for `daemon start --listen`; `svc serve` writes `serve.json` (0600) while it runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../adapters/private-files.js';
import { runningSupervisor } from '../supervisor/pidfile.js';

const recordFile = (stateDir: string) => path.join(stateDir, 'serve.json');

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('serve');
  } catch {
    return false;
  }
};

/** Written once listening; removed when this process ends, however it ends. */
export const recordServer = (stateDir: string, url: string): void => {
  const file = recordFile(stateDir);
  writeFileDurably(file, JSON.stringify({ pid: process.pid, url }));
  process.once('exit', () => {
    try {
      const record = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number };
      if (record.pid === process.pid) fs.rmSync(file);
    } catch {
      // already gone
    }
  });
};

/** The URL of a server of this state dir that runs now, or null. */
export const runningServerUrl = (stateDir: string): string | null => {
  const supervisor = runningSupervisor(stateDir);
  if (supervisor?.api) return supervisor.api;
  try {
    const record = JSON.parse(fs.readFileSync(recordFile(stateDir), 'utf8')) as { pid: number; url: string };
    return isAlive(record.pid) ? record.url : null;
  } catch {
    return null;
  }
};
