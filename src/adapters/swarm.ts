/**
 * The swarm client (engine/ports/swarm-client.ts) on the docker CLI: `docker service`, `docker node`,
 * `docker inspect` of tasks. As the container adapter: argument arrays, every valued option written
 * `--flag=value`, `--` before the image and before ids, env through a private file, JSON checked.
 */
import { DockerCommandError, UserError } from '../errors.js';
import { LABEL_MANAGED } from '../core/labels.js';
import { goDuration } from '../core/swarmPolicy.js';
import { quoteShellWords } from '../core/shellWords.js';
import type { SwarmClient, SwarmServiceChange, SwarmServiceSpec } from '../engine/ports/swarm-client.js';
import type { SwarmRestartPolicy } from '../core/swarmPolicy.js';
import { dockerRunner, dockerStreamer, type DockerRunner, type LineStreamer, type RunResult } from './docker.js';
import { stdoutOrThrow, throwIfUnreachable } from './docker-errors.js';
import { DEFAULT_DOCKER_DEADLINES, type DockerDeadlines } from './docker-deadlines.js';
import { callsWithDeadlines } from './shared-reads.js';
import { withEnvFile } from './envFile.js';
import { parseNodeList, parseServiceInspect, parseTaskInspect } from './swarm-json.js';

const NOT_A_MANAGER = /This node is not a swarm manager|not part of a swarm/i;
/** `service inspect` and `service ps` on a service removed since it was listed. */
const SERVICE_GONE = /no such service|service .* not found/i;

const restartFlags = (restart: SwarmRestartPolicy) => [
  `--restart-condition=${restart.condition}`,
  `--restart-max-attempts=${restart.maxAttempts}`,
  `--restart-window=${goDuration(restart.windowMs)}`,
  `--restart-delay=${goDuration(restart.delayMs)}`,
];

export const createSwarmClient = (
  run: DockerRunner = dockerRunner(),
  stream: LineStreamer = dockerStreamer,
  deadlines: DockerDeadlines = DEFAULT_DOCKER_DEADLINES,
): SwarmClient => {
  const { read: asRead, change: asChange } = callsWithDeadlines(run, deadlines);

  const docker = async (args: string[], runIt: (args: string[]) => Promise<RunResult> = asRead): Promise<string> =>
    stdoutOrThrow(args, await runIt(args), (stderr, firstLine) =>
      NOT_A_MANAGER.test(stderr) ? notAManager(firstLine) : null,
    );

  const notAManager = (detail: string) =>
    new UserError(`The Docker engine svc talks to is not a swarm manager: ${detail}`, {
      hint: 'Point the docker CLI at a manager node (DOCKER_HOST or DOCKER_CONTEXT), or use --backend local.',
    });

  const requireManager = async () => {
    const info = (await docker(['info', '--format={{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).trim();
    if (info !== 'active true') throw notAManager(`swarm state ${info || 'unknown'}`);
  };

  /**
   * A command on things listed a moment ago: those gone since are left out (docker prints what it
   * found, then fails naming the rest), so its stdout is the answer; any other error is thrown.
   */
  const onThoseLeft = async (args: string[], gone: RegExp): Promise<string> => {
    const result = await asRead(args);
    const problems = result.stderr.split('\n').filter((line) => line.trim() && !gone.test(line));
    if (result.exitCode !== 0 && problems.length > 0) {
      throwIfUnreachable(result.stderr, problems[0]);
      if (NOT_A_MANAGER.test(result.stderr)) throw notAManager(problems[0]);
      throw new DockerCommandError(args.slice(0, 2), problems.join('\n'));
    }
    return result.stdout;
  };
  const inspectThoseLeft = async (args: string[], gone: RegExp): Promise<string> => {
    const stdout = await onThoseLeft(args, gone);
    return stdout.trim() === '' ? '[]' : stdout;
  };

  const ids = async (args: string[]) =>
    (await docker(args))
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  const services: SwarmClient['services'] = async (filter) => {
    const found = await ids([
      'service',
      'ls',
      '--quiet',
      `--filter=label=${LABEL_MANAGED}=true`,
      ...(filter ? [`--filter=label=${filter.label}=${filter.value}`] : []),
    ]);
    if (found.length === 0) return [];
    // Another svc may remove a service between the two calls: it is left out, not an error.
    return parseServiceInspect(await inspectThoseLeft(['service', 'inspect', '--', ...found], SERVICE_GONE));
  };

  const tasks: SwarmClient['tasks'] = async (serviceIds) => {
    if (serviceIds.length === 0) return [];
    // A service removed since it was listed (another svc terminated it) has no tasks: the others' are listed.
    const listed = await onThoseLeft(['service', 'ps', '--quiet', '--no-trunc', '--', ...serviceIds], SERVICE_GONE);
    const found = listed
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    if (found.length === 0) return [];
    // The swarm prunes old tasks as new ones come: one gone between the two calls is left out, not an error.
    return parseTaskInspect(
      await inspectThoseLeft(['inspect', '--type=task', '--', ...found], /no such task|task .* not found/i),
    );
  };

  const nodes = async () => parseNodeList(await docker(['node', 'ls', '--format={{json .}}']));

  const create = async (spec: SwarmServiceSpec) => {
    const args = (envFile: string | null) => [
      'service',
      'create',
      '--detach',
      '--quiet',
      // The image as given: a digest the manager resolved would read as a change of spec next time.
      '--no-resolve-image',
      `--name=${spec.name}`,
      `--replicas=${spec.replicas}`,
      ...Object.entries(spec.labels).map(([key, value]) => `--label=${key}=${value}`),
      ...restartFlags(spec.restart),
      ...(spec.memoryMb !== null ? [`--limit-memory=${spec.memoryMb}M`] : []),
      // The CLI splits --entrypoint into words (the others' --entrypoint is one): quoted, it stays one.
      ...(spec.entrypoint !== null ? [`--entrypoint=${quoteShellWords([spec.entrypoint])}`] : []),
      ...(envFile !== null ? [`--env-file=${envFile}`] : []),
      '--',
      spec.image,
      ...spec.command,
    ];
    const created =
      spec.env.length === 0
        ? await docker(args(null), asChange)
        : await withEnvFile(spec.env, (file) => docker(args(file), asChange));
    return created.trim().split('\n').pop()!.trim();
  };

  const update = async (serviceId: string, change: SwarmServiceChange) => {
    await docker(
      [
        'service',
        'update',
        '--detach',
        '--quiet',
        ...(change.replicas !== undefined ? [`--replicas=${change.replicas}`] : []),
        ...Object.entries(change.labels ?? {}).map(([key, value]) => `--label-add=${key}=${value}`),
        ...(change.restart ? restartFlags(change.restart) : []),
        ...(change.force ? ['--force'] : []),
        '--',
        serviceId,
      ],
      asChange,
    );
  };

  const remove = async (serviceId: string) => {
    const result = await asChange(['service', 'rm', '--', serviceId]);
    if (result.exitCode === 0 || /not found/i.test(result.stderr)) return;
    throwIfUnreachable(result.stderr);
    throw new DockerCommandError(['service', 'rm'], result.stderr);
  };

  const logs: SwarmClient['logs'] = (serviceId, options, onLine) =>
    stream(
      [
        'service',
        'logs',
        '--no-task-ids',
        ...(options.follow ? ['--follow'] : []),
        ...(options.tail !== null ? [`--tail=${options.tail}`] : []),
        '--',
        serviceId,
      ],
      onLine,
    );

  return { requireManager, services, tasks, nodes, create, update, remove, logs };
};
