/**
 * Commands that only look (`service ps`, `m list` ...) ask Docker one question, the list of managed
 * containers, which takes docker ~15 ms. The launcher asks it first thing, with node's own
 * child_process (execa is a quarter of the bundle and not loaded yet), and the CLI loads while
 * docker answers on the other core. Only read-only commands are listed: the answer is a few
 * milliseconds older than the state file they read, which a listing may show, but nothing acts on it.
 * Like the adapter, it passes an argument array and never a shell string.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { LIST_MANAGED_ARGS } from '../adapters/docker-listing.js';
import { DOCKER_OUTPUT_LIMIT_BYTES } from '../adapters/docker-words.js';
import type { EarlyDockerRun } from '../adapters/early-run.js';

/** The first two words of each command that reads the container list and changes nothing. */
const READ_ONLY_LISTINGS: readonly (readonly [string, string])[] = [
  ['service', 'ps'],
  ['service', 'inspect'],
  ['container', 'ps'],
  ['machine', 'list'],
  ['machine', 'status'],
  ['m', 'list'],
  ['m', 'status'],
];

const withoutFinalNewline = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text);

/** `words`: the command line after `svc`. */
export const isReadOnlyListing = (words: readonly string[]): boolean =>
  READ_ONLY_LISTINGS.some(([group, verb]) => words[0] === group && words[1] === verb);

/** Undefined when the command is not a read-only listing. */
export const startEarlyListing = (words: readonly string[]): EarlyDockerRun | undefined => {
  if (!isReadOnlyListing(words)) return undefined;
  let child: ChildProcess | undefined;
  // Whoever waits for it (earlyResult) ends it at their deadline; one nobody waited for ends with svc.
  const stop = () => void child?.kill('SIGKILL');
  const outcome = new Promise<EarlyDockerRun['outcome'] extends Promise<infer T> ? T : never>((resolve) => {
    try {
      child = execFile(
        'docker',
        LIST_MANAGED_ARGS,
        { encoding: 'utf8', maxBuffer: DOCKER_OUTPUT_LIMIT_BYTES },
        (error, stdout, stderr) => {
          process.off('exit', stop);
          const exitCode = error ? error.code : 0;
          // Not run at all (no docker on PATH), killed, or too much output: the adapter asks again, with its own errors.
          if (typeof exitCode !== 'number' || (error && error.signal)) return resolve(null);
          resolve({ stdout: withoutFinalNewline(stdout), stderr: withoutFinalNewline(stderr), exitCode });
        },
      );
      // A spawn failure is also given to the callback; this keeps it from being an unhandled 'error' too.
      child.on('error', () => {});
      process.on('exit', stop);
    } catch {
      resolve(null);
    }
  });
  return { args: LIST_MANAGED_ARGS, outcome, stop };
};
