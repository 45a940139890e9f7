/**
 * A docker command the launcher started before the CLI was even loaded (launch/early-listing.ts),
 * so that Docker answers while svc loads. The first call of the runner with exactly these
 * arguments takes that answer; every other call, and that one if the early run could not give a
 * plain answer, runs as usual.
 */
import type { DockerRunner, RunResult } from './docker.js';

export interface EarlyDockerRun {
  args: readonly string[];
  /** The result, or null when docker could not be run that way (the runner then asks again). */
  outcome: Promise<RunResult | null>;
}

const sameArgs = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((word, i) => word === b[i]);

export const withEarlyRun = (run: DockerRunner, early: EarlyDockerRun | undefined): DockerRunner => {
  let unused = early;
  return async (args) => {
    if (unused && sameArgs(args, unused.args)) {
      const { outcome } = unused;
      unused = undefined;
      const result = await outcome;
      if (result) return result;
    }
    return run(args);
  };
};
