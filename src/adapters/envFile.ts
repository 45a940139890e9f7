/**
 * Env values reach `docker create` through a file rather than argv, where any user of the host
 * could read them in `ps`. The file lives in a fresh private dir (mkdtemp makes it 0700), is
 * itself 0600, and is removed as soon as docker has read it, whatever happened.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envFileText } from '../core/envVars.js';
import type { EnvVar } from '../core/workload.js';

export const withEnvFile = async <T>(env: readonly EnvVar[], use: (file: string) => Promise<T>): Promise<T> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-env-'));
  try {
    const file = path.join(dir, 'env');
    fs.writeFileSync(file, envFileText(env), { mode: 0o600, flag: 'wx' });
    return await use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
