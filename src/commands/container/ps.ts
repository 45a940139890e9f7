/** `container ps [-q] [-s STATE] [--service ID] [--no-trunc] [--json]` */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { ContainerState } from '../../core/states.js';
import { paint } from '../../render/colors.js';
import { resolveAmong } from '../../engine/resolve.js';
import { containerObject } from '../../present/dockercloud.js';
import { renderContainerTable, type ContainerRow } from '../service/tables.js';
import { matchesState, type ListFlags } from '../service/ps.js';

export interface ContainerListFlags extends ListFlags<ContainerState> {
  service?: string;
  trunc?: boolean;
}

export const listContainers = async (ctx: Context, flags: Flags<ContainerListFlags>) => {
  const services = await ctx.backend.observe('service');
  const onlyService =
    flags.service === undefined
      ? undefined
      : resolveAmong(
          services.map((s) => s.workload),
          'service',
          flags.service,
        ).id;
  const rows: ContainerRow[] = services
    .filter((s) => onlyService === undefined || s.workload.id === onlyService)
    .flatMap((service) =>
      service.instances
        .filter((instance) => instance.record.containerId !== null)
        .map((instance) => ({ service, instance })),
    )
    .filter((row) => matchesState(row.instance.state, flags.status));
  if (flags.json) {
    const objects = rows.map((r) => ({
      ...containerObject(r.instance, r.service.workload.id),
      image_name: r.service.workload.spec.image,
    }));
    return void ctx.io.stdout.write(JSON.stringify(objects, null, 2) + '\n');
  }
  if (flags.quiet) return void ctx.io.stdout.write(rows.map((r) => `${r.instance.record.containerId}\n`).join(''));
  ctx.io.stdout.write(renderContainerTable(await paint(ctx.color), rows, ctx.clock.now(), flags.trunc === false));
};
