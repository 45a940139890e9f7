/**
 * A docker command the launcher started before the CLI was even loaded (launch/early-listing.ts),
 * so that Docker answers while svc loads. The first call of the runner with exactly these
 * arguments takes that answer; every other call, and that one if the early run could not give a
 * plain answer, runs as usual.
 *
 * The early run has the deadline of the call it stands for: past it, it is ended and the call fails
 * with DockerTimeoutError, as the runner's own would (before, a hung engine held `svc service ps`
 * for ever, and left its docker process behind).
 */
import type { DockerRunner, RunResult } from './docker.js';
import { DEFAULT_DOCKER_DEADLINES } from './docker-deadlines.js';
import { commandName } from './docker-words.js';
import { DockerTimeoutError } from '../errors.js';

export interface EarlyDockerRun {
  args: readonly string[];
  /** The result, or null when docker could not be run that way (the runner then asks again). */
  outcome: Promise<RunResult | null>;
  /** Ends the docker process (its outcome is then null). */
  stop?: () => void;
}

const sameArgs = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((word, i) => word === b[i]);

/** One wait per early run: whoever asks after the first waits no longer than the first deadline. */
const waits = new WeakMap<EarlyDockerRun, Promise<RunResult | null>>();

/** The early run's result within `deadlineMs`, else it is ended and DockerTimeoutError thrown (to every caller after too). */
export const earlyResult = (early: EarlyDockerRun, deadlineMs: number): Promise<RunResult | null> => {
  let wait = waits.get(early);
  if (!wait) {
    wait = new Promise<RunResult | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        early.stop?.();
        reject(new DockerTimeoutError(commandName(early.args), deadlineMs));
      }, deadlineMs);
      early.outcome.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
    waits.set(early, wait);
  }
  return wait;
};

export const withEarlyRun = (run: DockerRunner, early: EarlyDockerRun | undefined): DockerRunner => {
  let unused = early;
  return async (args, options) => {
    if (unused && sameArgs(args, unused.args)) {
      const taken = unused;
      unused = undefined;
      const result = await earlyResult(taken, options?.deadlineMs ?? DEFAULT_DOCKER_DEADLINES.readMs);
      if (result) return result;
    }
    return run(args, options);
  };
};
