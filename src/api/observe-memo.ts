/**
 * The server's view of the workloads, made again only when the state or the containers changed.
 * With the state read cache and the listing cache, an unchanged state document and listing are the
 * same objects from one request to the next: the view made from them is then the same too, and so
 * is every answer made from it (respondOnce). A workload under a user operation makes the view depend
 * on the clock (an operation older than five minutes counts as dead), so none is kept meanwhile.
 */
import type { FastifyReply } from 'fastify';
import type { EngineContext } from '../context.js';
import type { Dialect, StateDocument } from '../core/workload.js';
import { observeState, type ObservedWorkload } from '../engine/observe.js';
import type { ContainerSummary } from '../engine/ports/runtime.js';

export type Observe = (dialect: Dialect) => Promise<ObservedWorkload[]>;

export const memoizedObserve = (ctx: EngineContext): Observe => {
  const kept = new Map<
    Dialect,
    { state: StateDocument; listing: readonly ContainerSummary[]; observed: ObservedWorkload[] }
  >();
  return async (dialect) => {
    const state = ctx.store.read();
    const listing = await ctx.docker.listManaged();
    const last = kept.get(dialect);
    if (last && last.state === state && last.listing === listing) return last.observed;
    const observed = Object.freeze(observeState(state, listing, dialect, ctx.clock.now())) as ObservedWorkload[];
    if (Object.values(state.workloads).every((w) => w.operation === null))
      kept.set(dialect, { state, listing, observed });
    else kept.delete(dialect);
    return observed;
  };
};

/** Distinct requests (path and query) kept per view; past this the view's answers start afresh. */
const ANSWERS_PER_VIEW = 200;

/**
 * An answer serialised once per view: the same request (path and query) against the same view is
 * the same bytes. `view` is what the answer was made from (an observe() result). The answers hang off
 * their view, so they go when it does: a changed state leaves no stale answers behind.
 */
export const createAnswerMemo = () => {
  // Kept as bytes: a list of 50 services is ~25 kB, which would otherwise be encoded anew for each answer.
  const answersOf = new WeakMap<object, Map<string, Buffer>>();
  return (reply: FastifyReply, key: string, view: object, make: () => unknown): FastifyReply => {
    let answers = answersOf.get(view);
    if (!answers) answersOf.set(view, (answers = new Map()));
    let json = answers.get(key);
    if (json === undefined) {
      if (answers.size >= ANSWERS_PER_VIEW) answers.clear();
      json = Buffer.from(JSON.stringify(make()));
      answers.set(key, json);
    }
    return reply.type('application/json; charset=utf-8').send(json);
  };
};
