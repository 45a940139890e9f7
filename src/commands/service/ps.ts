/** `service ps [-q] [-s STATE] [--json]` */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { ObservedWorkload } from '../../engine/observe.js';
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

export const matchesState = <State extends string>(state: State, wanted: State | undefined) =>
  wanted === undefined || state === wanted;

/** What `service ps` prints for the observed services. */
const serviceListing = async (
  observed: readonly ObservedWorkload[],
  flags: Flags<ListFlags>,
  color: boolean,
  now: number,
): Promise<string> => {
  const services = observed.filter((s) => matchesState(s.state, flags.status));
  if (flags.json)
    return (
      JSON.stringify(
        services.map((s) => serviceObject(s)),
        null,
        2,
      ) + '\n'
    );
  if (flags.quiet) return services.map((s) => `${s.workload.id}\n`).join('');
  return renderServiceTable(await paint(color), services, now);
};

export const listServices = async (ctx: Context, flags: Flags<ListFlags>) =>
  void ctx.io.stdout.write(
    await serviceListing(await ctx.backend.observe('service'), flags, ctx.color, ctx.clock.now()),
  );
