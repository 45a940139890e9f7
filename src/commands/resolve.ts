/**
 * The command line's rule for several identifiers (SPEC §3): do all you can. Each failure is
 * written to stderr as it happens and the rest still run; then a PartialFailure carrying them all
 * is raised, whose worst kind sets the exit code (3 when an identifier was not found). Docker
 * unreachable and bugs end the command at once.
 */
import type { Context } from '../context.js';
import { PartialFailure, UserError } from '../errors.js';
import { escapeControlsInLines } from '../render/escape.js';

const collectFailure = (ctx: Context, failures: UserError[]) => (error: unknown) => {
  if (!(error instanceof UserError) || error.kind === 'engine-unreachable') throw error;
  ctx.io.stderr.write(`${escapeControlsInLines(error.message)}\n`);
  failures.push(error);
};

/** One identifier after the other. */
export const forEachIdentifier = async <T>(
  ctx: Context,
  identifiers: readonly string[],
  act: (identifier: string) => Promise<T>,
): Promise<T[]> => {
  const failures: UserError[] = [];
  const report = collectFailure(ctx, failures);
  const results: T[] = [];
  for (const identifier of identifiers) {
    try {
      results.push(await act(identifier));
    } catch (error) {
      report(error);
    }
  }
  if (failures.length > 0) throw new PartialFailure(failures);
  return results;
};

/**
 * Outcomes already under way together (a stop of twenty services). They are reported once all have
 * settled, in the order of the identifiers, so a script reads the same order every time; two
 * identifiers of one workload share an outcome (the same workload, or the same failure), which is
 * reported once.
 */
export const settleEach = async <T extends { id: string }>(
  ctx: Context,
  outcomes: readonly Promise<T>[],
  onDone: (value: T) => void,
): Promise<void> => {
  const failures: UserError[] = [];
  const report = collectFailure(ctx, failures);
  const settled = await Promise.allSettled(outcomes);
  const seen = new Set<unknown>();
  for (const result of settled) {
    const key = result.status === 'fulfilled' ? result.value.id : result.reason;
    if (seen.has(key)) continue;
    seen.add(key);
    if (result.status === 'fulfilled') onDone(result.value);
    else report(result.reason);
  }
  if (failures.length > 0) throw new PartialFailure(failures);
};
