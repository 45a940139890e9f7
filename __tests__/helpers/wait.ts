/** Waiting in tests that watch a real engine and a real supervisor. */

import { sleep } from '../../src/sleep.js';

export { sleep };

/**
 * Polls `check` until it returns a value other than undefined, null or false, and returns that
 * value; fails naming `what` after `timeoutMs`.
 */
export const waitFor = async <T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
};
