/**
 * The routing backend answers for both: a caller asks for a workload's history or logs without
 * knowing its backend, and each backend is asked only about its own workloads (the swarm not at all
 * while this state dir uses none, as it may not be a manager).
 */
import type { WorkloadEvent } from '../../src/core/events.js';
import type { Workload } from '../../src/core/workload.js';
import type { LogSink, WorkloadBackend } from '../../src/engine/backend.js';
import { createRoutingBackend } from '../../src/engine/routing-backend.js';

const event = (workloadId: string): WorkloadEvent => ({
  time: 1,
  workloadId,
  workloadName: workloadId,
  instance: 1,
  containerId: null,
  exitCode: 3,
  oomKilled: null,
  action: 'exit',
  reason: 'task 1 on node1: failed',
  source: 'swarm',
});

/** A backend that answers history with one event per id it is asked about, and records what it was asked. */
const fakeBackend = (name: 'local' | 'swarm') => {
  const asked: string[][] = [];
  const streamed: string[] = [];
  const backend = {
    name,
    history: async (ids: readonly string[]) => {
      asked.push([...ids]);
      return name === 'swarm' ? ids.map(event) : [];
    },
    streamLogs: (workload: Workload) => {
      streamed.push(workload.id);
      return { done: Promise.resolve(), stop: () => {} };
    },
  } as unknown as WorkloadBackend;
  return { backend, asked, streamed };
};

const routing = (swarmInUse: boolean) => {
  const local = fakeBackend('local');
  const swarm = fakeBackend('swarm');
  const stateReads = { count: 0 };
  const backend = createRoutingBackend(local.backend, swarm.backend, {
    defaultBackend: 'local',
    swarmInUse: () => swarmInUse,
    localIds: () => {
      stateReads.count += 1;
      return { has: (id: string) => id.startsWith('local-') } as ReadonlySet<string>;
    },
    warn: () => {},
  });
  return { backend, local, swarm, stateReads };
};

test("history: each backend is asked about its own workloads, and the swarm's events come back", async () => {
  const { backend, local, swarm } = routing(true);
  expect(await backend.history(['local-a', 'swarm-b'])).toEqual([event('swarm-b')]);
  expect(local.asked).toEqual([['local-a']]);
  expect(swarm.asked).toEqual([['swarm-b']]);
});

test('history: with no swarm in use, the swarm is never asked', async () => {
  const { backend, swarm } = routing(false);
  expect(await backend.history(['local-a', 'gone-c'])).toEqual([]);
  expect(swarm.asked).toEqual([]);
});

test("logs: a workload's output comes from the backend that holds it", async () => {
  const { backend, local, swarm } = routing(true);
  const sink: LogSink = { line: () => {}, problem: () => {} };
  await backend.streamLogs({ id: 'local-a', backend: 'local' } as Workload, { follow: false, tail: null }, sink).done;
  await backend.streamLogs({ id: 'swarm-b', backend: 'swarm' } as Workload, { follow: false, tail: null }, sink).done;
  expect(local.streamed).toEqual(['local-a']);
  expect(swarm.streamed).toEqual(['swarm-b']);
});

test('history sorts any number of ids with one read of the local state', async () => {
  const { backend, local, swarm, stateReads } = routing(true);
  const ids = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? `local-${i}` : `swarm-${i}`));
  await backend.history(ids);
  expect(stateReads.count).toBe(1);
  expect(local.asked).toEqual([ids.filter((id) => id.startsWith('local-'))]);
  expect(swarm.asked).toEqual([ids.filter((id) => id.startsWith('swarm-'))]);
});
