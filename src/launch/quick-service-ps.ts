/**
 * `svc service ps` answered without the CLI: the command people and scripts run most, and the one
 * whose start-up svc measures against `node -e 0` (scripts/bench.mjs). This bundle
 * (dist/quick-HASH.cjs) holds what a listing needs: the settings, state.json read without the
 * lock's library, the early docker listing parsed, and the very function the CLI's command prints
 * with (commands/service/ps.ts). Not commander and every command (the CLI bundle is ~20 times the
 * size), not execa, not proper-lockfile.
 *
 * It answers only where its answer cannot differ from the CLI's: the launcher has checked the words
 * (quick-words.ts); the settings are valid; no swarm is in use (its workloads come from the swarm
 * backend); state.json is at the current schema (an older one the CLI upgrades in place, under the
 * lock); docker answered the early listing with success. Otherwise, or on any error, it prints
 * nothing and says no, and the launcher runs the CLI, which answers or fails as it always has.
 */
import { parseManagedListing } from '../adapters/docker-listing.js';
import type { EarlyDockerRun } from '../adapters/early-run.js';
import { readStateFile, stateFilesIn } from '../adapters/state-file.js';
import { swarmInUse } from '../adapters/swarm-marker.js';
import { serviceListing } from '../commands/service/ps.js';
import { observeState } from '../engine/observe.js';
import { colorWanted } from '../render/colors.js';
import { readSettings } from '../settings.js';
import type { QuickServicePsFlags } from './quick-words.js';

export interface QuickListingSurroundings {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  now: () => number;
}

/** The listing `service ps` prints, or null when the CLI must answer. */
export const quickServiceListing = async (
  flags: QuickServicePsFlags,
  earlyListing: EarlyDockerRun,
  { env, stdoutIsTTY, now: clock }: QuickListingSurroundings,
): Promise<string | null> => {
  try {
    const settings = readSettings(env);
    if (swarmInUse(settings)) return null;
    const { state, older } = readStateFile(stateFilesIn(settings.stateDir));
    if (older) return null;
    const listed = await earlyListing.outcome;
    if (!listed || listed.exitCode !== 0) return null;
    const now = clock();
    return await serviceListing(observeState(state, parseManagedListing(listed.stdout), 'service', now), flags, colorWanted(flags.color, env, stdoutIsTTY), now);
  } catch {
    return null;
  }
};

/** What the launcher calls: true once the listing is printed, false when the CLI must answer. */
export const answer = async (flags: QuickServicePsFlags, earlyListing: EarlyDockerRun): Promise<boolean> => {
  const text = await quickServiceListing(flags, earlyListing, { env: process.env, stdoutIsTTY: Boolean(process.stdout.isTTY), now: Date.now });
  if (text === null) return false;
  process.stdout.write(text);
  return true;
};
