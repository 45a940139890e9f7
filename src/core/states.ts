/** Service and container states as DC shows them (SPEC §3), derived from intent and what Docker reports. */
import type { InstanceRecord, Workload } from './workload.js';

export const SERVICE_STATES = [
  'Not running',
  'Starting',
  'Running',
  'Partly running',
  'Scaling',
  'Redeploying',
  'Stopping',
  'Stopped',
  'Terminating',
  'Terminated',
] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const CONTAINER_STATES = ['Starting', 'Running', 'Stopping', 'Stopped', 'Terminating', 'Terminated'] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

/** The state a user typed (`-s running`, `-s 'partly RUNNING'`): case-insensitive; undefined when none is called so. */
export const stateNamed = <S extends string>(states: readonly S[], word: string): S | undefined =>
  states.find((state) => state.toLowerCase() === word.trim().toLowerCase());

/** A user operation older than this is taken to have died with its process. */
export const OPERATION_STALE_AFTER_MS = 5 * 60 * 1000;

/** `dockerState` is Docker's own word (running, exited ...) or null when the container is gone. */
export const containerState = (instance: InstanceRecord, dockerState: string | null): ContainerState => {
  if (dockerState === null) return instance.intent === 'removed' || instance.containerId ? 'Terminated' : 'Stopped';
  if (dockerState === 'removing') return 'Terminating';
  if (dockerState === 'running') return instance.intent === 'running' ? 'Running' : 'Stopping';
  if (dockerState === 'restarting') return 'Starting';
  // A container Docker refused to start stays `created`: once its policy gave up (a stopped reason) it is Stopped, not Starting.
  if (
    instance.intent === 'running' &&
    ((dockerState === 'created' && instance.stoppedReason === null) || instance.pending !== null)
  )
    return 'Starting';
  return 'Stopped';
};

export const serviceState = (
  workload: Workload,
  containerStates: readonly ContainerState[],
  now: number,
): ServiceState => {
  if (workload.operation && now - workload.operation.since < OPERATION_STALE_AFTER_MS) return workload.operation.kind;
  if (workload.intent === 'terminated') return 'Terminated';
  if (workload.intent === 'not-started') return 'Not running';
  const running = containerStates.filter((s) => s === 'Running').length;
  if (workload.intent === 'stopped') return running > 0 ? 'Stopping' : 'Stopped';
  if (running === 0) return containerStates.some((s) => s === 'Starting') ? 'Starting' : 'Stopped';
  return running < workload.targetInstances ? 'Partly running' : 'Running';
};

/** The symbol DC's ps puts before a state. */
export const stateSymbol = (state: ServiceState | ContainerState): string => {
  switch (state) {
    case 'Running':
      return '▶';
    case 'Partly running':
      return '◼';
    case 'Stopped':
    case 'Not running':
      return '◼';
    case 'Terminated':
      return '✘';
    default:
      return '⚙';
  }
};
