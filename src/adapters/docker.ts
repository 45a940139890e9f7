/**
 * The Docker adapter: one small function per docker subcommand, argument arrays only, JSON output
 * parsed, failures turned into named errors. The process runner is injected so tests and the
 * benchmark can count or replace calls.
 *
 * No user value can be read as an option: valued options are written `--flag=value`, and `--`
 * ends the options before an image or container ids.
 */
import { DockerCommandError, DockerTimeoutError, DockerUnreachableError, UserError } from '../errors.js';
import { envVarProblem } from '../core/envVars.js';
import { LABEL_MANAGED } from '../core/labels.js';
import { LIST_MANAGED_ARGS, parseManagedListing } from './docker-listing.js';
import { parseContainerEvent, parseContainerInspect } from './docker-json.js';
import type { EnvVar } from '../core/workload.js';
import type {
  ContainerDetails,
  ContainerEvent,
  ContainerRuntime,
  ContainerSummary,
  CreateOptions,
  LineStream,
  LogOptions,
} from '../engine/ports/runtime.js';
import { withEnvFile } from './envFile.js';
import { runDockerProcess, streamDockerProcess, type DockerRunner, type RunResult } from './docker-process.js';
import { callsWithDeadlines } from './shared-reads.js';
import { DEFAULT_DOCKER_DEADLINES, type DockerDeadlines } from './docker-deadlines.js';
import { stdoutOrThrow, throwIfUnreachable } from './docker-errors.js';

export type { DockerRunner, RunResult, RunOptions } from './docker-process.js';

/** Each id after the first adds this much to a change's deadline (`docker start` takes its ids one after the other). */
const PER_CONTAINER_MS = 1_000;

/** The docker CLI as a process, with a deadline on every call (docker-process.ts). */
export const dockerRunner =
  (deadlines: DockerDeadlines = DEFAULT_DOCKER_DEADLINES): DockerRunner =>
  (args, options) =>
    runDockerProcess(args, options ?? { deadlineMs: deadlines.changeMs });

/**
 * Env is checked when it comes in; this catches a value an older svc recorded that docker's env
 * file would misread (a line break would start a variable of its own). The value is never shown.
 */
const checkEnvForFile = (env: readonly EnvVar[]) => {
  for (const { key, value } of env) {
    const problem = envVarProblem(key, value);
    if (problem !== null) {
      const message = `The environment variable ${key} cannot be passed to docker: ${problem}`;
      throw new UserError(message, { hint: 'Create the workload again without it.' });
    }
  }
};

export type LineStreamer = (args: string[], onLine: (line: string, stream: 'stdout' | 'stderr') => void) => LineStream;

/** Long-lived by design (events, logs -f): no deadline; `stop()` ends the child, SIGKILL if it must. */
export const dockerStreamer: LineStreamer = (args, onLine) => streamDockerProcess(args, onLine);

/** The container runtime port (engine/ports/runtime.ts) on the docker CLI. */
export const createDocker = (
  run: DockerRunner = dockerRunner(),
  stream: LineStreamer = dockerStreamer,
  deadlines: DockerDeadlines = DEFAULT_DOCKER_DEADLINES,
): ContainerRuntime => {
  const { read, change } = callsWithDeadlines(run, deadlines);
  const onIds = (ids: string[]) => PER_CONTAINER_MS * Math.max(0, ids.length - 1);

  const docker = async (args: string[], runIt: (args: string[]) => Promise<RunResult> = change): Promise<string> =>
    stdoutOrThrow(args, await runIt(args));

  /**
   * Every operation asks this first, before it records anything: so a timeout here is "engine
   * unreachable" (exit 4, nothing changed) rather than a timeout mid-operation (exit 1).
   */
  const serverVersion = async () => {
    try {
      return (await docker(['version', '--format', '{{.Server.Version}}'], read)).trim();
    } catch (error) {
      if (error instanceof DockerTimeoutError) throw new DockerUnreachableError(`it ${error.summary}`, error);
      throw error;
    }
  };

  const imageExists = async (image: string) => {
    const result = await read(['image', 'inspect', '--format={{.Id}}', '--', image]);
    if (result.exitCode !== 0) throwIfUnreachable(result.stderr);
    return result.exitCode === 0;
  };

  const createArgs = (options: CreateOptions, envFile: string | null) => [
    'create',
    `--name=${options.name}`,
    '--restart=no',
    ...Object.entries(options.labels).map(([key, value]) => `--label=${key}=${value}`),
    ...(envFile !== null ? [`--env-file=${envFile}`] : []),
    ...(options.entrypoint !== null ? [`--entrypoint=${options.entrypoint}`] : []),
    ...(options.memoryMb !== null ? [`--memory=${options.memoryMb}m`] : []),
    '--',
    options.image,
    ...options.command,
  ];

  const create = async (options: CreateOptions) => {
    checkEnvForFile(options.env);
    if (options.env.length === 0) return (await docker(createArgs(options, null))).trim();
    return withEnvFile(options.env, async (file) => (await docker(createArgs(options, file))).trim());
  };

  /** For stop and remove a container that is already gone is not a failure: the wish is met. */
  const dockerIgnoringMissing = async (args: string[], extraMs: number, gone = /No such container/i) => {
    const result = await change(args, extraMs);
    if (result.exitCode === 0) return;
    throwIfUnreachable(result.stderr);
    const problems = result.stderr.split('\n').filter((line) => line.trim() && !gone.test(line));
    if (problems.length > 0) throw new DockerCommandError(args, problems.join('\n'));
  };

  const start = async (ids: string[]) =>
    void (ids.length && (await docker(['start', '--', ...ids], (args) => change(args, onIds(ids)))));
  // The containers get --time to stop before Docker kills them: the deadline starts after that.
  const stop = async (ids: string[], timeoutSeconds = 10) =>
    void (
      ids.length &&
      (await dockerIgnoringMissing(
        ['stop', `--time=${timeoutSeconds}`, '--', ...ids],
        timeoutSeconds * 1000 + onIds(ids),
      ))
    );
  const remove = async (ids: string[]) =>
    void (ids.length && (await dockerIgnoringMissing(['rm', '--force', '--', ...ids], onIds(ids))));
  // A container that is gone or not running has no process to signal: nothing to do.
  const kill = async (ids: string[], signal: string) =>
    void (
      ids.length &&
      (await dockerIgnoringMissing(
        ['kill', `--signal=${signal}`, '--', ...ids],
        onIds(ids),
        /No such container|is not running/i,
      ))
    );

  /** Every container svc manages, running or not, in one call. */
  const listManaged = async (): Promise<ContainerSummary[]> =>
    parseManagedListing(await docker([...LIST_MANAGED_ARGS], read));

  /** Missing containers are left out rather than failing the whole call. */
  const inspect = async (ids: string[]): Promise<ContainerDetails[]> => {
    if (ids.length === 0) return [];
    const result = await read(['inspect', '--type=container', '--', ...ids]);
    if (result.exitCode !== 0) throwIfUnreachable(result.stderr);
    return parseContainerInspect(result.stdout);
  };

  /** Each line comes with the stream it came on: the container's stderr stays stderr. */
  const logs = (id: string, options: LogOptions, onLine: (line: string, stream: 'stdout' | 'stderr') => void) =>
    stream(
      [
        'logs',
        ...(options.follow ? ['--follow'] : []),
        ...(options.tail !== null ? [`--tail=${options.tail}`] : []),
        '--',
        id,
      ],
      (line, from) => onLine(line, from),
    );

  /** Container lifecycle events of managed containers, as JSON lines, from `since` (unix seconds) on. */
  const events = (since: number | null, onEvent: (event: ContainerEvent) => void) =>
    stream(
      [
        'events',
        '--filter=type=container',
        `--filter=label=${LABEL_MANAGED}=true`,
        ...(since !== null ? [`--since=${since}`] : []),
        '--format={{json .}}',
      ],
      (line, from) => {
        if (from !== 'stdout' || !line.trim()) return;
        const event = parseContainerEvent(line);
        if (event) onEvent(event);
      },
    );

  return { serverVersion, imageExists, create, start, stop, remove, kill, listManaged, inspect, logs, events };
};
