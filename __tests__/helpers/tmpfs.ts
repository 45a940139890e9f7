/**
 * Small and read-only filesystems for the state store's fault tests. Tests run as root, locally and
 * in CI, so they mount a tmpfs; a mount that fails fails the test, it never skips it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const mountTmpfs = (options: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    fs.rmdirSync(dir);
    throw new Error(
      `These tests mount a tmpfs and need root: \`mount -t tmpfs -o ${options}\` failed: ${(error as Error).message}`,
    );
  }
  return dir;
};

export const remount = (dir: string, options: string) =>
  execFileSync('mount', ['-o', `remount,${options}`, dir], { stdio: 'pipe' });

export const unmount = (dir: string) => {
  execFileSync('umount', [dir], { stdio: 'pipe' });
  fs.rmdirSync(dir);
};

/** Empties a mounted dir between tests. */
export const emptyDir = (dir: string) => {
  for (const entry of fs.readdirSync(dir)) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
};

/** Writes a ballast file until the filesystem is full. */
export const fillUp = (dir: string) => {
  const fd = fs.openSync(path.join(dir, 'ballast'), 'w');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
};
