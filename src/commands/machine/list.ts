/** `m list [-a APP] [-q] [--json]`: live machines of one app (-a, or ./fly.toml's app), else of all apps. */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { paint } from '../../render/colors.js';
import { escapeControls } from '../../render/escape.js';
import { machineObject } from '../../present/fly.js';
import { appFromFlyToml } from './app.js';
import { renderMachineTable } from './tables.js';

export interface ListMachinesFlags {
  app?: string;
  quiet?: boolean;
  json?: boolean;
}

/** A listing's two streams: the table on stdout, flyctl's count line on stderr. */
interface ListingOutput {
  stdout: string;
  stderr: string;
}

/** What `m list` prints for the observed machines of an app (null: every app). */
export const machineListing = async (
  observed: readonly ObservedWorkload[],
  app: string | null,
  flags: Flags<Omit<ListMachinesFlags, 'app'>>,
  color: boolean,
): Promise<ListingOutput> => {
  const machines = observed.filter(
    (m) => m.workload.intent !== 'terminated' && (app === null || m.workload.app === app),
  );
  if (flags.json)
    return {
      stdout:
        JSON.stringify(
          machines.map((m) => machineObject(m)),
          null,
          2,
        ) + '\n',
      stderr: '',
    };
  if (flags.quiet) return { stdout: machines.map((m) => `${m.workload.id}\n`).join(''), stderr: '' };
  const where = app === null ? 'all apps' : `app ${escapeControls(app)}`;
  return {
    stdout: machines.length > 0 ? renderMachineTable(await paint(color), machines) : '',
    stderr: `${machines.length} machine${machines.length === 1 ? ' has' : 's have'} been retrieved from ${where}.\n`,
  };
};

export const listMachines = async (ctx: Context, flags: Flags<ListMachinesFlags>) => {
  const app = flags.app ?? appFromFlyToml();
  const { stdout, stderr } = await machineListing(await ctx.backend.observe('machine'), app, flags, ctx.color);
  if (stderr) ctx.io.stderr.write(stderr);
  if (stdout) ctx.io.stdout.write(stdout);
};
