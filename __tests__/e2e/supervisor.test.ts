/**
 * The supervisor enforcing restart, replace and destroy policies on real containers (issue 3). Each
 * test has its own state dir and supervisor. A check that something did not happen waits first
 * for the sign that the supervisor had its chance to do it (the exit judged, a reconcile pass).
 */
import { docker, makeStateDir, removeStateDir, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import {
  containerId,
  containerRunning,
  inspectService,
  judgedExitKey,
  ok,
  reconciled,
  reconcileMarker,
  startSupervisor,
  stopSupervisor,
  supervisorEvents,
  supervisorLog,
  supervisorPid,
  useSupervisedStateDir,
} from './supervisor-helpers.js';
import { waitFor } from '../helpers/wait.js';

import { jest } from '@jest/globals';

jest.setTimeout(90_000);

const fixture = useSupervisedStateDir();

const run = async (name: string, flags: string[], command: string) => {
  const uuid = ok(
    await svc(['service', 'run', '--name', name, ...flags, TEST_IMAGE, 'sh', '-c', command], { home: fixture.home }),
  );
  fixture.made.push(uuid);
  return uuid;
};

test('ON_FAILURE restarts a crashing container at least twice within 10 s', async () => {
  const uuid = await run(uniqueName('crashy'), ['--autorestart', 'ON_FAILURE'], 'sleep 1; exit 1');
  // The restart count is charged once a restart is done; its event is written when it is decided,
  // so the count is what says the container really was started again.
  await waitFor('two restarts done', async () => (await inspectService(fixture.home, uuid)).restarts >= 2, 10_000);
  const restarts = (await supervisorEvents(fixture.home, uuid)).filter((e) => e.action === 'restart');
  expect(restarts.length).toBeGreaterThanOrEqual(2);
  expect(restarts[0].reason).toContain('exit code 1');
});

test('ON_FAILURE leaves a clean exit Stopped', async () => {
  const uuid = await run(uniqueName('clean'), ['--autorestart', 'ON_FAILURE'], 'sleep 1; exit 0');
  const events = await waitFor('the exit to be judged', async () => {
    const found = await supervisorEvents(fixture.home, uuid);
    return found.length > 0 && found;
  });
  expect(events.map((e) => e.action)).toEqual(['leave-stopped']);
  // A reconcile pass after the judgement does not judge the exit again.
  await reconciled(fixture.home, uuid);
  expect((await supervisorEvents(fixture.home, uuid)).map((e) => e.action)).toEqual(['leave-stopped']);
  const view = await inspectService(fixture.home, uuid);
  expect(view.state).toBe('Stopped');
  expect(view.restarts).toBe(0);
  expect(view.containers[0].exit_code).toBe(0);
});

test('ALWAYS restarts a container that exits 0', async () => {
  const uuid = await run(uniqueName('always'), ['--autorestart', 'ALWAYS'], 'sleep 1; exit 0');
  await waitFor(
    'a restart',
    async () => (await supervisorEvents(fixture.home, uuid)).some((e) => e.action === 'restart'),
    10_000,
  );
  await waitFor('Running again', async () => (await inspectService(fixture.home, uuid)).state === 'Running');
});

test('with --autoreplace ON_FAILURE the fourth failure inside a minute gives a new container with the same name', async () => {
  const name = uniqueName('replace');
  const uuid = await run(name, ['--autorestart', 'ON_FAILURE', '--autoreplace', 'ON_FAILURE'], 'sleep 1; exit 1');
  const firstId = await containerId(`${name}-1`);
  expect(firstId).not.toBeNull();
  const replacedId = await waitFor(
    'a replacement',
    async () => {
      const id = await containerId(`${name}-1`);
      return id !== null && id !== firstId && id;
    },
    20_000,
  );
  const actions = (await supervisorEvents(fixture.home, uuid)).map((e) => e.action);
  expect(actions.slice(0, 4)).toEqual(['restart', 'restart', 'restart', 'replace']);
  expect(replacedId).toMatch(/^[0-9a-f]{64}$/);
  expect((await docker(['ps', '-aq', '--filter', `id=${firstId}`])).stdout.trim()).toBe('');
});

test('autodestroy ON_SUCCESS removes the container after exit 0', async () => {
  const name = uniqueName('oneoff');
  const uuid = await run(name, ['--autodestroy', 'ON_SUCCESS'], 'sleep 1; exit 0');
  // The state is written once the container is gone, so Terminated means both are done.
  await waitFor(
    'the service to be Terminated',
    async () => (await inspectService(fixture.home, uuid)).state === 'Terminated',
  );
  expect(await containerId(`${name}-1`)).toBeNull();
  const events = await supervisorEvents(fixture.home, uuid);
  expect(events.map((e) => e.action)).toEqual(['destroy']);
});

test('service stop on an ALWAYS service is never fought', async () => {
  const name = uniqueName('stopme');
  const uuid = await run(name, ['--autorestart', 'ALWAYS'], 'trap "exit 0" TERM; sleep 600 & wait');
  await waitFor('Running', async () => containerRunning(`${name}-1`));
  const stopped = await containerId(`${name}-1`);
  ok(await svc(['service', 'stop', uuid], { home: fixture.home }));
  // The stop's exit is judged as the user's (no supervisor event: the user's own says it), then reconciled.
  await waitFor("the stop's exit judged", async () => judgedExitKey(fixture.home, uuid)?.startsWith(`${stopped}@`));
  await reconciled(fixture.home, uuid);
  expect(await containerRunning(`${name}-1`)).toBe(false);
  expect((await inspectService(fixture.home, uuid)).state).toBe('Stopped');
  expect((await supervisorEvents(fixture.home, uuid)).filter((e) => e.action === 'restart')).toHaveLength(0);
});

test('an exit while the supervisor is killed (SIGKILL) is restarted once it is back, exactly once', async () => {
  const name = uniqueName('orphan');
  // Crashes on its first run only: the container's own filesystem remembers that it ran.
  const uuid = await run(
    name,
    ['--autorestart', 'ON_FAILURE'],
    'if [ -f /ran ]; then sleep 600; else touch /ran; sleep 3; exit 1; fi',
  );
  const pid = await supervisorPid(fixture.home);
  expect(pid).not.toBeNull();
  process.kill(pid!, 'SIGKILL');
  await waitFor('the crash', async () => !(await containerRunning(`${name}-1`)), 10_000);
  await startSupervisor(fixture.home);
  await waitFor('Running again', async () => containerRunning(`${name}-1`), 15_000);
  // A second restart of the supervisor must not judge the same exit again: its first reconcile
  // (which would) removes a marker made while it was down.
  await stopSupervisor(fixture.home);
  const marker = await reconcileMarker(uuid);
  await startSupervisor(fixture.home);
  await marker.removed(fixture.home);
  const restarts = (await supervisorEvents(fixture.home, uuid)).filter((e) => e.action === 'restart');
  expect(restarts).toHaveLength(1);
  expect((await inspectService(fixture.home, uuid)).restarts).toBe(1);
});

test('a supervisor started before Docker is reachable waits for it instead of exiting', async () => {
  const home = makeStateDir();
  const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
  try {
    ok(await svc(['daemon', 'start'], { home, env }));
    // Three attempts logged: it outlived its first failures and keeps retrying.
    await waitFor(
      'a third attempt to reach Docker',
      async () => (supervisorLog(home).match(/Docker unreachable/g) ?? []).length >= 3,
    );
    const status = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })));
    expect(status.running).toBe(true);
    expect(supervisorLog(home)).toMatch(/Docker unreachable .*; retrying in 400 ms/);
  } finally {
    await svc(['daemon', 'stop'], { home });
    removeStateDir(home);
  }
});
