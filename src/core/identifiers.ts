/** DC identifier rules (SPEC §3): full uuid; else uuid prefix, then name. */
export interface Identifiable {
  id: string;
  name: string;
  /** Terminated workloads still answer to their uuid, but a live one wins a name or prefix. */
  live: boolean;
}

export type Resolution<T> = { ok: true; item: T } | { ok: false; error: 'not-found' | 'ambiguous' };

const pickOne = <T extends Identifiable>(matches: T[]): Resolution<T> | null => {
  if (matches.length === 0) return null;
  if (matches.length === 1) return { ok: true, item: matches[0] };
  const live = matches.filter((m) => m.live);
  if (live.length === 1) return { ok: true, item: live[0] };
  return { ok: false, error: 'ambiguous' };
};

export const resolveIdentifier = <T extends Identifiable>(identifier: string, items: readonly T[]): Resolution<T> => {
  const exact = items.find((item) => item.id === identifier);
  if (exact) return { ok: true, item: exact };
  const needle = identifier.toLowerCase();
  const byPrefix = pickOne(items.filter((item) => needle.length > 0 && item.id.startsWith(needle)));
  if (byPrefix) return byPrefix;
  return pickOne(items.filter((item) => item.name === identifier)) ?? { ok: false, error: 'not-found' };
};
