/** The `service ps` and `container ps` tables; the objects of --json are in present/dockercloud.ts. */
import { servicePolicyToWords } from '../../core/dialects/dockercloud.js';
import type { ObservedInstance, ObservedWorkload } from '../../engine/observe.js';
import { commandText } from '../../present/dockercloud.js';
import { renderState, type Palette } from '../../render/colors.js';
import { renderTableWithOptionalColumns } from '../../render/table.js';
import { relativeTime } from '../../render/time.js';

export const SERVICE_PS_HEADERS = [
  'NAME',
  'UUID',
  'STATUS',
  '#CONTAINERS',
  'IMAGE',
  'DEPLOYED',
  'AUTORESTART',
  'RESTARTS',
];

export const renderServiceTable = (chalk: Palette, services: ObservedWorkload[], now: number): string =>
  renderTableWithOptionalColumns(
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
    [{ header: 'BACKEND', cells: services.map((s) => s.workload.backend) }],
  );

export const CONTAINER_PS_HEADERS = [
  'NAME',
  'UUID',
  'STATUS',
  'IMAGE',
  'RUN COMMAND',
  'EXIT CODE',
  'DEPLOYED',
  'RESTARTS',
];

export interface ContainerRow {
  service: ObservedWorkload;
  instance: ObservedInstance;
}

export const renderContainerTable = (chalk: Palette, rows: ContainerRow[], now: number, noTrunc: boolean): string =>
  renderTableWithOptionalColumns(
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
    [{ header: 'NODE', cells: rows.map(({ instance }) => instance.container?.node ?? '') }],
  );
