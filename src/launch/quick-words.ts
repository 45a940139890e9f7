/**
 * The command lines the launcher answers with the quick listing bundle (quick-listing.ts) rather
 * than the CLI, read as the CLI's commander program reads them:
 *   service ps           -q/--quiet, --json, -s/--status STATE (or --status=STATE), --no-color
 *   m list, machine list -a/--app APP (or --app=APP), -q/--quiet, --json, --no-color
 * Anything else (help, an alias, an unknown or misspelt flag, a state that does not exist, -q with
 * --json, joined short flags, `--`) is null: the CLI answers it, with its own messages and exit codes.
 * So is `m list` without -a beside a ./fly.toml: the CLI reads its app, or says the file is broken.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Flags } from '../commands/flags.js';
import type { ListFlags } from '../commands/service/ps.js';
import type { MachineListingFlags } from '../commands/machine/listing.js';
import { SERVICE_STATES, stateNamed } from '../core/states.js';

/** False with --no-color. */
interface ColorFlag {
  color: boolean;
}

export interface QuickServicePsFlags extends Flags<ListFlags>, ColorFlag {}

export interface QuickMachineListFlags extends Flags<MachineListingFlags>, ColorFlag {
  app: string | undefined;
}

export type QuickListing =
  { command: 'service ps'; flags: QuickServicePsFlags } | { command: 'm list'; flags: QuickMachineListFlags };

/**
 * The flags both listings share, each with its value option: the value of `-x VALUE`, `--long VALUE`
 * or `--long=VALUE` goes to `take`, which says whether it is one the CLI accepts. A repeated option
 * is read as commander reads it: the last one counts, and each must be accepted. Null: not for us.
 */
const readFlags = <F extends ColorFlag & { quiet?: boolean; json?: boolean }>(
  rest: readonly string[],
  flags: F,
  value: { short: string; long: string; take: (flags: F, value: string) => boolean },
): F | null => {
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === '-q' || word === '--quiet') flags.quiet = true;
    else if (word === '--json') flags.json = true;
    else if (word === '--no-color') flags.color = false;
    else {
      const given =
        word === value.short || word === value.long
          ? rest[++i]
          : word.startsWith(`${value.long}=`)
            ? word.slice(value.long.length + 1)
            : undefined;
      if (given === undefined || !value.take(flags, given)) return null;
    }
  }
  return flags.quiet && flags.json ? null : flags;
};

/** `words`: the command line after `svc`. */
export const quickServicePsFlags = (words: readonly string[]): QuickServicePsFlags | null => {
  if (words[0] !== 'service' || words[1] !== 'ps') return null;
  return readFlags<QuickServicePsFlags>(
    words.slice(2),
    { quiet: undefined, status: undefined, json: undefined, color: true },
    {
      short: '-s',
      long: '--status',
      take: (flags, word) => {
        flags.status = stateNamed(SERVICE_STATES, word);
        return flags.status !== undefined;
      },
    },
  );
};

/** `words`: the command line after `svc`. */
export const quickMachineListFlags = (words: readonly string[]): QuickMachineListFlags | null => {
  if ((words[0] !== 'm' && words[0] !== 'machine') || words[1] !== 'list') return null;
  return readFlags<QuickMachineListFlags>(
    words.slice(2),
    { app: undefined, quiet: undefined, json: undefined, color: true },
    {
      short: '-a',
      long: '--app',
      take: (flags, word) => {
        // A name that looks like a flag is left to the CLI, whatever it makes of it.
        if (word.startsWith('-')) return false;
        flags.app = word;
        return true;
      },
    },
  );
};

/** Decided here, before the quick bundle is loaded: in a Fly project's directory it would only decline. */
export const quickListingFor = (words: readonly string[], cwd: string = process.cwd()): QuickListing | null => {
  const servicePs = quickServicePsFlags(words);
  if (servicePs) return { command: 'service ps', flags: servicePs };
  const machineList = quickMachineListFlags(words);
  if (!machineList || (machineList.app === undefined && fs.existsSync(path.join(cwd, 'fly.toml')))) return null;
  return { command: 'm list', flags: machineList };
};
