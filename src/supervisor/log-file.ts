/**
 * supervisor.log: the detached supervisor's stdout and stderr, so its own lines and anything Node
 * prints on a crash (an uncaught exception's stack) end up there. It is rotated by copy and
 * truncate: Node cannot point fd 2 at a new file (there is no dup2), so renaming the log away would
 * send everything after it, crash output included, to the old copy. The fd is opened O_APPEND, so
 * after the truncation the next write lands at the start of the emptied file.
 */
import fs from 'node:fs';
import { openPrivate, writeFileDurably } from '../adapters/private-files.js';
import { StateWriteError } from '../errors.js';

export const STDERR_FD = 2;

/** For `daemon start`: the log to give the detached supervisor as stdout and stderr, appending, 0600. */
export const openSupervisorLog = (logFile: string): number => {
  try {
    return openPrivate(logFile, 'a');
  } catch (error) {
    throw new StateWriteError(logFile, error);
  }
};

/** Whether `fd` is the file at `path` (a detached supervisor's stderr is its log; under systemd it is the journal). */
export const fdIsFile = (fd: number, path: string): boolean => {
  try {
    const open = fs.fstatSync(fd);
    const named = fs.statSync(path);
    return open.dev === named.dev && open.ino === named.ino;
  } catch {
    return false;
  }
};

/** Once the log written through `fd` passes `maxBytes`, its content becomes `<log>.1` (replacing the old copy) and it starts again empty. */
export const rotateIfLarge = (logFile: string, fd: number, maxBytes: number): void => {
  try {
    if (fs.fstatSync(fd).size <= maxBytes) return;
    writeFileDurably(`${logFile}.1`, fs.readFileSync(logFile));
    fs.ftruncateSync(fd, 0);
  } catch {
    // A full disk: the log keeps growing until a rotation works, rather than the supervisor stopping.
  }
};
