/** Helpers for tests that run a real supervisor against real containers. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import {
  cleanupContainers,
  docker,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  TEST_IMAGE,
  uniqueName,
  type RunResult,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';

export const ok = (result: RunResult): string => {
  if (result.exitCode !== 0) throw new Error(`svc failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout.trim();
};

export interface ServiceView {
  uuid: string;
  state: string;
  restarts: number;
  containers: { uuid: string; name: string; state: string; exit_code: number | null; restarts: number }[];
  events: { action: string; reason: string; source: string; exitCode: number | null }[];
}

export const inspectService = async (home: string, id: string): Promise<ServiceView> =>
  JSON.parse(ok(await svc(['service', 'inspect', id], { home })));

export const supervisorEvents = async (home: string, id: string) =>
  (
    JSON.parse(ok(await svc(['events', id, '--json'], { home }))) as {
      action: string;
      reason: string;
      source: string;
    }[]
  ).filter((e) => e.source === 'supervisor');

export const containerRunning = async (nameOrId: string): Promise<boolean> => {
  const result = await docker(['inspect', '--format', '{{.State.Running}}', nameOrId]);
  return result.stdout.trim() === 'true';
};

export const containerId = async (name: string): Promise<string | null> => {
  const result = await docker(['inspect', '--format', '{{.Id}}', name]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
};

export const startSupervisor = async (home: string) =>
  ok(await svc(['daemon', 'start'], { home, env: { SVC_RECONCILE_MS: '2000' } }));
export const stopSupervisor = async (home: string) => ok(await svc(['daemon', 'stop'], { home }));

export const supervisorPid = async (home: string): Promise<number | null> => {
  const status = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })));
  return status.pid;
};

/**
 * Registers the hooks for a test file whose tests each run their own supervisor in their own state
 * dir (reconciling every 2 s). Workload ids pushed to `made` have their containers removed after
 * the test, once its supervisor is stopped: no crash loop outlives its test or reaches the next.
 */
export const useSupervisedStateDir = () => {
  const fixture = { home: '', made: [] as string[] };
  beforeAll(requireDocker);
  beforeEach(async () => {
    fixture.home = makeStateDir();
    await startSupervisor(fixture.home);
  });
  afterEach(async () => {
    await svc(['daemon', 'stop'], { home: fixture.home });
    await cleanupContainers(fixture.made);
    fixture.made = [];
    removeStateDir(fixture.home);
  });
  return fixture;
};

/** The supervisor's log so far ('' before it wrote one). */
export const supervisorLog = (home: string): string => {
  try {
    return fs.readFileSync(path.join(home, 'supervisor.log'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
};

/**
 * The key of the last exit the supervisor judged for an instance (`<container id>@<finished ms>`),
 * from state.json. A stop the user asked for is judged too, but gets no supervisor event (the
 * user's own event says it): this key is how a test sees that its exit was judged.
 */
export const judgedExitKey = (home: string, workloadId: string, index = 1): string | null => {
  const state = JSON.parse(fs.readFileSync(path.join(home, 'state.json'), 'utf8'));
  const instance = state.workloads[workloadId]?.instances.find((i: { index: number }) => i.index === index);
  return instance?.judgedExitKey ?? null;
};

/**
 * A labelled container for `workloadId` that no instance wants (instance 0 never exists), not
 * started. Only a reconcile pass removes it, and it logs so: `removed()` is the positive sign that
 * the supervisor reconciled after the marker was made, i.e. had its chance to judge again what it
 * already judged and (the assertions after it say) did not.
 */
export const reconcileMarker = async (workloadId: string, dialect: 'service' | 'machine' = 'service') => {
  const name = uniqueName('reconcile-mark');
  ok(
    await docker([
      'create',
      `--name=${name}`,
      '--label=io.svc.managed=true',
      `--label=io.svc.workload=${workloadId}`,
      '--label=io.svc.instance=0',
      `--label=io.svc.dialect=${dialect}`,
      '--',
      TEST_IMAGE,
      'true',
    ]),
  );
  return {
    name,
    async removed(home: string, timeoutMs = 15_000): Promise<void> {
      try {
        await waitFor(
          `a reconcile pass to remove ${name}`,
          async () => (await docker(['inspect', '--type=container', name])).exitCode !== 0,
          timeoutMs,
        );
        expect(supervisorLog(home)).toContain(`no instance wants: ${name}`);
      } finally {
        await docker(['rm', '-f', name]);
      }
    },
  };
};

/** Waits for the running supervisor of `home` to reconcile once more (see reconcileMarker). */
export const reconciled = async (home: string, workloadId: string, dialect: 'service' | 'machine' = 'service') =>
  (await reconcileMarker(workloadId, dialect)).removed(home);

/**
 * Waits until the supervisor has judged the container exits Docker reported up to now. Docker's
 * event stream is ordered: a service that exits at once is run in the same state dir, and once the
 * supervisor has written its judgement of that exit, it has also judged every earlier one (or found
 * it to be nobody's). The marker service is terminated afterwards.
 */
export const exitsJudgedUpToNow = async (home: string): Promise<void> => {
  const uuid = ok(await svc(['service', 'run', '--name', uniqueName('exit-mark'), TEST_IMAGE, 'true'], { home }));
  try {
    await waitFor("the supervisor to judge the marker service's exit", async () =>
      (await supervisorEvents(home, uuid)).some((e) => e.action === 'leave-stopped'),
    );
  } finally {
    await svc(['service', 'terminate', uuid], { home });
    await cleanupContainers([uuid]);
  }
};
