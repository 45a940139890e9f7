/**
 * Waiting a fixed time: back-off between tries, polling. On the global timer, so tests with fake
 * timers drive it.
 */

/** `keepAlive: false`: the wait alone does not keep the process running (a back-off that may be cut short by an exit). */
export const sleep = (ms: number, { keepAlive = true }: { keepAlive?: boolean } = {}): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) timer.unref();
  });
