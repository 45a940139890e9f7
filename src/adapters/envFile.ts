/**
 * Env values reach `docker create` through a file rather than argv, where any user of the host
 * could read them in `ps`. The file lives in a fresh private dir (mkdtemp makes it 0700), is
 * itself 0600, and is removed as soon as docker has read it, whatever happened, and at the latest
 * when the process exits (a signal's process.exit included).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envFileText } from '../core/envVars.js';
import type { EnvVar } from '../core/workload.js';

/** The dirs of the env files in use, removed at exit too: process.exit (a signal) skips `finally`. */
const inUse = new Set<string>();
let removedAtExit = false;

const removeDir = (dir: string) => {
  fs.rmSync(dir, { recursive: true, force: true });
  inUse.delete(dir);
};

export const withEnvFile = async <T>(env: readonly EnvVar[], use: (file: string) => Promise<T>): Promise<T> => {
  if (!removedAtExit) {
    // 'exit' listeners run on every way out but kill -9, process.exit included, and may only be synchronous.
    process.on('exit', () => inUse.forEach(removeDir));
    removedAtExit = true;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-env-'));
  inUse.add(dir);
  try {
    const file = path.join(dir, 'env');
    fs.writeFileSync(file, envFileText(env), { mode: 0o600, flag: 'wx' });
    return await use(file);
  } finally {
    removeDir(dir);
  }
};
