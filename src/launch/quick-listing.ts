/**
 * `svc service ps` and `svc m list` answered without the CLI: the listings people and scripts run
 * most, and the command whose start-up svc measures against `node -e 0` (scripts/bench.mjs). This
 * bundle (dist/quick-HASH.cjs) holds what a listing needs: the settings, state.json read without
 * the lock's library, the early docker listing parsed, and the very functions the CLI's commands
 * print with (commands/service/ps.ts, commands/machine/listing.ts). Not commander and every command
 * (the CLI bundle is ~16 times the size), not execa, not proper-lockfile, not the TOML parser.
 *
 * It answers only where its answer cannot differ from the CLI's: the launcher has checked the words
 * (quick-words.ts, which also leaves `m list` beside a ./fly.toml to the CLI); the settings are
 * valid; no swarm is in use (its workloads come from the swarm backend); state.json is at the
 * current schema (an older one the CLI upgrades in place, under the lock); docker answered the early
 * listing with success. Otherwise, or on any error, it prints nothing and says no, and the launcher
 * runs the CLI, which answers or fails as it always has.
 */
import { parseManagedListing } from '../adapters/docker-listing.js';
import { earlyResult, type EarlyDockerRun } from '../adapters/early-run.js';
import { readStateFile, stateFilesIn } from '../adapters/state-file.js';
import { swarmInUse } from '../adapters/swarm-marker.js';
import { machineListing, type ListingOutput } from '../commands/machine/listing.js';
import { serviceListing } from '../commands/service/ps.js';
import { observeState } from '../engine/observe.js';
import { colorWanted } from '../render/colors.js';
import { readSettings } from '../settings.js';
import type { QuickListing } from './quick-words.js';

export interface QuickListingSurroundings {
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  now: () => number;
}

/** What the listing prints, or null when the CLI must answer. */
export const quickListing = async (
  listing: QuickListing,
  earlyListing: EarlyDockerRun,
  { env, stdoutIsTTY, now: clock }: QuickListingSurroundings,
): Promise<ListingOutput | null> => {
  try {
    const settings = readSettings(env);
    if (swarmInUse(settings)) return null;
    const { state, older } = readStateFile(stateFilesIn(settings.stateDir));
    if (older) return null;
    // Past the deadline the early run is ended, and the CLI says so (exit 1, naming the timeout).
    const listed = await earlyResult(earlyListing, settings.dockerDeadlines.readMs);
    if (!listed || listed.exitCode !== 0) return null;
    const now = clock();
    const containers = parseManagedListing(listed.stdout);
    const color = colorWanted(listing.flags.color, env, stdoutIsTTY);
    if (listing.command === 'm list')
      return await machineListing(
        observeState(state, containers, 'machine', now),
        listing.flags.app ?? null,
        listing.flags,
        color,
      );
    return {
      stdout: await serviceListing(observeState(state, containers, 'service', now), listing.flags, color, now),
      stderr: '',
    };
  } catch {
    return null;
  }
};

/** What the launcher calls: true once the listing is printed, false when the CLI must answer. */
export const answer = async (listing: QuickListing, earlyListing: EarlyDockerRun): Promise<boolean> => {
  const surroundings = { env: process.env, stdoutIsTTY: Boolean(process.stdout.isTTY), now: Date.now };
  const output = await quickListing(listing, earlyListing, surroundings);
  if (output === null) return false;
  if (output.stderr) process.stderr.write(output.stderr);
  if (output.stdout) process.stdout.write(output.stdout);
  return true;
};
