/**
 * What counts as an svc state document. A file that is not one is refused, never taken as empty
 * and overwritten: `[]`, `null` or a workload that is `null` mean something went wrong, and
 * rewriting it would lose whatever can still be recovered from it.
 */
import { isObject } from './isObject.js';
import { canUpgradeFrom, type StoredDocument } from './migrate.js';
import { BACKENDS, STATE_SCHEMA_VERSION } from './workload.js';

/** A document that passes is of a schema version svc can upgrade (core/migrate.ts) to its own. */
/** `newer`: the document is from a newer svc, which this one must leave to it. */
export type ShapeCheck = { ok: true; document: StoredDocument } | { ok: false; problem: string; newer?: true };

const DIALECTS = new Set(['service', 'machine']);
const BACKEND_NAMES = new Set<string>(BACKENDS);
/** The schema version that gave every workload a backend. */
const BACKEND_SINCE = 2;

/** The first basic field a workload record of this schema version lacks, or null. Deeper fields are the engine's to trust. */
const workloadProblem = (key: string, record: unknown, schemaVersion: number): string | null => {
  if (!isObject(record))
    return `is ${record === null ? 'null' : Array.isArray(record) ? 'a list' : `a ${typeof record}`}, not an object`;
  if (record.id !== key) return `has id ${JSON.stringify(record.id)}, not its key`;
  if (typeof record.dialect !== 'string' || !DIALECTS.has(record.dialect))
    return `has no known dialect (${JSON.stringify(record.dialect)})`;
  if (schemaVersion >= BACKEND_SINCE && (typeof record.backend !== 'string' || !BACKEND_NAMES.has(record.backend))) {
    return `has no known backend (${JSON.stringify(record.backend)})`;
  }
  if (typeof record.name !== 'string') return 'has no name';
  if (!isObject(record.spec) || typeof record.spec.image !== 'string') return 'has no spec with an image';
  if (!isObject(record.policy)) return 'has no policy';
  if (!Array.isArray(record.instances)) return 'has no instances list';
  return null;
};

export const checkStateShape = (raw: unknown): ShapeCheck => {
  if (!isObject(raw) || typeof raw.schemaVersion !== 'number' || !isObject(raw.workloads)) {
    return { ok: false, problem: 'it is not an svc state document (an object with schemaVersion and workloads)' };
  }
  if (raw.schemaVersion > STATE_SCHEMA_VERSION) {
    return { ok: false, problem: `schema version ${raw.schemaVersion} was written by a newer svc`, newer: true };
  }
  if (!canUpgradeFrom(raw.schemaVersion))
    return { ok: false, problem: `schema version ${raw.schemaVersion} is not one svc has written` };
  for (const [key, record] of Object.entries(raw.workloads)) {
    const problem = workloadProblem(key, record, raw.schemaVersion);
    if (problem) return { ok: false, problem: `workload "${key}" ${problem}` };
  }
  return { ok: true, document: raw as unknown as StoredDocument };
};
