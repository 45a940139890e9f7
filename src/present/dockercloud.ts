/**
 * Docker Cloud's service and container objects, as `service inspect`, `service ps --json` and the
 * HTTP API show them (API.md): one place, so every way in gives the same fields.
 */
import { servicePolicyToWords } from '../core/dialects/dockercloud.js';
import { maskSecretEnv } from '../core/envVars.js';
import type { WorkloadEvent } from '../core/events.js';
import type { ObservedInstance, ObservedWorkload } from '../engine/observe.js';
import { dcDatetime, isoTime } from '../render/time.js';

/** A command as one line a person can read back: words with spaces or quotes are quoted. */
export const commandText = (command: string[]) => command.map((w) => (/[\s'"]/.test(w) ? JSON.stringify(w) : w)).join(' ');

export const containerObject = (instance: ObservedInstance, serviceUuid: string) => ({
  uuid: instance.container?.id ?? instance.record.containerId,
  name: instance.record.containerName,
  service: serviceUuid,
  state: instance.state,
  exit_code: instance.container?.exitCode ?? null,
  restarts: instance.record.restartCount,
  stopped_reason: instance.record.stoppedReason,
});

export const serviceObject = (observed: ObservedWorkload, events: WorkloadEvent[] = []) => {
  const { workload } = observed;
  const live = observed.instances.filter((i) => i.record.intent !== 'removed' && i.record.containerId);
  return {
    uuid: workload.id,
    resource_uri: `/api/app/v1/service/${workload.id}/`,
    name: workload.name,
    image_name: workload.spec.image,
    state: observed.state,
    ...servicePolicyToWords(workload.policy),
    target_num_containers: workload.targetInstances,
    current_num_containers: live.length,
    running_num_containers: live.filter((i) => i.state === 'Running').length,
    stopped_num_containers: live.filter((i) => i.state === 'Stopped').length,
    containers: observed.instances.map((i) => containerObject(i, workload.id)),
    run_command: workload.spec.command.length ? commandText(workload.spec.command) : null,
    entrypoint: workload.spec.entrypoint,
    container_envvars: maskSecretEnv(workload.spec.env),
    memory: workload.spec.memoryMb,
    deployed_datetime: dcDatetime(workload.deployedAt),
    started_datetime: dcDatetime(workload.startedAt),
    stopped_datetime: dcDatetime(workload.stoppedAt),
    destroyed_datetime: dcDatetime(workload.destroyedAt),
    restarts: observed.restarts,
    restart_policy: workload.policy,
    events: events.map((e) => ({ ...e, time: isoTime(e.time) })),
  };
};
