/**
 * The API's one secret: made on first use, kept in the state dir as `api-token` (0600, like
 * everything there), the same for every server of that state dir (`svc serve`, the supervisor's).
 *
 * Revocation is the file itself: `svc serve --rotate-token` replaces it, and a running server reads
 * it again as soon as it changes (a stat before every check, a watch on the state dir and a poll for
 * what no request asks about). A file removed is a token revoked: nothing is let in until one is made
 * again (`svc serve --print-token`, `--print-url`, `--rotate-token` or the next `svc serve`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFileOnce, ensurePrivateDir, openPrivate, writeFileDurably } from '../adapters/private-files.js';
import { randomHex } from '../engine/ids.js';
import { StateFileError } from '../errors.js';

export const TOKEN_FILE = 'api-token';
/** How often a server looks at the token file when no request made it look: what bounds an open stream's life after a rotation. */
const TOKEN_POLL_MS = 1_000;

/** 32 random bytes: as hard to guess as a key can usefully be. */
const newToken = () => `svc_${randomHex(32)}`;

const readToken = (file: string): string => {
  // Opened through openPrivate, so a token file someone loosened is made private again.
  const fd = openPrivate(file, 'r');
  try {
    const token = fs.readFileSync(fd, 'utf8').trim();
    if (!token)
      throw new StateFileError(file, 'it is empty', `Remove ${file}; the next \`svc serve\` makes a new token.`);
    return token;
  } finally {
    fs.closeSync(fd);
  }
};

export const tokenFile = (stateDir: string): string => path.join(stateDir, TOKEN_FILE);

/** The token of this state dir, made now if there is none. */
export const apiToken = (stateDir: string): string => {
  ensurePrivateDir(stateDir);
  const file = tokenFile(stateDir);
  if (!fs.existsSync(file)) createFileOnce(file, `${newToken()}\n`);
  return readToken(file);
};

/** Replaces the token (a new file renamed over the old: a reader sees one or the other, whole). */
export const rotateToken = (stateDir: string): void => {
  ensurePrivateDir(stateDir);
  writeFileDurably(tokenFile(stateDir), `${newToken()}\n`);
};

/** The token a server checks against, as it is now. */
export interface TokenSource {
  /** The token now; null when there is none (the file was removed, or is empty). */
  current(): string | null;
  /** Called (synchronously, from current() or the watch) each time the token changes or goes. */
  onChange(listener: () => void): void;
  close(): void;
}

/** A token that never changes: a server built in a test. */
export const fixedToken = (token: string): TokenSource => ({
  current: () => token,
  onChange: () => {},
  close: () => {},
});

/** What tells one version of the file from another: a rename makes a new inode, an edit in place a new mtime or size. */
const fileIdentity = (file: string): string | null | undefined => {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : undefined;
  }
};

/**
 * The file's token; null when there is none (removed, or empty); undefined when it could not be read
 * just now (no descriptor left, a chmod refused): nothing is concluded, and it is read again later.
 */
const readNow = (file: string): string | null | undefined => {
  try {
    return readToken(file);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof StateFileError ? null : undefined;
  }
};

/** The token file of `stateDir`, read again whenever it changed. */
export const watchedToken = (stateDir: string): TokenSource => {
  const file = tokenFile(stateDir);
  const listeners: (() => void)[] = [];
  /** What the token was read from; undefined until it was read. */
  let identity: string | null | undefined;
  let token: string | null = null;
  const current = () => {
    const now = fileIdentity(file);
    if (now === undefined || now === identity) return token;
    const read = now === null ? null : readNow(file);
    // A read that failed for a passing reason keeps the token it had (the next request tries again):
    // taken for "no token", it would lock everyone out until the file changed once more.
    if (read === undefined) return token;
    identity = now;
    const previous = token;
    token = read;
    if (token !== previous) listeners.forEach((listener) => listener());
    return token;
  };
  current();
  let watcher: fs.FSWatcher | null = null;
  try {
    // The dir, not the file: a rotation renames a new file over it, which a watch on the old inode never sees.
    watcher = fs.watch(stateDir, { persistent: false }, (_event, name) => {
      if (name === null || name === TOKEN_FILE) current();
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // No inotify left (or none at all): the poll below still notices, within TOKEN_POLL_MS.
  }
  const poll = setInterval(current, TOKEN_POLL_MS).unref();
  return {
    current,
    onChange: (listener) => void listeners.push(listener),
    close() {
      clearInterval(poll);
      watcher?.close();
    },
  };
};
