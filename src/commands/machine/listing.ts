/**
 * What `m list` prints for the observed machines of an app (null: every app). Also the launcher's
 * quick answer (launch/quick-listing.ts), so the two cannot print differently. Apart from list.ts,
 * which reads ./fly.toml: the quick bundle leaves that file to the CLI and carries no TOML parser.
 */
import type { Flags } from '../flags.js';
import type { ObservedWorkload } from '../../engine/observe.js';
import { paint } from '../../render/colors.js';
import { escapeControls } from '../../render/escape.js';
import { machineObject } from '../../present/fly.js';
import { renderMachineTable } from './tables.js';

export interface MachineListingFlags {
  quiet?: boolean;
  json?: boolean;
}

/** A listing's two streams: the table on stdout, flyctl's count line on stderr. */
export interface ListingOutput {
  stdout: string;
  stderr: string;
}

export const machineListing = async (
  observed: readonly ObservedWorkload[],
  app: string | null,
  flags: Flags<MachineListingFlags>,
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
