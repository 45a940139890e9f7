/** Docker Cloud's node: here, the one Docker host svc runs on, with an id that stays the same across restarts. */
import { createHash } from 'node:crypto';
import os from 'node:os';

const uuidFrom = (text: string) => {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export const localNode = (): { id: string; hostname: string } => {
  const hostname = os.hostname();
  return { id: uuidFrom(`svc-node:${hostname}`), hostname };
};
