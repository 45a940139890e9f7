/** The DC service object (inspect, --json) and the `service ps` / `container ps` tables. */
import type { ChalkInstance } from 'chalk';
import { servicePolicyToWords } from '../../core/dialects/dockercloud.js';
import { maskSecretEnv } from '../../core/envVars.js';
import type { WorkloadEvent } from '../../core/events.js';
import type { ObservedInstance, ObservedWorkload } from '../../engine/observe.js';
import { renderState } from '../../render/colors.js';
import { renderTable } from '../../render/table.js';
import { dcDatetime, isoTime, relativeTime } from '../../render/time.js';

const commandText = (command: string[]) => command.map((w) => (/[\s'"]/.test(w) ? JSON.stringify(w) : w)).join(' ');

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

export const SERVICE_PS_HEADERS = ['NAME', 'UUID', 'STATUS', '#CONTAINERS', 'IMAGE', 'DEPLOYED', 'AUTORESTART', 'RESTARTS'];

export const renderServiceTable = (chalk: ChalkInstance, services: ObservedWorkload[], now: number): string =>
  renderTable(
    SERVICE_PS_HEADERS,
    services.map((s) => [
      s.workload.name,
      s.workload.id.slice(0, 8),
      renderState(chalk, s.state),
      String(s.instances.filter((i) => i.record.intent !== 'removed' && i.record.containerId).length),
      s.workload.spec.image,
      relativeTime(s.workload.deployedAt, now),
      servicePolicyToWords(s.workload.policy).autorestart,
      String(s.restarts),
    ]),
  );

export const CONTAINER_PS_HEADERS = ['NAME', 'UUID', 'STATUS', 'IMAGE', 'RUN COMMAND', 'EXIT CODE', 'DEPLOYED', 'RESTARTS'];

export interface ContainerRow {
  service: ObservedWorkload;
  instance: ObservedInstance;
}

export const renderContainerTable = (chalk: ChalkInstance, rows: ContainerRow[], now: number, noTrunc: boolean): string =>
  renderTable(
    CONTAINER_PS_HEADERS,
    rows.map(({ service, instance }) => {
      const id = instance.record.containerId ?? '';
      return [
        instance.record.containerName,
        noTrunc ? id : id.slice(0, 8),
        renderState(chalk, instance.state),
        service.workload.spec.image,
        commandText(service.workload.spec.command),
        instance.container?.exitCode === null || instance.container === null ? '' : String(instance.container.exitCode),
        relativeTime(instance.record.lastStartedAt ?? service.workload.deployedAt, now),
        String(instance.record.restartCount),
      ];
    }),
  );
