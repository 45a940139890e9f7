/** Only a missing state.json on first use is a new state; anything else that is not a state is refused, untouched. */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/adapters/store.js';
import { StateFileError, StateFileMissingError } from '../../src/errors.js';
import { stateWith, tempStateDir, workloadRecord } from '../helpers/store-fixtures.js';

let dir: string;
let stateFile: string;
beforeEach(() => {
  dir = tempStateDir();
  stateFile = path.join(dir, 'state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const addWorkload = (id: string) => (tx: { state: { workloads: Record<string, unknown> } }) => {
  tx.state.workloads[id] = workloadRecord(id);
};

const valid = workloadRecord('a');
const { id: _id, ...withoutId } = valid;

const refusedDocuments: [string, unknown, RegExp][] = [
  ['an array', [], /not an svc state document/],
  ['null', null, /not an svc state document/],
  ['a number', 42, /not an svc state document/],
  ['an empty object', {}, /not an svc state document/],
  ['workloads that are not an object', { schemaVersion: 1, workloads: [] }, /not an svc state document/],
  ['a workload that is null', { schemaVersion: 1, workloads: { a: null } }, /workload "a"/],
  ['a workload that is a string', { schemaVersion: 1, workloads: { a: 'x' } }, /workload "a"/],
  ['a workload without an id', { schemaVersion: 1, workloads: { a: withoutId } }, /workload "a".*id/],
  ['a workload whose id is not its key', { schemaVersion: 1, workloads: { b: valid } }, /workload "b".*id/],
  [
    'a workload with an unknown dialect',
    { schemaVersion: 1, workloads: { a: { ...valid, dialect: 'swarm' } } },
    /workload "a".*dialect/,
  ],
  ['a workload without a name', { schemaVersion: 1, workloads: { a: { ...valid, name: 7 } } }, /workload "a".*name/],
  [
    'a workload whose spec has no image',
    { schemaVersion: 1, workloads: { a: { ...valid, spec: {} } } },
    /workload "a".*image/,
  ],
  [
    'a workload without a policy',
    { schemaVersion: 1, workloads: { a: { ...valid, policy: null } } },
    /workload "a".*policy/,
  ],
  [
    'a workload whose instances are not a list',
    { schemaVersion: 1, workloads: { a: { ...valid, instances: {} } } },
    /workload "a".*instances/,
  ],
];

test.each(refusedDocuments)(
  '%s is refused with the file named, and never rewritten',
  async (_case, document, detail) => {
    const text = JSON.stringify(document);
    fs.writeFileSync(stateFile, text);
    const store = openStore(dir);
    expect(() => store.read()).toThrow(StateFileError);
    expect(() => store.read()).toThrow(stateFile);
    expect(() => store.read()).toThrow(detail);
    await expect(store.update(addWorkload('new'))).rejects.toThrow(StateFileError);
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(text);
  },
);

test('an empty file is refused, not taken as a new state', async () => {
  fs.writeFileSync(stateFile, '');
  await expect(openStore(dir).update(addWorkload('new'))).rejects.toThrow(StateFileError);
  expect(fs.readFileSync(stateFile, 'utf8')).toBe('');
});

test('a missing state.json on first use is a new, empty state', async () => {
  const store = openStore(dir);
  expect(store.read().workloads).toEqual({});
  await store.update(addWorkload('a'));
  expect(Object.keys(store.read().workloads)).toEqual(['a']);
});

test('a valid state is read and kept', async () => {
  fs.writeFileSync(stateFile, JSON.stringify(stateWith([workloadRecord('a')])));
  const store = openStore(dir);
  await store.update(addWorkload('b'));
  expect(Object.keys(store.read().workloads).sort()).toEqual(['a', 'b']);
});

test('a state.json deleted after use is not re-created empty: a distinct error says how to recover', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  fs.rmSync(stateFile);
  for (const attempt of [() => store.read(), () => openStore(dir).read()]) {
    expect(attempt).toThrow(StateFileMissingError);
    expect(attempt).toThrow(stateFile);
  }
  const error = await openStore(dir)
    .update(addWorkload('b'))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(StateFileMissingError);
  expect(error).toBeInstanceOf(StateFileError);
  expect((error as StateFileMissingError).hint).toMatch(/restore/i);
  expect(fs.existsSync(stateFile)).toBe(false);
});

test('removing the marker as the hint says starts afresh', async () => {
  const store = openStore(dir);
  await store.update(addWorkload('a'));
  fs.rmSync(stateFile);
  const error = (await store.update(addWorkload('b')).catch((e: unknown) => e)) as StateFileMissingError;
  const marker = error.hint?.match(/remove (\S+)/)?.[1];
  expect(marker).toBeDefined();
  fs.rmSync(marker!);
  await store.update(addWorkload('b'));
  expect(Object.keys(store.read().workloads)).toEqual(['b']);
});
