/**
 * `service logs [-f] [-t N] ID`: every container's output, each line prefixed with its container name;
 * the containers' stderr lines on svc's stderr. A container that cannot be shown is named on stderr
 * and makes the exit 1 once the others are shown; Docker unreachable is exit 4 (from the adapter).
 * Ctrl-C needs nothing here: cli.ts ends the process, and the docker adapter its `docker logs` children.
 */
import type { Flags } from '../flags.js';
import type { Context } from '../../context.js';
import type { InstanceRecord, Workload } from '../../core/workload.js';
import { PartialFailure, UserError } from '../../errors.js';
import { resolveAmong } from '../../engine/resolve.js';

type Shown = InstanceRecord & { containerId: string };

const vanished = (workload: Workload, instance: Shown) =>
  `Container ${instance.containerName} (${instance.containerId.slice(0, 12)}) of service ${workload.name} no longer exists in Docker; ` +
  `\`svc service redeploy ${workload.name}\` gives the service fresh containers`;

/** A swarm service's tasks run on other nodes: the swarm gives their output as one stream. */
const swarmLogs = async (ctx: Context, workload: Workload, flags: Flags<{ follow: boolean; tail: number }>) => {
  const stream = ctx.backend.streamLogs!(
    workload,
    { follow: flags.follow ?? false, tail: flags.tail ?? null },
    (line, from) => (from === 'stderr' ? ctx.io.stderr : ctx.io.stdout).write(`${line}\n`),
  );
  const { exitCode, stderr } = await stream.done;
  if (exitCode !== 0)
    throw new UserError(`docker service logs failed for ${workload.name}: ${stderr.trim() || `exit code ${exitCode}`}`);
};

export const serviceLogs = async (
  ctx: Context,
  identifier: string,
  flags: Flags<{ follow: boolean; tail: number }>,
) => {
  const workload = resolveAmong(await ctx.backend.list('service'), 'service', identifier);
  if (workload.backend === 'swarm') return swarmLogs(ctx, workload, flags);
  const instances = workload.instances.filter((i): i is Shown => i.containerId !== null);
  const failures: UserError[] = [];
  const fail = (message: string) => {
    failures.push(new UserError(message));
    ctx.io.stderr.write(`${message}\n`);
  };
  const exists = async (instance: Shown) => (await ctx.docker.inspect([instance.containerId])).length > 0;

  // One inspect first: an unreachable engine is exit 4 before anything is printed, and a vanished
  // container is named by svc rather than shown as docker's error text.
  const present = new Set((await ctx.docker.inspect(instances.map((i) => i.containerId))).map((c) => c.id));
  for (const instance of instances) if (!present.has(instance.containerId)) fail(vanished(workload, instance));

  const prefixWidth = Math.max(0, ...instances.map((i) => i.containerName.length));
  const show = async (instance: Shown) => {
    const prefix = `${instance.containerName.padEnd(prefixWidth)} | `;
    const stream = ctx.docker.logs(
      instance.containerId,
      { follow: flags.follow ?? false, tail: flags.tail ?? null },
      (line: string, from: 'stdout' | 'stderr' = 'stdout') =>
        (from === 'stderr' ? ctx.io.stderr : ctx.io.stdout).write(`${prefix}${line}\n`),
    );
    const { exitCode, stderr } = await stream.done;
    if (exitCode === 0) return;
    // Gone meanwhile, or docker refused: asking again tells which (and throws if Docker went away).
    if (!(await exists(instance))) return fail(vanished(workload, instance));
    fail(`docker logs failed for container ${instance.containerName}: ${stderr.trim() || `exit code ${exitCode}`}`);
  };
  await Promise.all(instances.filter((i) => present.has(i.containerId)).map(show));
  if (failures.length > 0) throw new PartialFailure(failures);
};
