/** `service ps [-q] [-s STATE] [--json]` */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { ServiceState } from '../../core/states.js';
import { paint } from '../../render/colors.js';
import { serviceObject } from '../../present/dockercloud.js';
import { renderServiceTable } from './tables.js';

export interface ListFlags<State extends string = ServiceState> {
  quiet?: boolean;
  /** Already one of the states, as the CLI checked it. */
  status?: State;
  json?: boolean;
}

export const matchesState = <State extends string>(state: State, wanted: State | undefined) => wanted === undefined || state === wanted;

export const listServices = async (ctx: Context, flags: Flags<ListFlags>) => {
  const services = (await ctx.backend.observe('service')).filter((s) => matchesState(s.state, flags.status));
  if (flags.json) return void ctx.io.stdout.write(JSON.stringify(services.map((s) => serviceObject(s)), null, 2) + '\n');
  if (flags.quiet) return void ctx.io.stdout.write(services.map((s) => `${s.workload.id}\n`).join(''));
  ctx.io.stdout.write(renderServiceTable(await paint(ctx.color), services, ctx.clock.now()));
};
