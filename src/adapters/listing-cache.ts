/**
 * A container runtime whose listing is reused while nothing changed: for a server answering many
 * requests (the HTTP API's lists, its wait loops), which would otherwise run `docker ps` for each.
 *
 * What "nothing changed" means: no event of a managed container arrived on Docker's event stream
 * since the listing was asked for, this process changed no container, and the listing is younger
 * than maxAgeMs. While the event stream is not up (Docker unreachable, reconnecting), nothing is
 * reused. Concurrent callers share one `docker ps` in flight.
 */
import type { ContainerRuntime, ContainerSummary, LineStream } from '../engine/ports/runtime.js';

export interface CachingRuntime extends ContainerRuntime {
  /** Stops following Docker's events. */
  close(): void;
}

const DEFAULT_MAX_AGE_MS = 5_000;
/** After the event stream ends, so that a Docker that is down is not asked many times a second. */
const REWATCH_AFTER_MS = 1_000;

export const withListingCache = (
  runtime: ContainerRuntime,
  { maxAgeMs = DEFAULT_MAX_AGE_MS, now = Date.now } = {},
): CachingRuntime => {
  let generation = 0;
  let cached: { generation: number; at: number; listing: Promise<ContainerSummary[]> } | null = null;
  let stream: LineStream | null = null;
  let rewatchAt = 0;
  let closed = false;

  const changed = () => {
    generation += 1;
    cached = null;
  };

  const watch = () => {
    if (stream || closed || now() < rewatchAt) return;
    // From a second back: an event between this call and the stream's start is replayed, not missed.
    stream = runtime.events(Math.floor(now() / 1000) - 1, changed);
    // A listing taken while no one watched may miss a change: not to be reused.
    changed();
    const current = stream;
    void current.done.then(() => {
      if (stream !== current) return;
      stream = null;
      rewatchAt = now() + REWATCH_AFTER_MS;
      changed();
    });
  };

  const listManaged = (): Promise<ContainerSummary[]> => {
    watch();
    if (cached && stream !== null && cached.generation === generation && now() - cached.at < maxAgeMs)
      return cached.listing;
    const listing = runtime.listManaged();
    const entry = { generation, at: now(), listing };
    cached = entry;
    listing.catch(() => {
      if (cached === entry) cached = null;
    });
    return listing;
  };

  /** A change this process makes is known before Docker's event about it arrives. */
  const changing =
    <Args extends unknown[], R>(operation: (...args: Args) => Promise<R>) =>
    async (...args: Args): Promise<R> => {
      changed();
      try {
        return await operation(...args);
      } finally {
        changed();
      }
    };

  return {
    ...runtime,
    listManaged,
    create: changing(runtime.create),
    start: changing(runtime.start),
    stop: changing(runtime.stop),
    remove: changing(runtime.remove),
    kill: changing(runtime.kill),
    close: () => {
      closed = true;
      stream?.stop();
      stream = null;
    },
  };
};
