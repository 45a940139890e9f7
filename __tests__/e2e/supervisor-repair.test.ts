/**
 * The supervisor repairs what happened behind svc's back: a container removed with `docker rm -f`,
 * a labelled container the state lost, a stray one no instance wants, and a state file that
 * disappeared (it says so and waits, never re-creating it empty).
 */
import fs from 'node:fs';
import path from 'node:path';
import { docker, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import {
  containerId,
  containerRunning,
  inspectService,
  ok,
  startSupervisor,
  stopSupervisor,
  useSupervisedStateDir,
} from './supervisor-helpers.js';

const fixture = useSupervisedStateDir();

const runService = async (prefix: string, args: string[]) => {
  const name = uniqueName(prefix);
  const id = ok(
    await svc(['service', 'run', '-n', name, ...args, TEST_IMAGE, 'sleep', '3600'], { home: fixture.home }),
  );
  fixture.made.push(id);
  await waitFor(`${name}-1 running`, () => containerRunning(`${name}-1`));
  return { name, id };
};

const labelledContainer = async (workloadId: string, index: number, name: string) =>
  ok(
    await docker([
      'run',
      '-d',
      `--name=${name}`,
      '--label=io.svc.managed=true',
      `--label=io.svc.workload=${workloadId}`,
      `--label=io.svc.instance=${index}`,
      '--label=io.svc.dialect=service',
      '--',
      TEST_IMAGE,
      'sleep',
      '3600',
    ]),
  );

test('an ALWAYS container removed with docker rm -f comes back, counted as one restart', async () => {
  const { name, id } = await runService('rep-rm', ['--autorestart', 'ALWAYS']);
  const before = await containerId(`${name}-1`);
  ok(await docker(['rm', '-f', `${name}-1`]));
  const after = await waitFor('a fresh container running', async () => {
    const current = await containerId(`${name}-1`);
    return current && current !== before && (await containerRunning(current)) && current;
  });
  const service = await waitFor('the restart charged', async () => {
    const view = await inspectService(fixture.home, id);
    return view.restarts > 0 && view;
  });
  expect(service.restarts).toBe(1);
  expect(service.containers.map((c) => [c.uuid, c.state])).toEqual([[after, 'Running']]);
});

test('a stray labelled container no instance wants is removed', async () => {
  const { name, id } = await runService('rep-stray', ['--autorestart', 'ALWAYS']);
  const stray = await labelledContainer(id, 2, `${name}-stray`);
  await waitFor('the stray container removed', async () => (await docker(['inspect', stray])).exitCode !== 0);
  expect(await containerRunning(`${name}-1`)).toBe(true);
});

test('a labelled container made while the supervisor was down, for an instance whose container is gone, is adopted', async () => {
  const { name, id } = await runService('rep-adopt', ['--autorestart', 'ALWAYS']);
  await stopSupervisor(fixture.home);
  try {
    ok(await docker(['rm', '-f', `${name}-1`]));
    const removedAt = Date.now();
    const orphan = await labelledContainer(id, 1, `${name}-1`);
    // A supervisor replays the daemon's events from the whole second before the one it connects in
    // (supervisor/loop.ts); once that start is past the rm, its die event is not replayed and only
    // the reconcile can find what changed.
    await waitFor(
      'the replay window to start after the rm',
      async () => Math.floor(Date.now() / 1000) - 1 > removedAt / 1000,
    );
    await startSupervisor(fixture.home);
    const adopted = await waitFor('the orphan adopted', async () => {
      const view = await inspectService(fixture.home, id);
      return view.containers[0]?.uuid === orphan && view;
    });
    expect(adopted.restarts).toBe(0);
    expect(await containerRunning(orphan)).toBe(true);
  } finally {
    await startSupervisor(fixture.home);
  }
});

test('a supervisor whose state file disappears says so, re-creates nothing, and acts again once it is back', async () => {
  const name = uniqueName('rep-gone');
  const id = ok(
    await svc(['service', 'run', '-n', name, '--autorestart', 'ALWAYS', TEST_IMAGE, 'sh', '-c', 'sleep 1; exit 1'], {
      home: fixture.home,
    }),
  );
  fixture.made.push(id);
  const stateFile = path.join(fixture.home, 'state.json');
  const logFile = path.join(fixture.home, 'supervisor.log');
  await waitFor('a first restart', async () => (await inspectService(fixture.home, id)).restarts >= 1);
  const saved = fs.readFileSync(stateFile);
  fs.rmSync(stateFile);
  await waitFor('the log to say the state file disappeared', async () =>
    /state\.json cannot be read: it has disappeared.*not acting/.test(fs.readFileSync(logFile, 'utf8')),
  );
  // The container exits every second; each exit found the state gone and changed nothing.
  await waitFor(
    'another exit while the state is gone',
    async () => (await docker(['inspect', '--format', '{{.State.Running}}', `${name}-1`])).stdout.trim() === 'false',
  );
  expect(fs.existsSync(stateFile)).toBe(false);
  fs.writeFileSync(stateFile, saved, { mode: 0o600 });
  await waitFor(
    'the log to say it acts again',
    async () => /state file can be read again/.test(fs.readFileSync(logFile, 'utf8')),
    20_000,
  );
  await waitFor('the crashed container restarted again', () => containerRunning(`${name}-1`), 20_000);
});
