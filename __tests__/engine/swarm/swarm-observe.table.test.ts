/**
 * A swarm workload from its service's tasks: each slot's state, restarts and give-up, and the task
 * history as events; and the workload that the service's labels hold. Pure, on made-up tasks.
 */
import { servicePolicyFromWords, type ServicePolicyWords } from '../../../src/core/dialects/dockercloud.js';
import { machinePolicyFromConfig } from '../../../src/core/dialects/fly.js';
import { swarmLabels, workloadFromSwarmService } from '../../../src/core/swarmWorkload.js';
import type { RestartPolicy } from '../../../src/core/policy.js';
import type { Workload } from '../../../src/core/workload.js';
import { nodeNames, observeSwarmWorkload, swarmEvents } from '../../../src/engine/swarm/swarm-observe.js';
import { REPLACEMENT_GRACE_MS } from '../../../src/core/swarmSlotEnd.js';
import type { SwarmNode, SwarmService, SwarmTask } from '../../../src/engine/ports/swarm-client.js';

const NOW = 1_800_000_000_000;
const words = (autorestart: string) =>
  servicePolicyFromWords({ autorestart, autoreplace: 'OFF', autodestroy: 'OFF' } as ServicePolicyWords);

const workload = (policy: RestartPolicy, fields: Partial<Workload> = {}): Workload => ({
  id: 'w1',
  dialect: 'service',
  backend: 'swarm',
  name: 'web',
  app: null,
  processGroup: null,
  spec: { image: 'img', command: ['sleep', '1'], entrypoint: null, env: [], memoryMb: null },
  policy,
  targetInstances: 1,
  intent: 'running',
  operation: null,
  instances: [],
  createdAt: NOW - 60_000,
  deployedAt: NOW - 60_000,
  startedAt: NOW - 60_000,
  stoppedAt: null,
  destroyedAt: null,
  ...fields,
});

const service: SwarmService = {
  id: 's1',
  name: 'web',
  labels: {},
  image: 'img',
  command: [],
  args: ['sleep', '1'],
  env: [],
  memoryBytes: null,
  replicas: 1,
  createdAt: '',
  updatedAt: '',
};

let next = 0;
const task = (state: string, desiredState: string, ago: number, fields: Partial<SwarmTask> = {}): SwarmTask => ({
  id: `t${++next}`,
  serviceId: 's1',
  slot: 1,
  nodeId: 'n1',
  state,
  desiredState,
  time: NOW - ago,
  createdAt: NOW - ago - 1_000,
  containerId: `c${next}`,
  exitCode: state === 'running' ? null : state === 'complete' ? 0 : 3,
  error: state === 'failed' ? 'task: non-zero exit (3)' : '',
  spec: '{"ContainerSpec":{"Image":"img"}}',
  ...fields,
});

const NODES: SwarmNode[] = [
  { id: 'n1', hostname: 'alpha', status: 'Ready', availability: 'Active' },
  { id: 'n2', hostname: 'beta', status: 'Ready', availability: 'Active' },
];
const nodes = nodeNames(NODES);

const slotState = (policy: RestartPolicy, tasks: SwarmTask[]) => {
  const observed = observeSwarmWorkload(workload(policy), service, tasks, nodes, NOW);
  return {
    state: observed.state,
    container: observed.instances[0].state,
    restarts: observed.restarts,
    stopped: observed.instances[0].record.stoppedReason,
  };
};

test.each([
  [
    'a running task',
    words('ON_FAILURE'),
    () => [task('running', 'running', 5_000)],
    { state: 'Running', container: 'Running', restarts: 0 },
  ],
  [
    'a failed task the swarm is about to replace (still meant to run)',
    words('ON_FAILURE'),
    () => [task('failed', 'running', 10)],
    { state: 'Starting', restarts: 0 },
  ],
  [
    'a failed task and its replacement waiting out the delay',
    words('ON_FAILURE'),
    () => [task('failed', 'shutdown', 500), task('pending', 'ready', 100)],
    { state: 'Starting', restarts: 1 },
  ],
  [
    'a failed task with no replacement yet, within the grace',
    words('ON_FAILURE'),
    () => [task('failed', 'shutdown', 200)],
    { state: 'Starting' },
  ],
  [
    'a failed task with no replacement long after',
    words('ON_FAILURE'),
    () => [task('failed', 'shutdown', REPLACEMENT_GRACE_MS + 1)],
    { state: 'Stopped' },
  ],
  [
    'autorestart OFF: the first exit is the last',
    words('OFF'),
    () => [task('failed', 'shutdown', 10)],
    { state: 'Stopped', container: 'Stopped', restarts: 0 },
  ],
  [
    'ON_FAILURE and a clean exit: left down',
    words('ON_FAILURE'),
    () => [task('complete', 'shutdown', 10)],
    { state: 'Stopped' },
  ],
  [
    'Fly max_retries 2: the third failure inside the window spends the budget at once',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 }),
    () => [task('failed', 'shutdown', 3_000), task('failed', 'shutdown', 2_000), task('failed', 'shutdown', 10)],
    { state: 'Stopped', restarts: 2 },
  ],
  [
    'Fly max_retries 2 with two failures: not spent',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 }),
    () => [task('failed', 'shutdown', 2_000), task('failed', 'shutdown', 10)],
    { state: 'Starting', restarts: 1 },
  ],
  [
    'a task the swarm shuts down (its node drained)',
    words('ALWAYS'),
    () => [task('running', 'shutdown', 100)],
    { state: 'Stopped', container: 'Stopping' },
  ],
  [
    "a failed task in a slot the swarm is removing, long after: not given up (the slot's number is shown again, for a task to come)",
    words('ALWAYS'),
    () => [task('failed', 'remove', REPLACEMENT_GRACE_MS + 1)],
    { state: 'Starting', stopped: null },
  ],
])('%s', (_, policy, tasks, expected) => {
  expect(slotState(policy, tasks())).toMatchObject(expected);
});

test.each([
  [
    'autorestart OFF: the policy restarts nothing',
    words('OFF'),
    [task('failed', 'shutdown', 10)],
    'task: non-zero exit (3); restart policy never: the swarm starts no new task',
  ],
  [
    'Fly max_retries 0: no retries',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 0 }),
    [task('failed', 'shutdown', 10)],
    'task: non-zero exit (3); restart policy on-failure with no retries: the swarm starts no new task',
  ],
  [
    'on-failure and a clean exit',
    words('ON_FAILURE'),
    [task('complete', 'shutdown', 10)],
    'exit code 0; exit code 0: restart policy on-failure restarts only a failure',
  ],
  [
    'a spent budget',
    machinePolicyFromConfig({ policy: 'on-failure', max_retries: 1 }),
    [task('failed', 'shutdown', 2_000), task('failed', 'shutdown', 10)],
    "task: non-zero exit (3); the swarm's restart policy gave up (1 attempts in 300 s)",
  ],
  [
    'no new task within the grace time',
    words('ALWAYS'),
    [task('failed', 'shutdown', REPLACEMENT_GRACE_MS + 1)],
    'task: non-zero exit (3); the swarm started no new task within 3 s',
  ],
])('%s: the slot says why it stays down', (_, policy, tasks, reason) => {
  expect(slotState(policy, tasks).stopped).toBe(reason);
});

test('scaled from 2 to 1, the swarm may keep slot 2: that slot is the one shown, Running', () => {
  const tasks = [task('running', 'running', 100, { slot: 2 }), task('running', 'remove', 100, { slot: 1 })];
  const observed = observeSwarmWorkload(workload(words('ALWAYS')), service, tasks, nodes, NOW);
  expect(observed.instances.map((i) => [i.record.index, i.record.containerName, i.state])).toEqual([
    [2, 'web.2', 'Running'],
  ]);
  expect(observed.state).toBe('Running');
});

test('scaled from 2 to 1 after a rolling update: slot 1 holds only the task the update shut down, and slot 2 is shown', () => {
  // The swarm deleted slot 1's removed task; its history keeps the task the update replaced.
  const tasks = [
    task('shutdown', 'shutdown', 20_000, { slot: 1 }),
    task('shutdown', 'shutdown', 20_000, { slot: 2 }),
    task('running', 'running', 10_000, { slot: 2 }),
  ];
  const observed = observeSwarmWorkload(workload(words('ALWAYS')), service, tasks, nodes, NOW);
  expect(observed.instances.map((i) => [i.record.index, i.state])).toEqual([[2, 'Running']]);
  expect(observed.state).toBe('Running');
});

test('mid-update (the old task stopped, its successor not made yet), that slot is shown before one long gone', () => {
  const tasks = [
    task('shutdown', 'shutdown', 60_000, { slot: 1 }),
    task('running', 'running', 30_000, { slot: 2 }),
    task('shutdown', 'shutdown', 1_000, { slot: 3 }),
  ];
  const observed = observeSwarmWorkload(
    workload(words('ALWAYS'), { targetInstances: 2 }),
    { ...service, replicas: 2 },
    tasks,
    nodes,
    NOW,
  );
  expect(observed.instances.map((i) => i.record.index)).toEqual([2, 3]);
});

test('slots with no task yet take the lowest free numbers', () => {
  const observed = observeSwarmWorkload(
    workload(words('ALWAYS'), { targetInstances: 3 }),
    { ...service, replicas: 3 },
    [task('running', 'running', 100, { slot: 2 })],
    nodes,
    NOW,
  );
  expect(observed.instances.map((i) => i.record.index)).toEqual([1, 2, 3]);
  expect(observed.instances.map((i) => i.state)).toEqual(['Starting', 'Running', 'Starting']);
});

test('a stopped workload (no replicas) shows its slots Stopped', () => {
  const observed = observeSwarmWorkload(
    workload(words('ALWAYS'), { intent: 'stopped', targetInstances: 2 }),
    { ...service, replicas: 0 },
    [task('shutdown', 'shutdown', 100)],
    nodes,
    NOW,
  );
  expect(observed.state).toBe('Stopped');
  expect(observed.instances.map((i) => i.state)).toEqual(['Stopped', 'Stopped']);
});

test('each task shows its node; two nodes of one hostname are told apart by their ids', () => {
  const same = nodeNames([
    { id: 'aaaaaaaaaaaaaaaa', hostname: 'vm', status: 'ready', availability: 'active' },
    { id: 'bbbbbbbbbbbbbbbb', hostname: 'vm', status: 'ready', availability: 'active' },
  ]);
  expect([...same.values()]).toEqual(['vm (aaaaaaaaaaaa)', 'vm (bbbbbbbbbbbb)']);
  const observed = observeSwarmWorkload(
    workload(words('ALWAYS')),
    service,
    [task('running', 'running', 10, { nodeId: 'n2' })],
    nodes,
    NOW,
  );
  expect(observed.instances[0].container?.node).toBe('beta');
});

test('the task history as events: exits with their codes, restarts, a reschedule to another node, a give-up', () => {
  const tasks = [
    task('failed', 'shutdown', 9_000),
    task('failed', 'shutdown', 6_000),
    task('running', 'shutdown', 4_000, { nodeId: 'n1' }),
    task('failed', 'shutdown', 10, { nodeId: 'n2' }),
  ];
  const events = swarmEvents(
    workload(machinePolicyFromConfig({ policy: 'on-failure', max_retries: 2 })),
    service,
    tasks,
    nodes,
    NOW,
  );
  expect(events.map((e) => [e.action, e.exitCode, e.reason])).toEqual([
    ['exit', 3, 'task 1 on alpha: task: non-zero exit (3)'],
    ['restart', null, 'restarted by the swarm on alpha (a new task)'],
    ['exit', 3, 'task 1 on alpha: task: non-zero exit (3)'],
    ['restart', null, 'restarted by the swarm on alpha (a new task)'],
    ['restart', null, 'rescheduled by the swarm from alpha to beta (its node was drained or lost)'],
    ['exit', 3, 'task 1 on beta: task: non-zero exit (3)'],
    ['give-up', null, "the swarm's restart policy gave up (2 attempts in 300 s)"],
  ]);
  expect(events.every((e) => e.source === 'swarm' && e.oomKilled === null)).toBe(true);
});

test('a task moved to another node with a new spec was rolled by a change of the service; with the same spec, its node left', () => {
  const rolled = [
    task('shutdown', 'shutdown', 4_000, { nodeId: 'n1' }),
    task('running', 'running', 10, { nodeId: 'n2', spec: '{"ContainerSpec":{"Image":"img"},"ForceUpdate":1}' }),
  ];
  expect(swarmEvents(workload(words('ALWAYS')), service, rolled, nodes, NOW).map((e) => e.reason)).toEqual([
    'rescheduled by the swarm from alpha to beta (a change of the service rolled its tasks)',
  ]);
  const moved = [
    task('running', 'shutdown', 4_000, { nodeId: 'n1' }),
    task('running', 'running', 10, { nodeId: 'n2' }),
  ];
  expect(swarmEvents(workload(words('ALWAYS')), service, moved, nodes, NOW).map((e) => e.reason)).toEqual([
    'rescheduled by the swarm from alpha to beta (its node was drained or lost)',
  ]);
});

test('a slot the swarm is removing (scaled down) gets no give-up: the swarm means to start no new task there', () => {
  const tasks = [
    task('running', 'running', 10, { slot: 2 }),
    task('failed', 'remove', REPLACEMENT_GRACE_MS + 1, { slot: 1 }),
  ];
  const events = swarmEvents(workload(words('ALWAYS')), service, tasks, nodes, NOW);
  expect(events.map((e) => [e.action, e.instance])).toEqual([['exit', 1]]);
});

test('a clean exit under on-failure is left stopped, not given up', () => {
  const events = swarmEvents(workload(words('ON_FAILURE')), service, [task('complete', 'shutdown', 10)], nodes, NOW);
  expect(events.map((e) => [e.action, e.exitCode])).toEqual([
    ['exit', 0],
    ['leave-stopped', null],
  ]);
});

test("a workload's labels and spec make the same workload again; a service that is not svc's makes none", () => {
  const original = workload(machinePolicyFromConfig({ policy: 'on-failure', max_retries: 3 }), {
    dialect: 'machine',
    app: 'shop',
    processGroup: 'worker',
    metadata: { team: 'web' },
    spec: {
      image: 'img',
      command: ['sh', '-c', 'exit 1'],
      entrypoint: '/bin/sh',
      env: [
        { key: 'A', value: '1' },
        { key: 'S', value: 'x', secret: true },
      ],
      memoryMb: 64,
    },
  });
  const read = workloadFromSwarmService({
    labels: swarmLabels(original),
    image: 'img',
    command: ['/bin/sh'],
    args: ['sh', '-c', 'exit 1'],
    env: ['A=1', 'S=x'],
    memoryBytes: 64 * 1024 * 1024,
  });
  expect(read).toEqual({ ...original, instances: [] });
  expect(
    workloadFromSwarmService({
      labels: { 'com.example': 'x' },
      image: 'img',
      command: [],
      args: [],
      env: [],
      memoryBytes: null,
    }),
  ).toBeNull();
});
