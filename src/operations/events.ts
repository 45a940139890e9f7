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
  /** The workloads whose backend is asked for what it recorded itself (a swarm's task history). */
  workloadIds: readonly string[];
}

const ofWorkload = (workloadId: string): EventQuery => ({
  workloadId,
  matches: (event) => event.workloadId === workloadId,
  workloadIds: [workloadId],
});

/** An identifier may name a service or a machine, of any backend in use. */
export const eventQuery = async (ctx: OperationContext, identifier: string | undefined): Promise<EventQuery> => {
  const workloads = [...(await ctx.backend.list('service')), ...(await ctx.backend.list('machine'))];
  if (identifier === undefined)
    return { workloadId: undefined, matches: () => true, workloadIds: workloads.map((w) => w.id) };
  const all = workloads.map((w) => ({ ...w, live: w.intent !== 'terminated' }));
  const found = resolveIdentifier(identifier, all);
  if (!found.ok) {
    throw notFoundError(
      found.error === 'ambiguous'
        ? DIALECT_MESSAGES.service.ambiguous(identifier)
        : `Cannot find a service or machine with the identifier '${identifier}'`,
    );
  }
  return ofWorkload(found.item.id);
};

/**
 * The events every reader shows (the CLI, every API): svc's own log merged with what the
 * workloads' backend recorded itself (a swarm's task history), in time order.
 */
export const listEvents = async (ctx: OperationContext, query: EventQuery): Promise<WorkloadEvent[]> => {
  const own = ctx.store.readEvents().filter(query.matches);
  // One read of the backend for them all: a call per workload would be three docker processes each on a swarm.
  const theirs = query.workloadIds.length === 0 ? [] : await ctx.backend.history(query.workloadIds);
  return [...own, ...theirs].sort((a, b) => a.time - b.time);
};

/** The events of one workload already found (a service inspected, a machine shown). */
export const workloadEvents = (ctx: OperationContext, workloadId: string): Promise<WorkloadEvent[]> =>
  listEvents(ctx, ofWorkload(workloadId));

/** Calls `onEvent` for each matching event appended from now on, until the follower is stopped. */
export const followEvents = (
  ctx: OperationContext,
  query: EventQuery,
  onEvent: (event: WorkloadEvent) => void,
): EventFollower =>
  ctx.store.followEvents((event) => {
    if (query.matches(event)) onEvent(event);
  });
