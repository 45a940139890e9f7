/** `events`: every decision and user action, of all workloads or of one (a service or a machine). */
import type { EventFollower } from '../adapters/event-follow.js';
import type { OperationContext } from '../context.js';
import type { WorkloadEvent } from '../core/events.js';
import { DIALECT_MESSAGES } from '../core/dialects/messages.js';
import { resolveIdentifier } from '../core/identifiers.js';
import { notFoundError } from '../errors.js';

export interface EventQuery {
  /** The workload the events are of; undefined: all. */
  workloadId: string | undefined;
  matches(event: WorkloadEvent): boolean;
}

/** An identifier may name a service or a machine. */
export const eventQuery = (ctx: OperationContext, identifier: string | undefined): EventQuery => {
  if (identifier === undefined) return { workloadId: undefined, matches: () => true };
  const all = Object.values(ctx.store.read().workloads).map((w) => ({ ...w, live: w.intent !== 'terminated' }));
  const found = resolveIdentifier(identifier, all);
  if (!found.ok) {
    throw notFoundError(
      found.error === 'ambiguous'
        ? DIALECT_MESSAGES.service.ambiguous(identifier)
        : `Cannot find a service or machine with the identifier '${identifier}'`,
    );
  }
  const workloadId = found.item.id;
  return { workloadId, matches: (event) => event.workloadId === workloadId };
};

export const listEvents = (ctx: OperationContext, query: EventQuery): WorkloadEvent[] => ctx.store.readEvents().filter(query.matches);

/** Calls `onEvent` for each matching event appended from now on, until the follower is stopped. */
export const followEvents = (ctx: OperationContext, query: EventQuery, onEvent: (event: WorkloadEvent) => void): EventFollower =>
  ctx.store.followEvents((event) => {
    if (query.matches(event)) onEvent(event);
  });
