/** `service ps [-q] [-s STATE] [--json]` */
import type { Context } from '../../context.js';
import { observeAll } from '../../engine/observe.js';
import { paint } from '../../render/colors.js';
import { renderServiceTable, serviceObject } from './present.js';

export interface ListFlags {
  quiet?: boolean;
  status?: string;
  json?: boolean;
}

export const matchesState = (state: string, wanted: string | undefined) =>
  wanted === undefined || state.toLowerCase() === wanted.trim().toLowerCase();

export const listServices = async (ctx: Context, flags: ListFlags) => {
  const services = (await observeAll(ctx, 'service')).filter((s) => matchesState(s.state, flags.status));
  if (flags.json) return void ctx.io.stdout.write(JSON.stringify(services.map((s) => serviceObject(s)), null, 2) + '\n');
  if (flags.quiet) return void ctx.io.stdout.write(services.map((s) => `${s.workload.id}\n`).join(''));
  ctx.io.stdout.write(renderServiceTable(paint(ctx.color), services, ctx.clock.now()));
};
