/** The event log's compaction and the parsing of `docker ps`'s joined label list. */
import { compactEvents, EVENTS_KEPT_PER_INSTANCE, type WorkloadEvent } from '../../src/core/events.js';
import { parseLabelList } from '../../src/core/labels.js';

/** An event named `w<workload>#<instance>@<time>`, so a table can say which ones are kept. */
const event = (workloadId: string, instance: number | null, time: number): WorkloadEvent => ({
  time,
  workloadId,
  workloadName: `name-${workloadId}`,
  instance,
  containerId: null,
  exitCode: null,
  oomKilled: null,
  action: 'restart',
  reason: 'test',
  source: 'supervisor',
});
const label = (e: WorkloadEvent) => `${e.workloadId}#${e.instance ?? '-'}@${e.time}`;

describe('compactEvents', () => {
  test.each<[string, WorkloadEvent[], number, string[]]>([
    ['nothing', [], 2, []],
    ['fewer than kept: all, in order', [event('a', 1, 1), event('a', 1, 2)], 2, ['a#1@1', 'a#1@2']],
    ['more than kept: the newest', [event('a', 1, 1), event('a', 1, 2), event('a', 1, 3)], 2, ['a#1@2', 'a#1@3']],
    [
      'each instance keeps its own newest, in log order',
      [event('a', 1, 1), event('a', 2, 2), event('a', 1, 3), event('a', 1, 4), event('a', 2, 5)],
      2,
      ['a#2@2', 'a#1@3', 'a#1@4', 'a#2@5'],
    ],
    [
      'the same instance number in two workloads is two instances',
      [event('a', 1, 1), event('b', 1, 2), event('a', 1, 3), event('b', 1, 4)],
      1,
      ['a#1@3', 'b#1@4'],
    ],
    [
      'events of a whole workload (no instance) are kept as one more instance',
      [event('a', null, 1), event('a', 1, 2), event('a', null, 3), event('a', 1, 4)],
      1,
      ['a#-@3', 'a#1@4'],
    ],
    ['log order wins over the time field (appends are in order)', [event('a', 1, 9), event('a', 1, 5)], 1, ['a#1@5']],
    ['keep 0 keeps nothing', [event('a', 1, 1)], 0, []],
  ])('%s', (_what, events, keep, kept) => {
    expect(compactEvents(events, keep).map(label)).toEqual(kept);
  });

  test(`keeps ${EVENTS_KEPT_PER_INSTANCE} per instance by default`, () => {
    const events = Array.from({ length: EVENTS_KEPT_PER_INSTANCE + 3 }, (_, i) => event('a', 1, i));
    const kept = compactEvents(events);
    expect(kept).toHaveLength(EVENTS_KEPT_PER_INSTANCE);
    expect(kept[0].time).toBe(3);
    expect(kept[kept.length - 1].time).toBe(EVENTS_KEPT_PER_INSTANCE + 2);
  });

  test('leaves its input alone', () => {
    const events = [event('a', 1, 1), event('a', 1, 2)];
    compactEvents(events, 1);
    expect(events.map(label)).toEqual(['a#1@1', 'a#1@2']);
  });
});

describe('parseLabelList', () => {
  test.each<[string, string, Record<string, string>]>([
    ['no labels', '', {}],
    ['one label', 'io.svc.managed=true', { 'io.svc.managed': 'true' }],
    [
      "svc's own labels as docker ps joins them",
      'io.svc.dialect=service,io.svc.instance=2,io.svc.managed=true,io.svc.workload=0b6c',
      { 'io.svc.dialect': 'service', 'io.svc.instance': '2', 'io.svc.managed': 'true', 'io.svc.workload': '0b6c' },
    ],
    ['an empty value', 'a=,b=1', { a: '', b: '1' }],
    ['an = inside the value stays in the value', 'a=x=y', { a: 'x=y' }],
    ['a part without = is skipped', 'a=1,oops,b=2', { a: '1', b: '2' }],
    ['a part with an empty key is skipped', '=1,b=2', { b: '2' }],
    ['the last of a repeated key wins', 'a=1,a=2', { a: '2' }],
  ])('%s', (_what, joined, labels) => {
    expect(parseLabelList(joined)).toEqual(labels);
  });
});
