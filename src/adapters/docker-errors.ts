/** A failed docker call as a named error, one way for the container and the swarm adapters alike. */
import { DockerCommandError, DockerUnreachableError } from '../errors.js';
import type { RunResult } from './docker-process.js';

/** What the docker CLI says when it cannot reach the engine: no daemon, no socket, no permission, a remote host down. */
const UNREACHABLE =
  /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|permission denied while trying to connect/i;

const firstLine = (text: string) => text.trim().split('\n')[0];

/** Throws DockerUnreachableError naming `detail` (stderr's first line unless given) when a failed call's stderr says the engine is out of reach. */
export const throwIfUnreachable = (stderr: string, detail: string = firstLine(stderr)): void => {
  if (UNREACHABLE.test(stderr)) throw new DockerUnreachableError(detail);
};

/**
 * A docker call's stdout, or its failure as a named error: the engine out of reach, else the error
 * `recognise` names from stderr and its first line (one of the caller's own), else DockerCommandError.
 */
export const stdoutOrThrow = (
  args: string[],
  result: RunResult,
  recognise: (stderr: string, firstLine: string) => Error | null = () => null,
): string => {
  if (result.exitCode === 0) return result.stdout;
  throwIfUnreachable(result.stderr);
  throw recognise(result.stderr, firstLine(result.stderr)) ?? new DockerCommandError(args, result.stderr);
};
