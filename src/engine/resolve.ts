/** The user's identifier (full id, id prefix or name: SPEC §3) to a workload, with each dialect's words when none or several match. */
import { DIALECT_MESSAGES } from '../core/dialects/messages.js';
import { resolveIdentifier } from '../core/identifiers.js';
import type { Dialect, Workload } from '../core/workload.js';
import { notFoundError, UserError } from '../errors.js';

export const workloadNotFound = (dialect: Dialect, identifier: string, why: 'not-found' | 'ambiguous'): UserError =>
  notFoundError(
    why === 'ambiguous'
      ? DIALECT_MESSAGES[dialect].ambiguous(identifier)
      : DIALECT_MESSAGES[dialect].notFound(identifier),
  );

/** Among workloads of any backend (a backend's list). Terminated workloads still answer to their id; a live one wins a name or prefix. */
export const resolveAmong = (workloads: readonly Workload[], dialect: Dialect, identifier: string): Workload => {
  const candidates = workloads
    .filter((w) => w.dialect === dialect)
    .map((w) => ({ ...w, live: w.intent !== 'terminated' }));
  const found = resolveIdentifier(identifier, candidates);
  if (!found.ok) throw workloadNotFound(dialect, identifier, found.error);
  const { live: _live, ...workload } = found.item;
  return workload;
};

/** Operations other than terminate refuse a terminated service or destroyed machine, in its dialect's words. */
export const refuseGone = (workload: Workload): Workload => {
  if (workload.intent === 'terminated') {
    const { message, hint } = DIALECT_MESSAGES[workload.dialect].gone(workload);
    throw new UserError(message, { kind: 'conflict', hint });
  }
  return workload;
};
