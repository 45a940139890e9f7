/**
 * Exit 4 means nothing changed: every operation asks Docker whether it is there before it records
 * the user's intent (before: scale, stop, start, redeploy, terminate and m start|stop|restart wrote
 * the change, then failed; a failed scale took effect at the next start).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupContainers,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { ok } from './supervisor-helpers.js';

const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/svc-test-docker.sock' };
let home: string;
const made: string[] = [];

beforeAll(async () => {
  await requireDocker();
  home = makeStateDir();
  const service = ok(await svc(['service', 'run', '-n', uniqueName('unreach'), TEST_IMAGE, 'sleep', '3600'], { home }));
  const machine = ok(await svc(['m', 'run', '-a', uniqueName('unreach'), TEST_IMAGE, 'sleep', '3600'], { home }));
  made.push(service, machine);
});

afterAll(async () => {
  await cleanupContainers(made);
  removeStateDir(home);
});

const stateBytes = () => fs.readFileSync(path.join(home, 'state.json'));
const eventBytes = () => fs.readFileSync(path.join(home, 'events.jsonl'));

test.each([
  ['service scale', (s: string) => ['service', 'scale', s, '3']],
  ['service stop', (s: string) => ['service', 'stop', s]],
  ['service start', (s: string) => ['service', 'start', s]],
  ['service redeploy', (s: string) => ['service', 'redeploy', s]],
  ['service terminate', (s: string) => ['service', 'terminate', s]],
])('%s with Docker unreachable exits 4 and changes nothing', async (_, args) => {
  const [before, events] = [stateBytes(), eventBytes()];
  const result = await svc(args(made[0]), { home, env: NO_DOCKER });
  expect(result.exitCode).toBe(4);
  expect(result.stderr).toMatch(/Cannot connect to the Docker engine/);
  expect(stateBytes().equals(before)).toBe(true);
  expect(eventBytes().equals(events)).toBe(true);
});

test.each(['start', 'stop', 'restart'])('m %s with Docker unreachable exits 4 and changes nothing', async (verb) => {
  const [before, events] = [stateBytes(), eventBytes()];
  const result = await svc(['m', verb, made[1]], { home, env: NO_DOCKER });
  expect(result.exitCode).toBe(4);
  expect(stateBytes().equals(before)).toBe(true);
  expect(eventBytes().equals(events)).toBe(true);
});
