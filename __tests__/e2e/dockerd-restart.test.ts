/**
 * When the Docker daemon restarts, only ALWAYS instances are started again (SPEC §2). This test
 * stops and starts the real dockerd, so it needs root; scripts/test-all.sh runs it alone, after every other test.
 */
import { jest } from '@jest/globals';
import { execa } from 'execa';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker, svc, TEST_IMAGE, uniqueName } from '../helpers/svc.js';
import {
  containerRunning,
  inspectService,
  ok,
  reconciled,
  supervisorEvents,
  useSupervisedStateDir,
} from './supervisor-helpers.js';
import { waitFor } from '../helpers/wait.js';

// A restarted dockerd first removes the network sandbox every container removed since its last start
// left behind (Docker 20.10 started with --bridge=none keeps one per container on the default
// network), about 0.2 s each: after a whole test run, hundreds of them, a minute or more.
jest.setTimeout(600_000);

const SETUP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'setup-docker.sh');

const fixture = useSupervisedStateDir();

const dockerdRunning = async () => (await execa('pgrep', ['-x', 'dockerd'], { reject: false })).exitCode === 0;

test('after a dockerd restart the ALWAYS service runs again and the ON_FAILURE one stays Stopped', async () => {
  // Both exit 143 when dockerd stops them: a failure that ON_FAILURE would restart after a crash.
  const command = 'trap "exit 143" TERM; sleep 600 & wait';
  const alwaysName = uniqueName('daemon-always');
  const onFailureName = uniqueName('daemon-onfail');
  const always = ok(
    await svc(['service', 'run', '--name', alwaysName, '--autorestart', 'ALWAYS', TEST_IMAGE, 'sh', '-c', command], {
      home: fixture.home,
    }),
  );
  const onFailure = ok(
    await svc(
      ['service', 'run', '--name', onFailureName, '--autorestart', 'ON_FAILURE', TEST_IMAGE, 'sh', '-c', command],
      { home: fixture.home },
    ),
  );
  fixture.made.push(always, onFailure);
  await waitFor(
    'both running',
    async () => (await containerRunning(`${alwaysName}-1`)) && (await containerRunning(`${onFailureName}-1`)),
  );

  await execa('pkill', ['-TERM', '-x', 'dockerd']);
  await waitFor('dockerd to exit', async () => !(await dockerdRunning()), 60_000);
  await execa('bash', [SETUP], { stdio: 'inherit' });
  expect((await docker(['info', '--format', '{{.ServerVersion}}'])).exitCode).toBe(0);

  await waitFor('the ALWAYS service to run again', async () => containerRunning(`${alwaysName}-1`), 60_000);
  // The exit may be judged live while dockerd shuts down (a restart decided, then cancelled once the
  // daemon is known to have restarted) or after it is back: either way the last word is this.
  await waitFor(
    "the ON_FAILURE exit judged as the daemon's",
    async () => {
      const judged = await supervisorEvents(fixture.home, onFailure);
      const last = judged[judged.length - 1];
      return last?.action === 'leave-stopped' && last.reason.includes('daemon restarted');
    },
    30_000,
  );
  // And a reconcile pass after it does not judge it again.
  await reconciled(fixture.home, onFailure);
  expect(await containerRunning(`${onFailureName}-1`)).toBe(false);
  const stayed = await inspectService(fixture.home, onFailure);
  expect(stayed.state).toBe('Stopped');
  expect(stayed.restarts).toBe(0);
  expect((await supervisorEvents(fixture.home, onFailure)).at(-1)).toMatchObject({ action: 'leave-stopped' });
  expect((await inspectService(fixture.home, always)).restarts).toBe(1);
});
