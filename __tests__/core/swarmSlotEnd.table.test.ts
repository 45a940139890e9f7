/**
 * The swarm's give-up judgement, one row per way a slot's last task can end: whether the swarm
 * will start no new task, and why (the policy says so, or the swarm gave up). Pure, on a fixed now.
 */
import { servicePolicyFromWords, type ServicePolicyWords } from '../../src/core/dialects/dockercloud.js';
import { machinePolicyFromConfig } from '../../src/core/dialects/fly.js';
import type { RestartPolicy } from '../../src/core/policy.js';
import { REPLACEMENT_GRACE_MS, slotEnd, type TaskRun } from '../../src/core/swarmSlotEnd.js';

const NOW = 1_800_000_000_000;
const words = (autorestart: string, autoreplace = 'OFF') =>
  servicePolicyFromWords({ autorestart, autoreplace, autodestroy: 'OFF' } as ServicePolicyWords);
const flyOnFailure = (maxRetries: number) => machinePolicyFromConfig({ policy: 'on-failure', max_retries: maxRetries });

/** A task that reached `state` `ago` ms before now. */
const task = (state: string, ago: number, fields: Partial<TaskRun> = {}): TaskRun => ({
  state,
  desiredState: 'shutdown',
  exitCode: state === 'complete' ? 0 : state === 'failed' ? 1 : null,
  time: NOW - ago,
  ...fields,
});
const failures = (count: number, apart: number) =>
  Array.from({ length: count }, (_, i) => task('failed', (count - i) * apart));

test.each<[string, RestartPolicy, TaskRun[], string | null]>([
  ['no task yet', words('ALWAYS'), [], null],
  ['running', words('ALWAYS'), [task('running', 10_000, { desiredState: 'running' })], null],
  [
    'failed, a restart waiting out its delay (desired ready)',
    words('ALWAYS'),
    [task('failed', 60_000, { desiredState: 'ready' })],
    null,
  ],
  [
    'failed, the swarm still means it to run',
    words('ALWAYS'),
    [task('failed', 60_000, { desiredState: 'running' })],
    null,
  ],
  ['shut down by the swarm for a change (not ended by itself)', words('ALWAYS'), [task('shutdown', 60_000)], null],
  [
    'failed while the slot is being removed (scaled down)',
    words('ALWAYS'),
    [task('failed', 60_000, { desiredState: 'remove' })],
    null,
  ],
  [
    'policy never',
    words('OFF'),
    [task('failed', 0)],
    'leave-stopped: restart policy never: the swarm starts no new task',
  ],
  [
    'no retries (Fly on-failure, max_retries 0)',
    flyOnFailure(0),
    [task('failed', 0)],
    'leave-stopped: restart policy on-failure with no retries: the swarm starts no new task',
  ],
  [
    'clean exit under on-failure',
    words('ON_FAILURE'),
    [task('complete', 0)],
    'leave-stopped: exit code 0: restart policy on-failure restarts only a failure',
  ],
  ['clean exit under always, just now: a new task is still coming', words('ALWAYS'), [task('complete', 0)], null],
  [
    'Tutum ON_FAILURE: a fourth failure in the window spends the 3 attempts',
    words('ON_FAILURE', 'ON_FAILURE'),
    failures(4, 1_000),
    "give-up: the swarm's restart policy gave up (3 attempts in 60 s)",
  ],
  [
    'Tutum ON_FAILURE: three failures in the window, a new task may still come',
    words('ON_FAILURE', 'ON_FAILURE'),
    failures(3, 1_000),
    null,
  ],
  [
    'Tutum ON_FAILURE: failures spread wider than the window do not add up',
    words('ON_FAILURE', 'ON_FAILURE'),
    [task('failed', 200_000), task('failed', 130_000), task('failed', 65_000), task('failed', 0)],
    null,
  ],
  [
    'failed within the grace: the swarm is taken to be replacing it',
    words('ALWAYS'),
    [task('failed', REPLACEMENT_GRACE_MS)],
    null,
  ],
  [
    'failed past the grace with no new task',
    words('ALWAYS'),
    [task('failed', REPLACEMENT_GRACE_MS + 1)],
    `give-up: the swarm started no new task within ${REPLACEMENT_GRACE_MS / 1000} s`,
  ],
])('%s', (_name, policy, history, expected) => {
  const end = slotEnd({ policy }, history, NOW);
  expect(end && `${end.action}: ${end.reason}`).toBe(expected);
});
