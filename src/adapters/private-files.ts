/**
 * Writing in the state dir. Everything there is private (the dir 0700, files 0600, whatever the
 * umask or an earlier chmod said), and every write is all or nothing: a full disk or a read-only
 * file system leaves the old content in place and fails with a StateWriteError naming the path.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StateWriteError, UserError } from '../errors.js';
import { randomHex } from '../engine/ids.js';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const permissions = (mode: number) => mode & 0o777;

/** Creates the dir 0700, or tightens an existing looser one. */
export const ensurePrivateDir = (dir: string): void => {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    if (permissions(fs.statSync(dir).mode) !== PRIVATE_DIR_MODE) fs.chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    throw new StateWriteError(dir, error);
  }
};

/** Opens (creating) a file 0600, tightening one an older svc or a user made looser. */
export const openPrivate = (file: string, flags: string): number => {
  const fd = fs.openSync(file, flags, PRIVATE_FILE_MODE);
  try {
    if (permissions(fs.fstatSync(fd).mode) !== PRIVATE_FILE_MODE) fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
  return fd;
};

/** Closes a descriptor whose close error would only hide the error being reported, or that may be closed already. */
export const closeQuietly = (fd: number) => {
  try {
    fs.closeSync(fd);
  } catch {
    // the error that brought us here is the one to report
  }
};

const removeQuietly = (file: string) => {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // a read-only dir could not have held the temp file in the first place
  }
};

/** Hardens a rename against power loss. The file is already in place and complete, so a failure here is not reported. */
const fsyncDir = (dir: string) => {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // see above
  }
};

/**
 * Replaces `file` with `data`, or leaves it as it was. The data goes to a temp file in the same dir
 * (created exclusively, 0600), every byte written (writeFileSync loops over short writes and throws
 * ENOSPC) and fsynced before the rename; `beforeRename` may veto at the last moment by throwing.
 * (A single write() that returned short, then a rename, is how a full disk once cut state.json.)
 */
export const writeFileDurably = (
  file: string,
  data: string | Uint8Array,
  beforeRename: () => void = () => {},
): void => {
  const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openPrivate(tmp, 'wx');
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    beforeRename();
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(tmp);
    throw error instanceof UserError ? error : new StateWriteError(file, error);
  }
  fsyncDir(path.dirname(file));
};

/**
 * Appends `text` to `file` (created 0600) in full and fsynced, or not at all: a failed append is
 * truncated back. Returns a function that takes a successful append back, for a commit that fails later.
 */
export const appendAllOrNothing = (file: string, text: string): (() => void) => {
  let fd: number | undefined;
  let sizeBefore = 0;
  try {
    fd = openPrivate(file, 'a');
    sizeBefore = fs.fstatSync(fd).size;
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.ftruncateSync(fd, sizeBefore);
      } catch {
        // nothing more can be done; the reader skips a torn last line
      }
      closeQuietly(fd);
    }
    throw new StateWriteError(file, error);
  }
  return () => {
    try {
      fs.truncateSync(file, sizeBefore);
    } catch {
      // as above
    }
  };
};

/**
 * Creates `file` with `data` (0600, complete and fsynced) unless it exists: false then, and the
 * file is left as it was. The temp file is hard-linked into place, which fails when the name is
 * taken, so of two processes creating it at once exactly one wins and both read the winner's.
 */
export const createFileOnce = (file: string, data: string): boolean => {
  const tmp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  try {
    const fd = openPrivate(tmp, 'wx');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      closeQuietly(fd);
    }
    try {
      fs.linkSync(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    fsyncDir(path.dirname(file));
    return true;
  } catch (error) {
    throw error instanceof UserError ? error : new StateWriteError(file, error);
  } finally {
    removeQuietly(tmp);
  }
};
