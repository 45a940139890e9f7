/**
 * The command lines the launcher answers with the quick `service ps` (quick-service-ps.ts) rather
 * than the CLI: `service ps` with only -q/--quiet, --json, -s/--status STATE (or --status=STATE)
 * and --no-color, read as the CLI's commander program reads them. Anything else (help, an unknown
 * or misspelt flag, a state that does not exist, -q with --json, `-qs`, `--`) is null: the CLI
 * answers it, with its own messages and exit codes.
 */
import type { Flags } from '../commands/flags.js';
import type { ListFlags } from '../commands/service/ps.js';
import { SERVICE_STATES, stateNamed } from '../core/states.js';

export interface QuickServicePsFlags extends Flags<ListFlags> {
  /** False with --no-color. */
  color: boolean;
}

/** `words`: the command line after `svc`. */
export const quickServicePsFlags = (words: readonly string[]): QuickServicePsFlags | null => {
  if (words[0] !== 'service' || words[1] !== 'ps') return null;
  const flags: QuickServicePsFlags = { quiet: undefined, status: undefined, json: undefined, color: true };
  for (let i = 2; i < words.length; i++) {
    const word = words[i];
    if (word === '-q' || word === '--quiet') flags.quiet = true;
    else if (word === '--json') flags.json = true;
    else if (word === '--no-color') flags.color = false;
    else {
      // A repeated -s is read as commander reads it: the last one counts, and each must be a state.
      const named = word === '-s' || word === '--status' ? words[++i] : word.startsWith('--status=') ? word.slice('--status='.length) : undefined;
      const state = named === undefined ? undefined : stateNamed(SERVICE_STATES, named);
      if (state === undefined) return null;
      flags.status = state;
    }
  }
  return flags.quiet && flags.json ? null : flags;
};
