/** Container and service states as DC shows them, derived from the user's intent and Docker's own word. */
import {
  containerState,
  OPERATION_STALE_AFTER_MS,
  serviceState,
  type ContainerState,
  type ServiceState,
} from '../../src/core/states.js';
import {
  newInstance,
  type InstanceIntent,
  type InstanceRecord,
  type PendingAction,
  type UserOperation,
  type WorkloadIntent,
} from '../../src/core/workload.js';
import { workloadRecord } from '../helpers/store-fixtures.js';

const PENDING: PendingAction = {
  action: 'restart',
  exitKey: 'c1@1000',
  exitCode: 1,
  oomKilled: false,
  finishedAt: 1000,
  decidedAt: 1000,
  delayMs: 100,
  dueAt: 1100,
  reason: 'exit code 1; restart policy on-failure; back-off 100 ms',
};

const instance = (
  intent: InstanceIntent,
  { containerId = 'c1', pending = null }: { containerId?: string | null; pending?: PendingAction | null } = {},
): InstanceRecord => ({
  ...newInstance(1, 'web-1'),
  intent,
  containerId,
  pending,
});

describe('containerState', () => {
  test.each<[string, ContainerState, InstanceRecord, string | null]>([
    ['gone, removed by the user', 'Terminated', instance('removed'), null],
    ['gone, though it had a container (removed outside svc)', 'Terminated', instance('running'), null],
    ['gone, and never had a container', 'Stopped', instance('running', { containerId: null }), null],
    ['gone, stopped and never created', 'Stopped', instance('stopped', { containerId: null }), null],
    ['being removed', 'Terminating', instance('removed'), 'removing'],
    ['running as wanted', 'Running', instance('running'), 'running'],
    ['still running after the user asked it to stop', 'Stopping', instance('stopped'), 'running'],
    ['still running after the user removed it', 'Stopping', instance('removed'), 'running'],
    ["restarting (Docker's own restart)", 'Starting', instance('stopped'), 'restarting'],
    ['created, about to be started', 'Starting', instance('running'), 'created'],
    ['created, but the user stopped it', 'Stopped', instance('stopped'), 'created'],
    [
      'created, Docker refused to start it and its policy gave up',
      'Stopped',
      {
        ...instance('running'),
        stoppedReason:
          'could not start: exec: "/nonexistent": stat /nonexistent: no such file or directory; exit code 127; restart budget spent',
      },
      'created',
    ],
    [
      'created, Docker refused to start it and a restart is pending',
      'Starting',
      instance('running', { pending: PENDING }),
      'created',
    ],
    ['exited with a restart pending', 'Starting', instance('running', { pending: PENDING }), 'exited'],
    ['exited with nothing pending (left stopped)', 'Stopped', instance('running'), 'exited'],
    ['exited with a pending action the user overtook', 'Stopped', instance('stopped', { pending: PENDING }), 'exited'],
    ['exited after a user stop', 'Stopped', instance('stopped'), 'exited'],
    ['dead', 'Stopped', instance('running'), 'dead'],
    [
      'dead with a replace pending',
      'Starting',
      instance('running', { pending: { ...PENDING, action: 'replace' } }),
      'dead',
    ],
  ])('%s -> %s', (_what, expected, record, dockerState) => {
    expect(containerState(record, dockerState)).toBe(expected);
  });
});

describe('serviceState', () => {
  const NOW = 10 * OPERATION_STALE_AFTER_MS;

  const service = (
    intent: WorkloadIntent,
    targetInstances = 1,
    operation: { kind: UserOperation; since: number } | null = null,
  ) => workloadRecord('w1', { intent, targetInstances, operation });

  test.each<[string, ServiceState, ReturnType<typeof service>, ContainerState[]]>([
    [
      'a user operation in progress names the state',
      'Scaling',
      service('running', 1, { kind: 'Scaling', since: NOW - 1000 }),
      ['Running'],
    ],
    ['even over a terminated intent', 'Terminating', service('terminated', 1, { kind: 'Terminating', since: NOW }), []],
    [
      'an operation just under the stale time still counts',
      'Stopping',
      service('stopped', 1, { kind: 'Stopping', since: NOW - OPERATION_STALE_AFTER_MS + 1 }),
      ['Running'],
    ],
    [
      'an operation at the stale time died with its process',
      'Running',
      service('running', 1, { kind: 'Redeploying', since: NOW - OPERATION_STALE_AFTER_MS }),
      ['Running'],
    ],
    ['terminated, whatever Docker says', 'Terminated', service('terminated'), ['Running']],
    ['never started', 'Not running', service('not-started'), ['Stopped']],
    ['stopped, one container still running', 'Stopping', service('stopped', 2), ['Running', 'Stopped']],
    ['stopped, all down', 'Stopped', service('stopped', 2), ['Stopped', 'Stopped']],
    ['running, no containers at all', 'Stopped', service('running'), []],
    ['running, none up, one starting', 'Starting', service('running', 2), ['Stopped', 'Starting']],
    ['running, all down', 'Stopped', service('running', 2), ['Stopped', 'Terminated']],
    ['running, fewer up than the target', 'Partly running', service('running', 3), ['Running', 'Starting', 'Stopped']],
    ['running, all up', 'Running', service('running', 2), ['Running', 'Running']],
    [
      'running, more up than the target (a scale-down under way)',
      'Running',
      service('running', 1),
      ['Running', 'Running'],
    ],
  ])('%s -> %s', (_what, expected, workload, containers) => {
    expect(serviceState(workload, containers, NOW)).toBe(expected);
  });
});
