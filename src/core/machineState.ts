/** Fly's words for a machine's state and its event log, derived from svc's own records. Pure. */
import type { WorkloadEvent } from './events.js';
import type { ServiceState } from './states.js';

export type FlyMachineState =
  'created' | 'starting' | 'started' | 'stopping' | 'stopped' | 'replacing' | 'destroying' | 'destroyed';

/** A machine is a one-instance workload, so the workload's state is the machine's. */
const FLY_STATE: Record<ServiceState, FlyMachineState> = {
  'Not running': 'created',
  Starting: 'starting',
  Running: 'started',
  'Partly running': 'started',
  Scaling: 'replacing',
  Redeploying: 'replacing',
  Stopping: 'stopping',
  Stopped: 'stopped',
  Terminating: 'destroying',
  Terminated: 'destroyed',
};

export const flyMachineState = (state: ServiceState): FlyMachineState => FLY_STATE[state];

/** One line of `m status`'s Event Logs. `give-up` is svc's own word: Fly has no event for a spent budget. */
export interface FlyEventRow {
  state: FlyMachineState;
  type: 'launch' | 'start' | 'stop' | 'exit' | 'restart' | 'destroy' | 'update' | 'give-up';
  source: 'flyd' | 'user';
  time: number;
  info: string;
  /** An exit's facts, as the Machines API's exit_event gives them. */
  exit?: { exitCode: number; oomKilled: boolean; requestedStop: boolean };
}

export const exitInfo = (exitCode: number, oomKilled: boolean, requestedStop: boolean): string =>
  `exit_code=${exitCode},oom_killed=${oomKilled},requested_stop=${requestedStop}`;

type Step = Pick<FlyEventRow, 'state' | 'type' | 'exit'> & { info?: string };

/** What a user action looks like in Fly's log; null: not shown (scale does not apply to machines). */
const userStep = (event: WorkloadEvent, state: FlyMachineState): Step | null => {
  switch (event.action) {
    case 'create':
      return { state: 'created', type: 'launch' };
    case 'start':
      return { state: 'started', type: 'start' };
    case 'redeploy':
      return { state: 'started', type: 'restart', info: 'new container' };
    case 'stop':
      return { state: 'stopped', type: 'stop' };
    case 'terminate':
      return { state: 'destroyed', type: 'destroy' };
    case 'update':
      return { state, type: 'update', info: event.reason };
    default:
      return null;
  }
};

/** What the supervisor did after an exit, shown after the exit itself. */
const supervisorStep = (event: WorkloadEvent): Step | null => {
  switch (event.action) {
    case 'restart':
    case 'replace':
      return { state: 'started', type: 'restart', info: event.reason };
    case 'destroy':
      return { state: 'destroyed', type: 'destroy', info: event.reason };
    case 'give-up':
      return { state: 'stopped', type: 'give-up', info: event.reason };
    default:
      return null; // leave-stopped: the exit row says it all
  }
};

/**
 * Rows newest first, as flyctl prints them. Events are read oldest first to carry the machine's
 * state forward and to know whether an exit followed a stop the user asked for (requested_stop).
 */
export const flyEventRows = (events: readonly WorkloadEvent[]): FlyEventRow[] => {
  const rows: FlyEventRow[] = [];
  let state: FlyMachineState = 'created';
  let stopRequested = false;
  const push = (event: WorkloadEvent, step: Step, source: FlyEventRow['source']) => {
    state = step.state;
    rows.push({
      state: step.state,
      type: step.type,
      source,
      time: event.time,
      info: step.info ?? '',
      ...(step.exit ? { exit: step.exit } : {}),
    });
  };
  for (const event of [...events].sort((a, b) => a.time - b.time)) {
    if (event.source === 'user') {
      if (event.action === 'stop' || event.action === 'terminate') stopRequested = true;
      if (event.action === 'start' || event.action === 'redeploy') stopRequested = false;
      const step = userStep(event, state);
      if (step) push(event, step, 'user');
      continue;
    }
    if (event.exitCode !== null) {
      const exit = { exitCode: event.exitCode, oomKilled: event.oomKilled ?? false, requestedStop: stopRequested };
      push(
        event,
        { state: 'stopped', type: 'exit', info: exitInfo(exit.exitCode, exit.oomKilled, exit.requestedStop), exit },
        'flyd',
      );
    }
    const step = supervisorStep(event);
    if (step) push(event, step, 'flyd');
  }
  return rows.reverse();
};
