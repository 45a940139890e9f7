/** Helpers for tests that run a real supervisor against real containers. */
import { afterAll, beforeAll } from '@jest/globals';
import { cleanupContainers, docker, makeStateDir, removeStateDir, requireDocker, svc, type RunResult } from '../helpers/svc.js';

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
  (JSON.parse(ok(await svc(['events', id, '--json'], { home }))) as { action: string; reason: string; source: string }[]).filter(
    (e) => e.source === 'supervisor',
  );

export const containerRunning = async (nameOrId: string): Promise<boolean> => {
  const result = await docker(['inspect', '--format', '{{.State.Running}}', nameOrId]);
  return result.stdout.trim() === 'true';
};

export const containerId = async (name: string): Promise<string | null> => {
  const result = await docker(['inspect', '--format', '{{.Id}}', name]);
  return result.exitCode === 0 ? result.stdout.trim() : null;
};

export const startSupervisor = async (home: string) => ok(await svc(['daemon', 'start'], { home, env: { SVC_RECONCILE_MS: '2000' } }));
export const stopSupervisor = async (home: string) => ok(await svc(['daemon', 'stop'], { home }));

export const supervisorPid = async (home: string): Promise<number | null> => {
  const status = JSON.parse(ok(await svc(['daemon', 'status', '--json'], { home })));
  return status.pid;
};

/**
 * Registers beforeAll/afterAll for a test file that runs one supervisor in its own state dir.
 * Workload ids pushed to `made` have their containers removed at the end.
 */
export const useSupervisedStateDir = () => {
  const fixture = { home: '', made: [] as string[] };
  beforeAll(async () => {
    await requireDocker();
    fixture.home = makeStateDir();
    await startSupervisor(fixture.home);
  });
  afterAll(async () => {
    await svc(['daemon', 'stop'], { home: fixture.home });
    await cleanupContainers(fixture.made);
    removeStateDir(fixture.home);
  });
  return fixture;
};
