/** A supervisor belongs to its state dir: a `cp -a` copy of the dir, pid file and all, does not share it. */
import { execFileSync } from 'node:child_process';
import { ok, supervisorPid } from './supervisor-helpers.js';
import { makeStateDir, removeStateDir, requireDocker, svc } from '../helpers/svc.js';
import { processAlive } from '../helpers/process.js';

let original: string;
let copy: string;
beforeAll(async () => {
  await requireDocker();
  original = makeStateDir();
  copy = `${original}-copy`;
});
afterAll(async () => {
  await svc(['daemon', 'stop'], { home: copy });
  await svc(['daemon', 'stop'], { home: original });
  removeStateDir(original);
  removeStateDir(copy);
});

test("status and stop in a copied state dir leave the original's supervisor alone", async () => {
  ok(await svc(['daemon', 'start'], { home: original }));
  const originalPid = await supervisorPid(original);
  expect(originalPid).toEqual(expect.any(Number));
  execFileSync('cp', ['-a', original, copy]);

  const status = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home: copy })));
  expect(status).toMatchObject({ running: false, pid: null });
  const stop = await svc(['daemon', 'stop'], { home: copy });
  expect(stop.exitCode).toBe(0);
  expect(stop.stderr).toMatch(/was not running/);
  expect(processAlive(originalPid!)).toBe(true);
  expect(await supervisorPid(original)).toBe(originalPid);

  // The copy can have a supervisor of its own, and stopping it still leaves the original's.
  ok(await svc(['daemon', 'start'], { home: copy }));
  const copyPid = await supervisorPid(copy);
  expect(copyPid).toEqual(expect.any(Number));
  expect(copyPid).not.toBe(originalPid);
  ok(await svc(['daemon', 'stop'], { home: copy }));
  expect(processAlive(originalPid!)).toBe(true);

  ok(await svc(['daemon', 'stop'], { home: original }));
  expect(await supervisorPid(original)).toBeNull();
});
