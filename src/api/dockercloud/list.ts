/**
 * Docker Cloud's list envelope: `{"meta": {limit, offset, next, previous, total_count}, "objects"}`.
 * `next` is null on the last page: the SDKs follow it until it is, so anything else loops for ever.
 */
import type { ListQuery } from './schemas.js';

const PAGING = new Set(['limit', 'offset']);

/** The same path and filters, another offset. */
const pageUrl = (path: string, query: ListQuery, offset: number): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (!PAGING.has(key) && value !== undefined && value !== null) params.set(key, String(value));
  params.set('limit', String(query.limit));
  params.set('offset', String(offset));
  return `${path}?${params}`;
};

/** `present` turns the page's items into the API's objects: only the page's are made. */
export const listEnvelope = <T, O = T>(
  path: string,
  query: ListQuery,
  all: readonly T[],
  present: (item: T) => O = (item) => item as unknown as O,
) => {
  const { limit, offset } = query;
  const objects = all.slice(offset, offset + limit).map(present);
  return {
    meta: {
      limit,
      offset,
      next: offset + limit < all.length ? pageUrl(path, query, offset + limit) : null,
      previous: offset > 0 ? pageUrl(path, query, Math.max(0, offset - limit)) : null,
      total_count: all.length,
    },
    objects,
  };
};

/** Services and containers belong to no stack in svc: asking for one finds nothing. */
export const asksForAStack = (query: ListQuery) => Boolean(query.stack || query.stack__name);

/** DC's state filter is the state's name; case does not matter here, as on the CLI's -s. */
export const stateMatches = (state: string, wanted: string | null | undefined) =>
  wanted == null || state.toLowerCase() === wanted.trim().toLowerCase();
