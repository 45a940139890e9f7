/**
 * Issue 20, cases 3 and 4, with bin/svc on the real engine:
 * - a 20-container start whose CLI (with its docker child) or server is killed with SIGKILL once the
 *   first container runs: the supervisor finds the operation abandoned and starts the rest within a
 *   reconcile;
 * - a service whose command is a missing binary (exit 127 on `docker start`): the CLI and the API
 *   answer with svc's sentence and Docker's reason, the policy judges the failed start (an event with
 *   exit code 127, retries with back-off or a give-up shown as Stopped), and a failed launch leaves
 *   nothing behind.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupContainers,
  docker,
  makeStateDir,
  removeStateDir,
  requireDocker,
  svc,
  SVC_BIN,
  TEST_IMAGE,
  uniqueName,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { request, serve, type Served } from './api-helpers.js';
import { inspectService, ok, supervisorLog } from './supervisor-helpers.js';

/** Short periods, so the test takes seconds: a reconcile every second, a state lock stale after 2 s. */
const ENV = { SVC_RECONCILE_MS: '1000', SVC_LOCK_STALE_MS: '2000' };

let home: string;
const made: string[] = [];

beforeAll(requireDocker);
beforeEach(async () => {
  home = makeStateDir();
  ok(await svc(['daemon', 'start'], { home, env: ENV }));
});
afterEach(async () => {
  await svc(['daemon', 'stop'], { home });
  await cleanupContainers(made.splice(0));
  removeStateDir(home);
});

const stateOf = (id: string) => JSON.parse(fs.readFileSync(path.join(home, 'state.json'), 'utf8')).workloads[id];
const dockerStates = async (id: string) =>
  (await docker(['ps', '-a', '--filter', `label=io.svc.workload=${id}`, '--format', '{{.State}}'])).stdout
    .split('\n')
    .filter(Boolean);
const eventsOf = async (id: string) =>
  JSON.parse(ok(await svc(['events', id, '--json'], { home }))) as {
    time: string;
    action: string;
    reason: string;
    source: string;
    exitCode: number | null;
  }[];

/**
 * Starts the service's 20 containers from another process and kills that process with SIGKILL once
 * Docker has started the first of them, as the issue's server was 0.7 s in; resolves to when, and
 * the containers' states right after (before the supervisor's next reconcile).
 */
const KILLED_MID_START: Record<string, (name: string, id: string) => Promise<{ killedAt: number; left: string[] }>> = {
  // Its own process group, so the kill takes its `docker start` child too, as a killed cgroup would.
  'a CLI': async (name, id) => {
    const start = execa(SVC_BIN, ['service', 'start', name], {
      env: { ...ENV, SVC_HOME: home, SVC_NO_AUTOSTART: '1' },
      detached: true,
      reject: false,
      stdin: 'ignore',
    });
    await waitFor('the first container running', async () => (await dockerStates(id)).includes('running'), 30_000);
    process.kill(-start.pid!, 'SIGKILL');
    const killedAt = Date.now();
    const left = await dockerStates(id);
    await start;
    return { killedAt, left };
  },
  // The server alone, as in the issue: its `docker start` child dies on its next write to the closed pipe.
  'a server, over the API': async (_name, id) => {
    const served = await serve({ home, env: ENV });
    const answer = request(served, 'POST', `/api/app/v1/service/${id}/start/`).catch((error: Error) => error);
    await waitFor('the first container running', async () => (await dockerStates(id)).includes('running'), 30_000);
    served.process.kill('SIGKILL');
    const killedAt = Date.now();
    const left = await dockerStates(id);
    expect(await answer).not.toHaveProperty('status'); // no answer: the client's connection was cut
    await served.process;
    return { killedAt, left };
  },
};

test.each(Object.keys(KILLED_MID_START))(
  'a 20-container start by %s killed with SIGKILL mid-way is finished by the supervisor within a reconcile, which says so',
  async (by) => {
    const name = uniqueName('killed');
    const id = ok(
      await svc(['service', 'create', '-n', name, '-t', '20', '--autorestart', 'ALWAYS', TEST_IMAGE, 'sleep', '1000'], {
        home,
      }),
    );
    made.push(id);

    const { killedAt, left } = await KILLED_MID_START[by](name, id);
    expect(left.filter((s) => s === 'created').length).toBeGreaterThan(0); // the kill left work undone

    await waitFor(
      'all 20 running',
      async () => (await dockerStates(id)).filter((s) => s === 'running').length === 20,
      45_000,
    );
    const finishedIn = Date.now() - killedAt;
    const events = await eventsOf(id);
    const takeOver = events.find((e) => e.source === 'supervisor' && e.action === 'start');
    const takenOverIn = Date.parse(takeOver!.time) - killedAt;
    expect(takeOver?.reason).toMatch(
      /^the user's start was interrupted \(its process \(pid \d+\) is gone\); the supervisor finishes it: intent running$/,
    );
    expect(stateOf(id).operation).toBeNull();
    expect((await inspectService(home, id)).state).toBe('Running');
    // Taken over within a reconcile period (1 s) of the kill, with slack for a shared 2-core host; the
    // starts that follow take Docker's own time (within the wait above).
    expect(takenOverIn).toBeLessThan(4_000);
    console.log(
      `case 3, ${by}: ${left.filter((s) => s === 'running').length} running and ${left.filter((s) => s === 'created').length} created after the kill; taken over ${takenOverIn} ms and all 20 running ${finishedIn} ms after it`,
    );
  },
  90_000,
);

describe('a missing binary: Docker refuses the start with exit 127', () => {
  test("svc service start fails with exit 1 and Docker's reason; OFF leaves it Stopped with an event, and nothing says Starting", async () => {
    const name = uniqueName('nobin');
    const id = ok(await svc(['service', 'create', '-n', name, TEST_IMAGE, '/nonexistent'], { home }));
    made.push(id);
    const result = await svc(['service', 'start', name], { home });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      `Docker could not start the container of ${name}: exit code 127, exec: "/nonexistent": stat /nonexistent: no such file or directory; by its restart policy: leave-stopped`,
    );
    const service = await inspectService(home, id);
    expect(service.state).toBe('Stopped');
    expect(service.containers[0].state).toBe('Stopped');
    expect((await eventsOf(id)).filter((e) => e.source === 'supervisor')).toEqual([
      expect.objectContaining({
        action: 'leave-stopped',
        exitCode: 127,
        reason: expect.stringMatching(
          /^could not start: exec: "\/nonexistent": .*; exit code 127; restart policy never$/,
        ),
      }),
    ]);
  }, 60_000);

  test("ON_FAILURE over the API: a 500 with svc's sentence, then the supervisor retries with a growing back-off", async () => {
    let served: Served | undefined;
    try {
      served = await serve({ home, env: ENV });
      const name = uniqueName('nobin-api');
      const created = await request(served, 'POST', '/api/app/v1/service/', {
        body: { image: TEST_IMAGE, name, run_command: '/nonexistent', autorestart: 'ON_FAILURE' },
      });
      expect(created.status).toBe(201);
      made.push(created.body.uuid);
      const started = await request(served, 'POST', `/api/app/v1/service/${created.body.uuid}/start/`);
      expect(started.status).toBe(500);
      expect(started.body.error).toMatch(
        new RegExp(
          `^Docker could not start the container of ${name}: exit code 127, exec: "/nonexistent": .*; by its restart policy: restart$`,
        ),
      );

      const restarts = await waitFor(
        'three restarts judged',
        async () => {
          const judged = (await eventsOf(created.body.uuid)).filter(
            (e) => e.source === 'supervisor' && e.action === 'restart',
          );
          return judged.length >= 3 && judged;
        },
        30_000,
      );
      expect(
        restarts.every((e) => e.exitCode === 127 && e.reason.startsWith('could not start: exec: "/nonexistent"')),
      ).toBe(true);
      expect(restarts[1].reason).toMatch(/back-off 100 ms$/);
      expect(restarts[2].reason).toMatch(/back-off 200 ms$/);
      ok(await svc(['service', 'stop', name], { home }));
    } finally {
      await served?.stop();
    }
  }, 60_000);

  test("a run_command holding terminal escapes reaches the supervisor's log escaped, never raw", async () => {
    let served: Served | undefined;
    try {
      served = await serve({ home, env: ENV });
      const created = await request(served, 'POST', '/api/app/v1/service/', {
        body: {
          image: TEST_IMAGE,
          name: uniqueName('nobin-esc'),
          run_command: '/nonexistent\u001b[2J\u001b[31mred\u0007',
          autorestart: 'ON_FAILURE',
        },
      });
      expect({ status: created.status, error: created.body.error }).toEqual({ status: 201, error: undefined });
      made.push(created.body.uuid);
      expect((await request(served, 'POST', `/api/app/v1/service/${created.body.uuid}/start/`)).status).toBe(500);
      // The supervisor's retry fails the same way, and its log line quotes Docker's reason, which quotes the command.
      const log = await waitFor(
        'the retry in the log',
        async () => /nonexistent.*2J/.test(supervisorLog(home)) && supervisorLog(home),
        30_000,
      );
      expect(log).toContain('/nonexistent\\x1b[2J\\x1b[31mred\\x07');
      // eslint-disable-next-line no-control-regex -- no raw control character but line feeds
      expect(log).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
      ok(await svc(['service', 'stop', created.body.uuid], { home }));
    } finally {
      await served?.stop();
    }
  }, 60_000);

  test('a launch over the API with ?start=true is all or nothing: refused, nothing left, and the name free again', async () => {
    let served: Served | undefined;
    try {
      served = await serve({ home, env: ENV });
      const name = uniqueName('nobin-launch');
      made.push(name);
      const launched = await request(served, 'POST', '/api/app/v1/service/?start=true', {
        body: { image: TEST_IMAGE, name, run_command: '/nonexistent' },
      });
      expect(launched.status).toBe(500);
      expect(launched.body.error).toMatch(/exit code 127, exec: "\/nonexistent": .*; nothing of it was kept$/);
      expect((await request(served, 'GET', `/api/app/v1/service/?name=${name}`)).body.objects).toEqual([]);
      expect((await docker(['ps', '-aq', '--filter', `name=^/${name}-`])).stdout).toBe('');

      const again = await request(served, 'POST', '/api/app/v1/service/?start=true', {
        body: { image: TEST_IMAGE, name, run_command: 'sleep 1000' },
      });
      expect(again.status).toBe(201);
      expect(again.body.state).toBe('Running');
    } finally {
      await served?.stop();
    }
  }, 60_000);
});
