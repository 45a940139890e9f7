/**
 * The Fly Machines API's machine and event objects, as `m list --json` and the HTTP API show them
 * (API.md), and the facts of a machine that `m status` prints: one place, so every way in gives the
 * same fields.
 */
import type { WorkloadEvent } from '../core/events.js';
import { imageReferenceParts } from '../core/imageRef.js';
import { machineConfigFor } from '../core/machineConfig.js';
import { flyEventRows, flyMachineState } from '../core/machineState.js';
import type { Workload } from '../core/workload.js';
import type { ObservedWorkload } from '../engine/observe.js';
import { swarmPolicyFields } from './dockercloud.js';

/** Every machine of svc runs on this one host, which stands in for Fly's region. */
export const REGION = 'local';

/** RFC 3339 without milliseconds, as flyctl's tables print times. */
export const flyTime = (ms: number | null): string =>
  ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Fly's updated_at moves with every start, stop and change; svc's last such moment is the closest. */
export const updatedAt = (w: Workload): number =>
  Math.max(w.createdAt, w.deployedAt ?? 0, w.startedAt ?? 0, w.stoppedAt ?? 0, w.destroyedAt ?? 0);

/** Fly's instance id changes with every new VM; a new container plays that part here. */
export const instanceId = (observed: ObservedWorkload): string =>
  observed.instances.find((i) => i.record.intent !== 'removed')?.record.containerId?.slice(0, 12) ??
  observed.instances.at(-1)?.record.containerId?.slice(0, 12) ??
  '';

/** The image reference in the parts Fly's image_ref has. */
const imageRef = (image: string) => ({ ...imageReferenceParts(image), labels: {} });

/** One entry of a machine's event list in the Machines API. */
export interface MachineEventObject {
  id: string;
  type: string;
  status: string;
  source: 'user' | 'flyd';
  timestamp: number;
  request?:
    | {
        exit_event: {
          exit_code: number;
          oom_killed: boolean;
          requested_stop: boolean;
          restarting: boolean;
          exited_at: string;
        };
        restart_count: number;
      }
    | { reason: string };
}

/**
 * A machine's events as the Machines API lists them, newest first: exits carry exit_event (restarting
 * when the supervisor answered with a restart) and the restart count so far, as Fly's do. Ids are
 * stable: the event's time, and its place among those of the same millisecond.
 */
export const machineEventObjects = (events: readonly WorkloadEvent[]): MachineEventObject[] => {
  const rows = flyEventRows(events).reverse();
  const restartedBySupervisor = (index: number) =>
    rows[index + 1]?.type === 'restart' && rows[index + 1]?.source === 'flyd';
  let restarts = 0;
  /** How many rows so far had each time: a row's place among those of its millisecond. */
  const seenAtTime = new Map<number, number>();
  return rows
    .map((row, index): MachineEventObject => {
      if (row.type === 'restart' && row.source === 'flyd') restarts += 1;
      const sameTimeBefore = seenAtTime.get(row.time) ?? 0;
      seenAtTime.set(row.time, sameTimeBefore + 1);
      const base = {
        id: `${row.time.toString(36)}${sameTimeBefore > 0 ? `-${sameTimeBefore}` : ''}`,
        type: row.type,
        status: row.state,
        source: row.source,
        timestamp: row.time,
      };
      if (row.exit) {
        const exit_event = {
          exit_code: row.exit.exitCode,
          oom_killed: row.exit.oomKilled,
          requested_stop: row.exit.requestedStop,
          restarting: restartedBySupervisor(index),
          exited_at: new Date(row.time).toISOString(),
        };
        return { ...base, request: { exit_event, restart_count: restarts } };
      }
      return row.info ? { ...base, request: { reason: row.info } } : base;
    })
    .reverse();
};

export const machineObject = (observed: ObservedWorkload, events?: readonly WorkloadEvent[]) => {
  const { workload } = observed;
  return {
    id: workload.id,
    name: workload.name,
    state: flyMachineState(observed.state),
    region: REGION,
    instance_id: instanceId(observed),
    // Containers get no network from svc: there is no private address to give.
    private_ip: '',
    app: workload.app,
    image_ref: imageRef(workload.spec.image),
    created_at: new Date(workload.createdAt).toISOString(),
    updated_at: new Date(updatedAt(workload)).toISOString(),
    restarts: observed.restarts,
    backend: workload.backend,
    ...swarmPolicyFields(workload),
    config: machineConfigFor(workload),
    ...(events ? { events: machineEventObjects(events) } : {}),
  };
};
