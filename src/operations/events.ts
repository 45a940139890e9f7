/** `events`: every decision and user action, of all workloads or of one (a service or a machine). */
import type { EventFollower } from '../engine/ports/store.js';
import type { OperationContext } from '../context.js';
import type { WorkloadEvent } from '../core/events.js';
import { DIALECT_MESSAGES } from '../core/dialects/messages.js';
import { resolveIdentifier } from '../core/identifiers.js';
import { notFoundError } from '../errors.js';

export interface EventQuery {
  /** The workload the events are of; undefined: all. */
  workloadId: string | undefined;
  matches(event: WorkloadEvent): boolean;
  /** Workloads whose backend keeps a history of its own (a swarm's tasks), to be read with svc's log. */
  withHistory: string[];
}

/** An identifier may name a service or a machine, of any backend in use. */
export const eventQuery = async (ctx: OperationContext, identifier: string | undefined): Promise<EventQuery> => {
  const workloads = [...(await ctx.backend.list('service')), ...(await ctx.backend.list('machine'))];
  const withHistory = (ids: string[]) =>
    workloads.filter((w) => w.backend === 'swarm' && ids.includes(w.id)).map((w) => w.id);
  if (identifier === undefined)
    return { workloadId: undefined, matches: () => true, withHistory: withHistory(workloads.map((w) => w.id)) };
  const all = workloads.map((w) => ({ ...w, live: w.intent !== 'terminated' }));
  const found = resolveIdentifier(identifier, all);
  if (!found.ok) {
    throw notFoundError(
      found.error === 'ambiguous'
        ? DIALECT_MESSAGES.service.ambiguous(identifier)
        : `Cannot find a service or machine with the identifier '${identifier}'`,
    );
  }
  const workloadId = found.item.id;
  return { workloadId, matches: (event) => event.workloadId === workloadId, withHistory: withHistory([workloadId]) };
};

/** svc's own log, with the history swarm workloads' tasks left in the swarm, in time order. */
export const listEvents = async (ctx: OperationContext, query: EventQuery): Promise<WorkloadEvent[]> => {
  const own = ctx.store.readEvents().filter(query.matches);
  if (query.withHistory.length === 0 || !ctx.backend.history) return own;
  // One read of the swarm for them all: a call per workload would be three docker processes each.
  return [...own, ...(await ctx.backend.history(query.withHistory))].sort((a, b) => a.time - b.time);
};

/** Calls `onEvent` for each matching event appended from now on, until the follower is stopped. */
export const followEvents = (
  ctx: OperationContext,
  query: EventQuery,
  onEvent: (event: WorkloadEvent) => void,
): EventFollower =>
  ctx.store.followEvents((event) => {
    if (query.matches(event)) onEvent(event);
  });
