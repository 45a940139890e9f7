/** `m list [-a APP] [-q] [--json]`: live machines of one app (-a, or ./fly.toml's app), else of all apps. */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import { paint } from '../../render/colors.js';
import { appFromFlyToml } from './app.js';
import { machineObject } from '../../present/fly.js';
import { renderMachineTable } from './tables.js';

export interface ListMachinesFlags {
  app?: string;
  quiet?: boolean;
  json?: boolean;
}

export const listMachines = async (ctx: Context, flags: Flags<ListMachinesFlags>) => {
  const app = flags.app ?? appFromFlyToml();
  const machines = (await ctx.backend.observe('machine')).filter(
    (m) => m.workload.intent !== 'terminated' && (app === null || m.workload.app === app),
  );
  if (flags.json) return void ctx.io.stdout.write(JSON.stringify(machines.map((m) => machineObject(m)), null, 2) + '\n');
  if (flags.quiet) return void ctx.io.stdout.write(machines.map((m) => `${m.workload.id}\n`).join(''));
  const where = app === null ? 'all apps' : `app ${app}`;
  ctx.io.stderr.write(`${machines.length} machine${machines.length === 1 ? ' has' : 's have'} been retrieved from ${where}.\n`);
  if (machines.length > 0) ctx.io.stdout.write(renderMachineTable(await paint(ctx.color), machines));
};
