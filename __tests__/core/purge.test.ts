/** Terminated workloads are kept for a day, and never more than the 50 most recently destroyed. */
import { purgeTerminated, TERMINATED_KEPT_COUNT, TERMINATED_KEPT_MS } from '../../src/core/purge.js';
import type { Workload } from '../../src/core/workload.js';
import { stateWith, workloadRecord } from '../helpers/store-fixtures.js';

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

const terminated = (id: string, destroyedAgoMs: number | null, over: Partial<Workload> = {}) =>
  workloadRecord(id, {
    intent: 'terminated',
    destroyedAt: destroyedAgoMs === null ? null : NOW - destroyedAgoMs,
    ...over,
  });
const live = (id: string, intent: Workload['intent'] = 'running') => workloadRecord(id, { intent });

const kept = (workloads: Workload[]) => Object.keys(purgeTerminated(stateWith(workloads), NOW).workloads).sort();

test('the limits are a day and 50 workloads', () => {
  expect(TERMINATED_KEPT_MS).toBe(24 * HOUR);
  expect(TERMINATED_KEPT_COUNT).toBe(50);
});

test.each<[string, Workload[], string[]]>([
  ['nothing terminated: all kept', [live('a'), live('b', 'stopped'), live('c', 'not-started')], ['a', 'b', 'c']],
  ['terminated an hour ago: kept', [terminated('t', HOUR)], ['t']],
  ['terminated exactly 24 h ago: kept', [terminated('t', 24 * HOUR)], ['t']],
  ['terminated 24 h and 1 ms ago: dropped', [terminated('t', 24 * HOUR + 1)], []],
  [
    'terminated a week ago next to a live one: only the live one kept',
    [terminated('t', 7 * 24 * HOUR), live('a')],
    ['a'],
  ],
  [
    'a stopped workload destroyedAt long ago is not terminated: kept',
    [live('s', 'stopped'), terminated('t', 48 * HOUR, { intent: 'stopped' })],
    ['s', 't'],
  ],
  [
    'terminating (no destroyedAt yet): kept however many',
    [terminated('t', null, { operation: { kind: 'Terminating', since: NOW - 48 * HOUR } })],
    ['t'],
  ],
  [
    'destroyed long ago but its terminate still running: kept',
    [terminated('t', 48 * HOUR, { operation: { kind: 'Terminating', since: NOW } })],
    ['t'],
  ],
])('%s', (_case, workloads, expected) => {
  expect(kept(workloads)).toEqual(expected);
});

test('of 60 recently terminated workloads the 50 most recently destroyed are kept; live ones all stay', () => {
  const old = Array.from({ length: 60 }, (_, i) => terminated(`t${String(i).padStart(2, '0')}`, (i + 1) * 60_000));
  const alive = Array.from({ length: 70 }, (_, i) => live(`l${i}`));
  const result = kept([...old, ...alive]);
  expect(result.filter((id) => id.startsWith('t'))).toEqual(
    old
      .slice(0, 50)
      .map((w) => w.id)
      .sort(),
  );
  expect(result.filter((id) => id.startsWith('l'))).toHaveLength(70);
});

test('the input state is not changed', () => {
  const state = stateWith([terminated('t', 48 * HOUR)]);
  purgeTerminated(state, NOW);
  expect(Object.keys(state.workloads)).toEqual(['t']);
});
