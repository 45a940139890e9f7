/**
 * The API's one secret: made on first use, kept in the state dir as `api-token` (0600, like
 * everything there), the same for every server of that state dir (`svc serve`, the supervisor's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createFileOnce, ensurePrivateDir, openPrivate } from '../adapters/private-files.js';
import { randomHex } from '../adapters/random.js';
import { StateFileError } from '../errors.js';

export const TOKEN_FILE = 'api-token';

/** 32 random bytes: as hard to guess as a key can usefully be. */
const newToken = () => `svc_${randomHex(32)}`;

const readToken = (file: string): string => {
  // Opened through openPrivate, so a token file someone loosened is made private again.
  const fd = openPrivate(file, 'r');
  try {
    const token = fs.readFileSync(fd, 'utf8').trim();
    if (!token) throw new StateFileError(file, 'it is empty', `Remove ${file}; the next \`svc serve\` makes a new token.`);
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
