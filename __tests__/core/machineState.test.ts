import type { EventAction, WorkloadEvent } from '../../src/core/events.js';
import { flyEventRows, flyMachineState } from '../../src/core/machineState.js';
import type { ServiceState } from '../../src/core/states.js';

let clock = 0;
const event = (
  action: EventAction,
  source: 'user' | 'supervisor',
  extra: Partial<WorkloadEvent> = {},
): WorkloadEvent => ({
  time: (clock += 1000),
  workloadId: 'abcdef01234567',
  workloadName: 'quiet-river-4821',
  instance: source === 'user' ? null : 1,
  containerId: null,
  exitCode: null,
  oomKilled: null,
  action,
  reason: `${action} reason`,
  source,
  ...extra,
});
const exited = (action: EventAction, exitCode: number, oomKilled = false) =>
  event(action, 'supervisor', { exitCode, oomKilled, containerId: 'c1' });

/** The rows as [state, event, source, info], oldest first, which reads easier in a table. */
const table = (events: WorkloadEvent[]) =>
  flyEventRows(events)
    .reverse()
    .map((r) => [r.state, r.type, r.source, r.info]);

describe('flyMachineState', () => {
  it.each<[ServiceState, string]>([
    ['Not running', 'created'],
    ['Starting', 'starting'],
    ['Running', 'started'],
    ['Stopping', 'stopping'],
    ['Stopped', 'stopped'],
    ['Redeploying', 'replacing'],
    ['Terminating', 'destroying'],
    ['Terminated', 'destroyed'],
  ])('%s -> %s', (state, fly) => expect(flyMachineState(state)).toBe(fly));
});

describe('flyEventRows: the Event Logs of m status', () => {
  beforeEach(() => void (clock = 0));

  it('shows user actions with Fly event types and crash restarts with their exits', () => {
    expect(
      table([event('create', 'user'), event('start', 'user'), exited('restart', 1), exited('give-up', 3)]),
    ).toEqual([
      ['created', 'launch', 'user', ''],
      ['started', 'start', 'user', ''],
      ['stopped', 'exit', 'flyd', 'exit_code=1,oom_killed=false,requested_stop=false'],
      ['started', 'restart', 'flyd', 'restart reason'],
      ['stopped', 'exit', 'flyd', 'exit_code=3,oom_killed=false,requested_stop=false'],
      ['stopped', 'give-up', 'flyd', 'give-up reason'],
    ]);
  });

  it('marks an exit after a user stop as requested, and forgets that on the next start', () => {
    expect(
      table([
        event('start', 'user'),
        event('stop', 'user'),
        exited('destroy', 0),
        event('start', 'user'),
        exited('leave-stopped', 137, true),
      ]),
    ).toEqual([
      ['started', 'start', 'user', ''],
      ['stopped', 'stop', 'user', ''],
      ['stopped', 'exit', 'flyd', 'exit_code=0,oom_killed=false,requested_stop=true'],
      ['destroyed', 'destroy', 'flyd', 'destroy reason'],
      ['started', 'start', 'user', ''],
      ['stopped', 'exit', 'flyd', 'exit_code=137,oom_killed=true,requested_stop=false'],
    ]);
  });

  it('keeps the current state on an update, and shows destroys and redeploys', () => {
    expect(
      table([event('start', 'user'), event('update', 'user'), event('redeploy', 'user'), event('terminate', 'user')]),
    ).toEqual([
      ['started', 'start', 'user', ''],
      ['started', 'update', 'user', 'update reason'],
      ['started', 'restart', 'user', 'new container'],
      ['destroyed', 'destroy', 'user', ''],
    ]);
  });

  it('lists newest first, whatever order the events come in', () => {
    const rows = flyEventRows([event('create', 'user'), event('start', 'user')].reverse());
    expect(rows.map((r) => r.type)).toEqual(['start', 'launch']);
  });
});
