/** Turning the user's identifiers into workloads, with DC's messages and its "do all you can" rule. */
import type { Context } from '../context.js';
import { resolveIdentifier, serviceAmbiguous, serviceNotFound } from '../core/identifiers.js';
import type { Dialect, Workload } from '../core/workload.js';
import { PartialFailure, UserError, notFoundError } from '../errors.js';

const candidates = (ctx: Context, dialect: Dialect) =>
  Object.values(ctx.store.read().workloads)
    .filter((w) => w.dialect === dialect)
    .map((w) => ({ ...w, live: w.intent !== 'terminated' }));

export const machineNotFound = (identifier: string) => notFoundError(`machine ${identifier} not found`);

export const resolveWorkload = (ctx: Context, dialect: Dialect, identifier: string): Workload => {
  const found = resolveIdentifier(identifier, candidates(ctx, dialect));
  if (found.ok) return found.item;
  if (dialect === 'machine') {
    throw found.error === 'ambiguous'
      ? notFoundError(`more than one machine matches '${identifier}', use the full machine id`)
      : machineNotFound(identifier);
  }
  throw found.error === 'ambiguous' ? serviceAmbiguous() : serviceNotFound(identifier);
};

/**
 * Runs `action` for every identifier. Failures are written to stderr as they happen and the rest
 * still run; then a PartialFailure carrying them all is raised.
 * `together`: all identifiers are resolved first, then it is given the workloads and returns the
 * action, which runs for all of them at once (a stop of 20 services in parallel).
 */
export const forEachIdentifier = async <T>(
  ctx: Context,
  dialect: Dialect,
  identifiers: readonly string[],
  action: (workload: Workload) => Promise<T>,
  together?: (workloads: Workload[]) => (workload: Workload) => Promise<T>,
): Promise<T[]> => {
  const failures: UserError[] = [];
  const report = (error: unknown) => {
    if (!(error instanceof UserError) || error.kind === 'engine-unreachable') throw error;
    ctx.io.stderr.write(`${error.message}\n`);
    failures.push(error);
  };
  const results: T[] = [];
  if (together) {
    const workloads: Workload[] = [];
    for (const identifier of identifiers) {
      try {
        workloads.push(resolveWorkload(ctx, dialect, identifier));
      } catch (error) {
        report(error);
      }
    }
    const unique = [...new Map(workloads.map((w) => [w.id, w])).values()];
    const outcomes = await Promise.allSettled(unique.map(together(unique)));
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') results.push(outcome.value);
      else report(outcome.reason);
    }
  } else {
    for (const identifier of identifiers) {
      try {
        results.push(await action(resolveWorkload(ctx, dialect, identifier)));
      } catch (error) {
        report(error);
      }
    }
  }
  if (failures.length > 0) throw new PartialFailure(failures);
  return results;
};
