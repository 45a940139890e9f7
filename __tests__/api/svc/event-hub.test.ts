/** One follower of the event log for every stream: started with the first listener, stopped with the last. */
import type { EventFollower } from '../../../src/engine/ports/store.js';
import type { WorkloadEvent } from '../../../src/core/events.js';
import { createEventHub } from '../../../src/api/svc/event-hub.js';

const event = (reason: string): WorkloadEvent => ({
  time: 1,
  workloadId: 'w',
  workloadName: 'web',
  instance: 1,
  containerId: null,
  exitCode: null,
  oomKilled: null,
  action: 'restart',
  reason,
  source: 'supervisor',
});

const fakeLog = () => {
  const followers: { onEvent: (e: WorkloadEvent) => void; stopped: boolean }[] = [];
  const follow = (onEvent: (e: WorkloadEvent) => void): EventFollower => {
    const follower = { onEvent, stopped: false };
    followers.push(follower);
    return { stop: () => (follower.stopped = true) };
  };
  const append = (e: WorkloadEvent) => followers.filter((f) => !f.stopped).forEach((f) => f.onEvent(e));
  return { follow, append, followers };
};

test('every listener gets each event; the log is followed once', () => {
  const log = fakeLog();
  const hub = createEventHub(log.follow);
  const seen: string[][] = [[], []];
  hub.subscribe((e) => seen[0].push(e.reason));
  hub.subscribe((e) => seen[1].push(e.reason));
  log.append(event('first'));
  expect(seen).toEqual([['first'], ['first']]);
  expect(log.followers).toHaveLength(1);
});

test('the follower stops with the last listener and starts again with the next', () => {
  const log = fakeLog();
  const hub = createEventHub(log.follow);
  const leave = [hub.subscribe(() => {}), hub.subscribe(() => {})];
  leave[0]();
  expect(log.followers[0].stopped).toBe(false);
  leave[1]();
  expect(log.followers[0].stopped).toBe(true);
  const seen: string[] = [];
  hub.subscribe((e) => seen.push(e.reason));
  log.append(event('later'));
  expect(log.followers).toHaveLength(2);
  expect(seen).toEqual(['later']);
});

test('closing the hub stops the follower and drops the listeners', () => {
  const log = fakeLog();
  const hub = createEventHub(log.follow);
  const seen: string[] = [];
  hub.subscribe((e) => seen.push(e.reason));
  hub.close();
  log.append(event('after close'));
  expect(log.followers[0].stopped).toBe(true);
  expect(seen).toEqual([]);
});
