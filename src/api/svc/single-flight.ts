/**
 * One check at a time, for a check anyone may ask for (the health check needs no token): callers at
 * the same time share one run, and its result is reused for `reuseMs`, so a flood of requests costs
 * one docker process.
 */
export const singleFlight = <T>(check: () => Promise<T>, reuseMs: number, now: () => number) => {
  let last: { result: Promise<T>; settledAt: number | null } | null = null;
  // A negative age is a clock stepped back: without the lower bound, the result would be reused until the clock caught up.
  const fresh = (settledAt: number) => {
    const age = now() - settledAt;
    return age >= 0 && age < reuseMs;
  };
  return (): Promise<T> => {
    if (last && (last.settledAt === null || fresh(last.settledAt))) return last.result;
    const entry: { result: Promise<T>; settledAt: number | null } = { result: check(), settledAt: null };
    const settled = () => void (entry.settledAt = now());
    entry.result.then(settled, settled);
    last = entry;
    return entry.result;
  };
};
