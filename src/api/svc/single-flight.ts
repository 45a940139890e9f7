/**
 * For a check anyone may ask for (the health check needs no token): callers at the same time share
 * one run, and its result stands for a while, so a flood of requests costs one docker process.
 */
/** One check at a time, its result shared by the requests that wait for it and reused for `reuseMs`. */
export const singleFlight = <T>(check: () => Promise<T>, reuseMs: number, now: () => number) => {
  let last: { result: Promise<T>; settledAt: number | null } | null = null;
  return (): Promise<T> => {
    if (last && (last.settledAt === null || now() - last.settledAt < reuseMs)) return last.result;
    const entry: { result: Promise<T>; settledAt: number | null } = { result: check(), settledAt: null };
    const settled = () => void (entry.settledAt = now());
    entry.result.then(settled, settled);
    last = entry;
    return entry.result;
  };
};

