/**
 * The Docker adapter: one small function per docker subcommand, argument arrays only, JSON output
 * parsed, failures turned into named errors. The process runner is injected so tests and the
 * benchmark can count or replace calls.
 *
 * No user value can be read as an option: valued options are written `--flag=value`, and `--`
 * ends the options before an image or container ids.
 */
import { DockerCommandError, DockerUnreachableError, UserError } from '../errors.js';
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
} from '../engine/runtime.js';
import { withEnvFile } from './envFile.js';

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}
export type DockerRunner = (args: string[]) => Promise<RunResult>;

export const UNREACHABLE =
  /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|permission denied while trying to connect/i;

/** execa is imported at the first docker call: commands that never make one do not load its ~250 kB. */
const loadExeca = async () => (await import('execa')).execa;

export const execaRunner: DockerRunner = async (args) => {
  const execa = await loadExeca();
  try {
    const result = await execa('docker', args, { reject: false, stdin: 'ignore' });
    if (result.failed && result.exitCode === undefined) {
      throw new DockerUnreachableError(`the docker command could not be run (${result.shortMessage})`);
    }
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? 1 };
  } catch (error) {
    if (error instanceof DockerUnreachableError) throw error;
    throw new DockerUnreachableError(`the docker command could not be run (${(error as Error).message})`);
  }
};

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

export const execaStreamer: LineStreamer = (args, onLine) => {
  let stderr = '';
  const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (name === 'stderr') stderr += line + '\n';
        onLine(line, name);
      }
    });
    stream?.on('end', () => rest && onLine(rest, name));
  };
  // Wrapped in an object: the subprocess is itself a promise, which `then` would wait for.
  const started = loadExeca().then((execa) => {
    const child = execa('docker', args, { reject: false, stdin: 'ignore', buffer: false });
    pipe(child.stdout, 'stdout');
    pipe(child.stderr, 'stderr');
    return { child };
  });
  const done = started.then(({ child }) =>
    child.then(
      (result) => ({ exitCode: result.exitCode ?? 1, stderr }),
      (error: Error) => ({ exitCode: 1, stderr: stderr + error.message }),
    ),
  );
  return { done, stop: () => void started.then(({ child }) => child.kill('SIGTERM')) };
};

/** The container runtime port (engine/runtime.ts) on the docker CLI. */
export const createDocker = (run: DockerRunner = execaRunner, stream: LineStreamer = execaStreamer): ContainerRuntime => {
  const docker = async (args: string[]): Promise<string> => {
    const result = await run(args);
    if (result.exitCode !== 0) {
      if (UNREACHABLE.test(result.stderr)) throw new DockerUnreachableError(result.stderr.trim().split('\n')[0]);
      throw new DockerCommandError(args, result.stderr);
    }
    return result.stdout;
  };

  const serverVersion = async () => (await docker(['version', '--format', '{{.Server.Version}}'])).trim();

  const imageExists = async (image: string) => {
    const result = await run(['image', 'inspect', '--format={{.Id}}', '--', image]);
    if (result.exitCode !== 0 && UNREACHABLE.test(result.stderr)) {
      throw new DockerUnreachableError(result.stderr.trim().split('\n')[0]);
    }
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
  const dockerIgnoringMissing = async (args: string[], gone = /No such container/i) => {
    const result = await run(args);
    if (result.exitCode === 0) return;
    if (UNREACHABLE.test(result.stderr)) throw new DockerUnreachableError(result.stderr.trim().split('\n')[0]);
    const problems = result.stderr.split('\n').filter((line) => line.trim() && !gone.test(line));
    if (problems.length > 0) throw new DockerCommandError(args, problems.join('\n'));
  };

  const start = async (ids: string[]) => void (ids.length && (await docker(['start', '--', ...ids])));
  const stop = async (ids: string[], timeoutSeconds = 10) =>
    void (ids.length && (await dockerIgnoringMissing(['stop', `--time=${timeoutSeconds}`, '--', ...ids])));
  const remove = async (ids: string[]) => void (ids.length && (await dockerIgnoringMissing(['rm', '--force', '--', ...ids])));
  // A container that is gone or not running has no process to signal: nothing to do.
  const kill = async (ids: string[], signal: string) =>
    void (ids.length && (await dockerIgnoringMissing(['kill', `--signal=${signal}`, '--', ...ids], /No such container|is not running/i)));

  /** Every container svc manages, running or not, in one call. */
  const listManaged = async (): Promise<ContainerSummary[]> => parseManagedListing(await docker([...LIST_MANAGED_ARGS]));

  /** Missing containers are left out rather than failing the whole call. */
  const inspect = async (ids: string[]): Promise<ContainerDetails[]> => {
    if (ids.length === 0) return [];
    const result = await run(['inspect', '--type=container', '--', ...ids]);
    if (result.exitCode !== 0 && UNREACHABLE.test(result.stderr)) {
      throw new DockerUnreachableError(result.stderr.trim().split('\n')[0]);
    }
    return parseContainerInspect(result.stdout);
  };

  /** Each line comes with the stream it came on: the container's stderr stays stderr. */
  const logs = (id: string, options: { follow: boolean; tail: number | null }, onLine: (line: string, stream: 'stdout' | 'stderr') => void) =>
    stream(
      ['logs', ...(options.follow ? ['--follow'] : []), ...(options.tail !== null ? [`--tail=${options.tail}`] : []), '--', id],
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
