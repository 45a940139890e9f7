/** `m list [-a APP] [-q] [--json]`: live machines of one app (-a, or ./fly.toml's app), else of all apps. */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import { appFromFlyToml } from './app.js';
import { machineListing, type MachineListingFlags } from './listing.js';

export interface ListMachinesFlags extends MachineListingFlags {
  app?: string;
}

export const listMachines = async (ctx: Context, flags: Flags<ListMachinesFlags>) => {
  const app = flags.app ?? appFromFlyToml();
  const { stdout, stderr } = await machineListing(await ctx.backend.observe('machine'), app, flags, ctx.color);
  if (stderr) ctx.io.stderr.write(stderr);
  if (stdout) ctx.io.stdout.write(stdout);
};
