/** core/migrate and the shape check of each schema version: what an older document becomes, and what is refused. */
import { canUpgradeFrom, OLDEST_SCHEMA_VERSION, upgradeState, type StoredDocument } from '../../src/core/migrate.js';
import { checkStateShape } from '../../src/core/stateShape.js';
import { STATE_SCHEMA_VERSION } from '../../src/core/workload.js';
import { workloadRecord } from '../helpers/store-fixtures.js';

/** A workload as schema 1 stored it: no backend. */
const schema1Workload = (id: string) => {
  const { backend: _backend, ...record } = workloadRecord(id);
  return record;
};

const schema1 = (): StoredDocument => ({
  schemaVersion: 1,
  workloads: { a: schema1Workload('a'), b: schema1Workload('b') },
});

test('a schema 1 document becomes current: every workload gains backend local, and nothing else changes', () => {
  const old = schema1();
  const upgraded = upgradeState(old);
  expect(upgraded.schemaVersion).toBe(STATE_SCHEMA_VERSION);
  expect(Object.keys(upgraded.workloads)).toEqual(['a', 'b']);
  for (const [id, workload] of Object.entries(upgraded.workloads)) {
    expect(workload).toEqual({ ...old.workloads[id], backend: 'local' });
  }
});

test('the upgrade leaves the document it was given as it was', () => {
  const old = schema1();
  const before = structuredClone(old);
  upgradeState(old);
  expect(old).toEqual(before);
});

test('a current document comes back unchanged', () => {
  const current: StoredDocument = { schemaVersion: STATE_SCHEMA_VERSION, workloads: { a: { ...workloadRecord('a') } } };
  expect(upgradeState(structuredClone(current))).toEqual(current);
});

test('every version from the oldest svc reads to the current one has an upgrade path', () => {
  for (let version = OLDEST_SCHEMA_VERSION; version <= STATE_SCHEMA_VERSION; version++) {
    const document: StoredDocument = { schemaVersion: version, workloads: {} };
    expect(upgradeState(document).schemaVersion).toBe(STATE_SCHEMA_VERSION);
  }
});

test.each([0, -1, 1.5, STATE_SCHEMA_VERSION + 1, Number.NaN])('schema version %p has no upgrade', (version) => {
  expect(canUpgradeFrom(version)).toBe(false);
  expect(() => upgradeState({ schemaVersion: version, workloads: {} })).toThrow(/schema version/);
});

const shapeProblem = (document: unknown) => {
  const check = checkStateShape(document);
  return check.ok ? null : check.problem;
};

test.each<[string, unknown, RegExp | null]>([
  ['a schema 1 workload without a backend', { schemaVersion: 1, workloads: { a: schema1Workload('a') } }, null],
  [
    'a current workload on the local backend',
    { schemaVersion: STATE_SCHEMA_VERSION, workloads: { a: workloadRecord('a') } },
    null,
  ],
  [
    'a current workload without a backend',
    { schemaVersion: STATE_SCHEMA_VERSION, workloads: { a: schema1Workload('a') } },
    /workload "a" has no known backend \(undefined\)/,
  ],
  [
    'a current workload on an unknown backend',
    { schemaVersion: STATE_SCHEMA_VERSION, workloads: { a: { ...workloadRecord('a'), backend: 'k8s' } } },
    /workload "a" has no known backend \("k8s"\)/,
  ],
  ['schema version 0', { schemaVersion: 0, workloads: {} }, /schema version 0 is not one svc has written/],
  [
    'a fractional schema version',
    { schemaVersion: 1.5, workloads: {} },
    /schema version 1.5 is not one svc has written/,
  ],
  ["a newer svc's document", { schemaVersion: STATE_SCHEMA_VERSION + 1, workloads: {} }, /written by a newer svc/],
])('shape check: %s', (_case, document, problem) => {
  if (problem === null) expect(shapeProblem(document)).toBeNull();
  else expect(shapeProblem(document)).toMatch(problem);
});
