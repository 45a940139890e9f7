/**
 * A limit of this host, not a fault of Docker or of a workload: the supervisor could not run docker,
 * or open a file, because the process or the host ran out of descriptors, processes or memory. It
 * passes by itself, so nothing is judged or given up for it: the work it stopped is tried again soon,
 * with back-off, and the log says so once when it begins and once when it ends, not once per try.
 */
const LIMIT_CODES = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOMEM']);

/** Whether the error, or one under it, is a host limit (its errno code). */
export const isHostLimit = (error: unknown): boolean => {
  for (let seen = error, depth = 0; seen instanceof Error && depth < 5; seen = seen.cause, depth++) {
    const code = (seen as NodeJS.ErrnoException).code;
    if (code !== undefined && LIMIT_CODES.has(code)) return true;
  }
  return false;
};

export interface HostLimitRetry {
  /** A try failed on a host limit: said once per outage. */
  noted(error: Error): void;
  /** As noted, and `retry` runs after the back-off (once, however many failed meanwhile). */
  failed(error: Error): void;
  /** A try got through: an outage under way is over. */
  passed(): void;
  stop(): void;
}

export const retryAfterHostLimit = (
  retry: () => void,
  options: { log(message: string): void; firstDelayMs: number; capMs: number },
): HostLimitRetry => {
  let outage: { failures: number; delay: number } | null = null;
  let timer: NodeJS.Timeout | null = null;
  const noted = (error: Error) => {
    if (outage === null) {
      outage = { failures: 0, delay: options.firstDelayMs };
      options.log(`${error.message.split('\n')[0]}: a limit of this host; trying again with back-off until it passes`);
    }
    outage.failures += 1;
    return outage;
  };
  return {
    noted: (error) => void noted(error),
    failed(error) {
      const current = noted(error);
      if (timer !== null) return;
      const delay = current.delay;
      current.delay = Math.min(delay * 2, options.capMs);
      timer = setTimeout(() => {
        timer = null;
        retry();
      }, delay);
    },
    passed() {
      if (outage === null) return;
      options.log(
        `the host limit has passed (${outage.failures} failed ${outage.failures === 1 ? 'try' : 'tries'}); acting again`,
      );
      outage = null;
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
};
