/**
 * The swarm backend on a real two-node Docker Swarm (scripts/swarm-cluster.sh: two dockerd of the
 * tests' own beside the host's, which is left alone). Covers each policy on crashing tasks, a spent
 * budget, a drained node and a stopped node's engine with the workload running again on the other,
 * a user's stop not fought, two state dirs ("hosts") seeing and changing one swarm service, and the
 * refusals, besides the verbs of both dialects.
 */
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  makeStateDir,
  removeStateDir,
  requireBuiltCli,
  svc,
  TEST_IMAGE,
  uniqueName,
  type RunResult,
} from '../helpers/svc.js';
import { waitFor } from '../helpers/wait.js';
import { request, serve } from '../e2e/api-helpers.js';

const CLUSTER = path.resolve('scripts', 'swarm-cluster.sh');
let clusterDir: string;
let dockerHost: string;
let homeA: string;
let homeB: string;

/** svc against the swarm's manager, as a user of host A (or B) with SVC_BACKEND=swarm. */
const onSwarm = (args: string[], home = homeA, env: Record<string, string> = {}) =>
  svc(args, { home, env: { DOCKER_HOST: dockerHost, SVC_BACKEND: 'swarm', ...env } });
const ok = (result: RunResult) => {
  if (result.exitCode !== 0) throw new Error(`svc failed (${result.exitCode}): ${result.stderr}`);
  return result.stdout.trim();
};
const swarmDocker = (args: string[]) => execa('docker', args, { env: { DOCKER_HOST: dockerHost }, reject: false });
const inspect = async (id: string, home = homeA) => JSON.parse(ok(await onSwarm(['service', 'inspect', id], home)));
const events = async (id: string) =>
  JSON.parse(ok(await onSwarm(['events', id, '--json']))) as {
    action: string;
    reason: string;
    exitCode: number | null;
    source: string;
    instance: number | null;
  }[];
const nodeIds = async () =>
  (await swarmDocker(['node', 'ls', '--format', '{{.ID}} {{.ManagerStatus}}'])).stdout
    .split('\n')
    .map((line) => line.split(' '));

beforeAll(async () => {
  requireBuiltCli();
  clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'svsw-'));
  const started = await execa('bash', [CLUSTER, 'start', clusterDir], { reject: false });
  if (started.exitCode !== 0) throw new Error(`The two-node swarm did not start: ${started.stderr}`);
  dockerHost = started.stdout.trim();
  homeA = makeStateDir();
  homeB = makeStateDir();
}, 120_000);

afterAll(async () => {
  await execa('bash', [CLUSTER, 'stop', clusterDir], { reject: false });
  removeStateDir(homeA);
  removeStateDir(homeB);
}, 60_000);

describe('each policy, on crashing tasks', () => {
  test('autorestart ON_FAILURE: the swarm restarts a failing task, with its exit code in the events', async () => {
    const id = ok(
      await onSwarm([
        'service',
        'run',
        '--name',
        uniqueName('onfail'),
        '--autorestart',
        'ON_FAILURE',
        TEST_IMAGE,
        'sh',
        '-c',
        'sleep 1; exit 3',
      ]),
    );
    await waitFor('two restarts by the swarm', async () => (await inspect(id)).restarts >= 2, 30_000);
    const history = await events(id);
    expect(
      history.filter((e) => e.action === 'exit' && e.exitCode === 3 && e.source === 'swarm').length,
    ).toBeGreaterThanOrEqual(2);
    expect(history.some((e) => e.action === 'restart' && /by the swarm/.test(e.reason))).toBe(true);
    const view = await inspect(id);
    expect(view.swarm_restart_policy).toEqual({
      condition: 'on-failure',
      max_attempts: 0,
      window: '0s',
      delay: '100ms',
    });
    expect(view.enforced_as).toContainEqual(expect.stringMatching(/^back-off: a fixed 100 ms/));
    ok(await onSwarm(['service', 'terminate', id]));
  });

  test('autorestart OFF: a crash leaves the task down and the service Stopped', async () => {
    const id = ok(
      await onSwarm(['service', 'run', '--name', uniqueName('off'), TEST_IMAGE, 'sh', '-c', 'sleep 1; exit 5']),
    );
    await waitFor(
      'the task to exit',
      async () => (await events(id)).some((e) => e.action === 'exit' && e.exitCode === 5),
      20_000,
    );
    await waitFor('Stopped', async () => (await inspect(id)).state === 'Stopped');
    expect((await inspect(id)).restarts).toBe(0);
    expect((await events(id)).filter((e) => e.action === 'restart')).toEqual([]);
    // Left stopped by its policy, which is not the swarm giving up.
    expect((await events(id)).at(-1)).toMatchObject({
      action: 'leave-stopped',
      reason: 'restart policy never: the swarm starts no new task',
    });
    ok(await onSwarm(['service', 'terminate', id]));
  });

  test('--sync waits for the swarm task to run; an entrypoint reaches the task as one word', async () => {
    const id = ok(
      await onSwarm([
        'service',
        'run',
        '--sync',
        '--entrypoint',
        '/bin/sh',
        '--name',
        uniqueName('sync'),
        TEST_IMAGE,
        '-c',
        'echo "entry point ran"; sleep 3600',
      ]),
    );
    expect((await inspect(id)).state).toBe('Running');
    await waitFor(
      'the line in the logs',
      async () => ok(await onSwarm(['service', 'logs', id])).includes('entry point ran'),
      20_000,
    );
    ok(await onSwarm(['service', 'terminate', id]));
  });

  test('autorestart ALWAYS: a task that exits 0 is started again', async () => {
    const id = ok(
      await onSwarm([
        'service',
        'run',
        '--name',
        uniqueName('always'),
        '--autorestart',
        'ALWAYS',
        TEST_IMAGE,
        'sh',
        '-c',
        'sleep 1; exit 0',
      ]),
    );
    await waitFor('a restart after exit 0', async () => (await events(id)).some((e) => e.action === 'restart'), 20_000);
    expect((await events(id)).some((e) => e.action === 'exit' && e.exitCode === 0)).toBe(true);
    ok(await onSwarm(['service', 'terminate', id]));
  });

  test('Fly on-failure with max_retries 2 (through the Machines API): the budget is spent after 3 runs, and the machine stays stopped', async () => {
    const app = uniqueName('flybudget');
    const server = await serve({ home: homeA, env: { DOCKER_HOST: dockerHost, SVC_BACKEND: 'swarm' } });
    try {
      const created = await request(server, 'POST', `/v1/apps/${app}/machines`, {
        body: {
          backend: 'swarm',
          config: {
            image: TEST_IMAGE,
            init: { cmd: ['sh', '-c', 'sleep 1; exit 4'] },
            restart: { policy: 'on-failure', max_retries: 2 },
          },
        },
      });
      expect(created.status).toBe(200);
      const machine = created.body.id as string;
      expect(created.body).toMatchObject({
        backend: 'swarm',
        swarm_restart_policy: { condition: 'on-failure', max_attempts: 2, window: '300s' },
      });
      const waited = await request(server, 'GET', `/v1/apps/${app}/machines/${machine}/wait?state=stopped&timeout=60`);
      expect(waited.status).toBe(200);
      const history = await events(machine);
      expect(history.filter((e) => e.action === 'exit' && e.exitCode === 4)).toHaveLength(3);
      expect(history.filter((e) => e.action === 'restart')).toHaveLength(2);
      expect(history.at(-1)).toMatchObject({ action: 'give-up', source: 'swarm' });
      expect(ok(await onSwarm(['m', 'status', machine]))).toMatch(/State: stopped/);
      ok(await onSwarm(['m', 'destroy', '--force', machine]));
    } finally {
      await server.stop();
    }
  }, 90_000);

  test('Tutum autoreplace ON_FAILURE: enforced as 3 attempts in 60 s, and said so', async () => {
    const id = ok(
      await onSwarm([
        'service',
        'run',
        '--name',
        uniqueName('tutum'),
        '--autorestart',
        'ON_FAILURE',
        '--autoreplace',
        'ON_FAILURE',
        TEST_IMAGE,
        'sh',
        '-c',
        'exit 6',
      ]),
    );
    await waitFor(
      'the budget spent',
      async () => (await inspect(id)).state === 'Stopped' && (await events(id)).some((e) => e.action === 'give-up'),
      40_000,
    );
    const view = await inspect(id);
    expect(view.swarm_restart_policy).toMatchObject({ condition: 'on-failure', max_attempts: 3, window: '60s' });
    expect(view.enforced_as).toContainEqual(
      expect.stringMatching(/^autoreplace ON_FAILURE: every restart is already a fresh task/),
    );
    expect((await events(id)).filter((e) => e.action === 'exit' && e.exitCode === 6)).toHaveLength(4);
    ok(await onSwarm(['service', 'terminate', id]));
  }, 60_000);
});

test.each([
  [
    ['service', 'run', '--autorestart', 'ON_FAILURE', '--autodestroy', 'ON_SUCCESS', TEST_IMAGE, 'true'],
    '--autodestroy ON_SUCCESS',
  ],
  [['m', 'run', '--rm', TEST_IMAGE, 'true'], '--rm (auto_destroy)'],
])('a policy the swarm cannot keep is refused, naming the option and why: %j', async (args, option) => {
  const result = await onSwarm(args);
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toContain(
    `${option} cannot be kept on a swarm: the swarm keeps the tasks of a service and has no rule to remove one when it stops`,
  );
  expect((await swarmDocker(['service', 'ls', '-q', '--filter', 'label=io.svc.managed=true'])).stdout.trim()).toBe('');
});

test('two state dirs, two "hosts", see and change the same swarm service', async () => {
  const name = uniqueName('shared');
  // A process that stops on SIGTERM: the policy change below rolls the tasks, and a bare `sleep` as
  // PID 1 would hold each old task for the swarm's 10 s stop grace period.
  const id = ok(
    await onSwarm(
      ['service', 'run', '-t', '2', '--name', name, TEST_IMAGE, 'sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
      homeA,
    ),
  );
  await waitFor('both tasks running', async () => (await inspect(id, homeB)).running_num_containers === 2);
  // B made nothing, yet lists it, and its nodes.
  expect(ok(await onSwarm(['service', 'ps'], homeB))).toMatch(
    new RegExp(`${name}\\s+${id.slice(0, 8)}\\s+▶ Running\\s+2\\s+.*swarm`),
  );
  const containers = ok(await onSwarm(['container', 'ps', '--service', name], homeB));
  expect(containers).toMatch(/NODE/);
  expect(containers.split('\n').filter((line) => line.startsWith(`${name}.`))).toHaveLength(2);
  // B changes it; A sees the change.
  ok(await onSwarm(['service', 'set', '--autorestart', 'ALWAYS', name], homeB));
  expect((await inspect(id, homeA)).autorestart).toBe('ALWAYS');
  // Scaling down, the swarm keeps whichever slot it likes (slot 2 at times): either counts.
  ok(await onSwarm(['service', 'scale', name, '1'], homeB));
  await waitFor('one task', async () => (await inspect(id, homeA)).running_num_containers === 1, 30_000);
  ok(await onSwarm(['service', 'terminate', name], homeA));
  expect(ok(await onSwarm(['service', 'ps', '-q'], homeB))).not.toContain(id);
});

test("a user's stop is not fought, and a start brings the tasks back", async () => {
  const id = ok(
    await onSwarm([
      'service',
      'run',
      '-t',
      '2',
      '--name',
      uniqueName('stopme'),
      '--autorestart',
      'ALWAYS',
      TEST_IMAGE,
      'sleep',
      '3600',
    ]),
  );
  await waitFor('running', async () => (await inspect(id)).running_num_containers === 2);
  ok(await onSwarm(['service', 'stop', id]));
  await waitFor('Stopped', async () => (await inspect(id)).state === 'Stopped');
  // A positive sign that the swarm has gone on working since: a later service's task runs; the stopped one has none.
  const marker = ok(await onSwarm(['service', 'run', '--name', uniqueName('marker'), TEST_IMAGE, 'sleep', '3600']));
  await waitFor('the marker running', async () => (await inspect(marker)).running_num_containers === 1);
  expect((await inspect(id)).running_num_containers).toBe(0);
  expect((await events(id)).filter((e) => e.action === 'restart')).toEqual([]);
  ok(await onSwarm(['service', 'start', id]));
  await waitFor('running again', async () => (await inspect(id)).running_num_containers === 2);
  ok(await onSwarm(['service', 'terminate', id, marker]));
});

// With autorestart OFF (condition none) the swarm would only stop a drained node's task: see the enforced_as note.
test('a drained node: its task runs again on the other node, and the events say it was rescheduled', async () => {
  const id = ok(
    await onSwarm([
      'service',
      'run',
      '-t',
      '2',
      '--name',
      uniqueName('drain'),
      '--autorestart',
      'ALWAYS',
      TEST_IMAGE,
      'sh',
      '-c',
      'trap "exit 0" TERM; sleep 3600 & wait',
    ]),
  );
  const [[worker]] = (await nodeIds()).filter(([, status]) => !status);
  await waitFor(
    'a task on each node',
    async () =>
      (
        await swarmDocker([
          'service',
          'ps',
          '-q',
          '--filter',
          'desired-state=running',
          '--filter',
          `node=${worker}`,
          `${(await inspect(id)).name}`,
        ])
      ).stdout.trim() !== '',
  );
  await swarmDocker(['node', 'update', '--availability', 'drain', worker]);
  try {
    await waitFor(
      'both tasks on the manager',
      async () => {
        const view = await inspect(id);
        const tasks = (
          await swarmDocker([
            'service',
            'ps',
            '--filter',
            'desired-state=running',
            '--format',
            '{{.Node}} {{.CurrentState}}',
            view.name,
          ])
        ).stdout;
        return (
          view.running_num_containers === 2 && tasks.split('\n').filter((line) => line.includes('Running')).length === 2
        );
      },
      30_000,
    );
    expect(
      (await events(id)).some(
        (e) => e.action === 'restart' && /rescheduled by the swarm .*drained or lost/.test(e.reason),
      ),
    ).toBe(true);
  } finally {
    await swarmDocker(['node', 'update', '--availability', 'active', worker]);
  }
  ok(await onSwarm(['service', 'terminate', id]));
}, 60_000);

test('Fly machines on the swarm: run, list with their node, update, destroy; deploy from fly.toml', async () => {
  const app = uniqueName('flyswarm');
  const id = ok(await onSwarm(['m', 'run', '-a', app, '-n', 'web', TEST_IMAGE, 'sleep', '3600']));
  await waitFor(
    'started',
    async () => JSON.parse(ok(await onSwarm(['m', 'list', '-a', app, '--json'])))[0]?.state === 'started',
  );
  const listed = ok(await onSwarm(['m', 'list', '-a', app]));
  expect(listed).toMatch(/BACKEND\s+NODE/);
  expect(listed).toMatch(new RegExp(`${id}\\s+web\\s+started.*swarm\\s+\\S+`));
  const updated = await onSwarm(['m', 'update', id, '--restart', 'no', '--yes']);
  expect(updated.exitCode).toBe(0);
  expect(updated.stderr).toMatch(/the swarm applies the new restart policy by replacing its tasks/);
  expect(ok(await onSwarm(['m', 'status', '-d', id]))).toMatch(/Backend\s+= swarm[\s\S]*"policy": "no"/);
  expect(
    (
      await swarmDocker([
        'service',
        'inspect',
        '--format',
        '{{json .Spec.TaskTemplate.RestartPolicy.Condition}}',
        `${app}-web`,
      ])
    ).stdout.trim(),
  ).toBe('"none"');
  ok(await onSwarm(['m', 'destroy', '--force', id]));
  expect((await swarmDocker(['service', 'ls', '-q', '--filter', `name=${app}-web`])).stdout.trim()).toBe('');

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svc-swarm-deploy-'));
  fs.writeFileSync(
    path.join(dir, 'fly.toml'),
    [
      `app = "${app}"`,
      '[build]',
      `  image = "${TEST_IMAGE}"`,
      '[processes]',
      '  web = "sleep 3600"',
      '[[restart]]',
      '  policy = "always"',
      '',
    ].join('\n'),
  );
  const deployed = await onSwarm(['deploy', '--backend', 'swarm', '-c', path.join(dir, 'fly.toml'), '--json']);
  expect(deployed.exitCode).toBe(0);
  const [result] = JSON.parse(deployed.stdout);
  expect(result).toMatchObject({ process_group: 'web', result: 'created', restart: { policy: 'always' } });
  const again = JSON.parse(ok(await onSwarm(['deploy', '-c', path.join(dir, 'fly.toml'), '--json'])));
  expect(again).toEqual([expect.objectContaining({ id: result.id, result: 'unchanged' })]);
  ok(await onSwarm(['m', 'destroy', '--force', result.id]));
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

test("a node's engine stopped: the swarm runs its task on the other node", async () => {
  const id = ok(
    await onSwarm([
      'service',
      'run',
      '-t',
      '2',
      '--name',
      uniqueName('lost'),
      '--autorestart',
      'ALWAYS',
      TEST_IMAGE,
      'sh',
      '-c',
      'trap "exit 0" TERM; sleep 3600 & wait',
    ]),
  );
  await waitFor('both running', async () => (await inspect(id)).running_num_containers === 2);
  const [[worker]] = (await nodeIds()).filter(([, status]) => !status);
  await execa('bash', [CLUSTER, 'kill', clusterDir, '2']);
  await waitFor(
    'the node seen down',
    async () =>
      (await swarmDocker(['node', 'inspect', '--format', '{{.Status.State}}', worker])).stdout.trim() === 'down',
    60_000,
  );
  await waitFor(
    'both tasks running on the manager',
    async () => {
      const tasks = (
        await swarmDocker([
          'service',
          'ps',
          '--filter',
          'desired-state=running',
          '--format',
          '{{.CurrentState}}',
          (await inspect(id)).name,
        ])
      ).stdout;
      return tasks.split('\n').filter((line) => line.startsWith('Running')).length === 2;
    },
    60_000,
  );
  expect((await events(id)).some((e) => e.action === 'restart' && /rescheduled by the swarm/.test(e.reason))).toBe(
    true,
  );
  ok(await onSwarm(['service', 'terminate', id]));
}, 150_000);
