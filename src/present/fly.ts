/**
 * The Fly Machines API's machine object, as `m list --json` and the HTTP API show it (API.md), and
 * the facts of it that `m status` prints: one place, so every way in gives the same fields.
 */
import { machineConfigFor } from '../core/machineConfig.js';
import { flyMachineState } from '../core/machineState.js';
import type { Workload } from '../core/workload.js';
import type { ObservedWorkload } from '../engine/observe.js';

/** Every machine of svc runs on this one host, which stands in for Fly's region. */
export const REGION = 'local';

/** RFC 3339 without milliseconds, as flyctl's tables print times. */
export const flyTime = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** Fly's updated_at moves with every start, stop and change; svc's last such moment is the closest. */
export const updatedAt = (w: Workload): number =>
  Math.max(w.createdAt, w.deployedAt ?? 0, w.startedAt ?? 0, w.stoppedAt ?? 0, w.destroyedAt ?? 0);

/** Fly's instance id changes with every new VM; a new container plays that part here. */
export const instanceId = (observed: ObservedWorkload): string =>
  observed.instances.find((i) => i.record.intent !== 'removed')?.record.containerId?.slice(0, 12) ??
  observed.instances.at(-1)?.record.containerId?.slice(0, 12) ??
  '';

const imageRef = (image: string) => {
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tagged = colon > slash;
  return { repository: tagged ? image.slice(0, colon) : image, tag: tagged ? image.slice(colon + 1) : 'latest' };
};

export const machineObject = (observed: ObservedWorkload) => {
  const { workload } = observed;
  return {
    id: workload.id,
    name: workload.name,
    state: flyMachineState(observed.state),
    region: REGION,
    instance_id: instanceId(observed),
    app: workload.app,
    image_ref: imageRef(workload.spec.image),
    created_at: new Date(workload.createdAt).toISOString(),
    updated_at: new Date(updatedAt(workload)).toISOString(),
    restarts: observed.restarts,
    config: machineConfigFor(workload),
  };
};
