/**
 * What counts as an svc state document. A file that is not one is refused, never taken as empty
 * and overwritten: `[]`, `null` or a workload that is `null` mean something went wrong, and
 * rewriting it would lose whatever can still be recovered from it.
 */
import { STATE_SCHEMA_VERSION, type StateDocument } from './workload.js';

export type ShapeCheck = { ok: true; state: StateDocument } | { ok: false; problem: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const DIALECTS = new Set(['service', 'machine']);

/** The first basic field a workload record lacks, or null. Deeper fields are the engine's to trust. */
const workloadProblem = (key: string, record: unknown): string | null => {
  if (!isObject(record)) return `is ${record === null ? 'null' : Array.isArray(record) ? 'a list' : `a ${typeof record}`}, not an object`;
  if (record.id !== key) return `has id ${JSON.stringify(record.id)}, not its key`;
  if (typeof record.dialect !== 'string' || !DIALECTS.has(record.dialect)) return `has no known dialect (${JSON.stringify(record.dialect)})`;
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
    return { ok: false, problem: `schema version ${raw.schemaVersion} was written by a newer svc` };
  }
  for (const [key, record] of Object.entries(raw.workloads)) {
    const problem = workloadProblem(key, record);
    if (problem) return { ok: false, problem: `workload "${key}" ${problem}` };
  }
  return { ok: true, state: raw as unknown as StateDocument };
};
