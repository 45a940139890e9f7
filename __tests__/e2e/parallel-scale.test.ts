/**
 * Ten `svc service scale` processes on one service at once. Each is a user operation holding the
 * workload's operation lock, so they run one after another: the last one's count remains, and
 * every container in Docker is one the state tracks (before: untracked running containers, and an
 * instance pointing at a removed container).
 */
import {
  cleanupContainers,
  containersWithWorkloadLabel,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { ok } from './supervisor-helpers.js';

let home: string;
const made: string[] = [];

beforeAll(async () => {
  await requireDocker();
  home = makeStateDir();
});

afterAll(async () => {
  await cleanupContainers(made);
  removeStateDir(home);
});

interface StateFile {
  workloads: Record<
    string,
    { targetInstances: number; instances: { index: number; intent: string; containerId: string | null }[] }
  >;
}

test("parallel scales end in the last one's count with every container tracked", async () => {
  const name = uniqueName('par');
  const id = ok(await svc(['service', 'run', '-n', name, '-t', '2', TEST_IMAGE, 'sleep', '3600'], { home }));
  made.push(id);
  const targets = [5, 1, 4, 0, 6, 2, 3, 5, 1, 4];
  const results = await Promise.all(targets.map((n) => svc(['service', 'scale', id, String(n)], { home })));
  for (const result of results)
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });

  const events = JSON.parse(ok(await svc(['events', id, '--json'], { home }))) as { action: string; reason: string }[];
  const scales = events.filter((e) => e.action === 'scale');
  expect(scales).toHaveLength(targets.length);
  const last = Number(/to (\d+) by user/.exec(scales[scales.length - 1].reason)![1]);

  const { readFileSync } = await import('node:fs');
  const state = JSON.parse(readFileSync(`${home}/state.json`, 'utf8')) as StateFile;
  const workload = state.workloads[id];
  expect(workload.targetInstances).toBe(last);
  const live = workload.instances.filter((i) => i.intent !== 'removed');
  expect(live.map((i) => i.index)).toEqual(Array.from({ length: last }, (_, k) => k + 1));
  const tracked = live.map((i) => i.containerId).sort();
  expect(
    (await containersWithWorkloadLabel(id))
      .map((short) => tracked.find((full) => full?.startsWith(short)) ?? short)
      .sort(),
  ).toEqual(tracked);

  const ps = JSON.parse(ok(await svc(['service', 'ps', '--json'], { home }))) as { uuid: string; state: string }[];
  expect(ps.find((s) => s.uuid === id)?.state).toBe(last === 0 ? 'Stopped' : 'Running');
});
