/** `service inspect ID...`: the DC service object, with restart counts and recent events. */
import type { Context } from '../../context.js';
import { resolveAmong } from '../../engine/resolve.js';
import { workloadEvents } from '../../operations/events.js';
import { serviceObject } from '../../present/dockercloud.js';
import { forEachIdentifier } from '../resolve.js';

export const RECENT_EVENTS = 20;

export const inspectServices = async (ctx: Context, identifiers: string[]) => {
  const observed = await ctx.backend.observe('service');
  const workloads = observed.map((o) => o.workload);
  const objects: object[] = [];
  try {
    await forEachIdentifier(ctx, identifiers, async (identifier) => {
      const workload = resolveAmong(workloads, 'service', identifier);
      const found = observed.find((o) => o.workload.id === workload.id);
      if (found)
        objects.push(serviceObject(found, { events: (await workloadEvents(ctx, workload.id)).slice(-RECENT_EVENTS) }));
    });
  } finally {
    // What was found is printed even when another identifier failed.
    if (objects.length)
      ctx.io.stdout.write(JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2) + '\n');
  }
};
